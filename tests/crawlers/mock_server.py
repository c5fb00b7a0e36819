"""A local HTTP server with fault endpoints, for crawling tests (127.0.0.1, ephemeral port).

Every request is logged (path, time, conditional headers) so a test can assert what the crawler
actually did: how long it waited after a 429, whether it revalidated, whether robots.txt kept
it away from a page.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.conftest import PAGES
from tests.crawlers.responses import PAYLOADS

ETAG = '"v1-indeed"'
LAST_MODIFIED = "Wed, 21 Oct 2026 07:28:00 GMT"


def job_page(title: str, employer: str = "Example Care Co.") -> bytes:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": title,
        "hiringOrganization": {"@type": "Organization", "name": employer},
        "datePosted": "2026-11-01",
        "description": f"<p>{title}</p>",
    }
    return (
        f"<html lang='en'><head><script type='application/ld+json'>{json.dumps(posting)}</script>"
        f"</head><body><h1>{title}</h1></body></html>"
    ).encode()


@dataclass
class Hit:
    path: str
    at: float
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None


@dataclass
class MockState:
    hits: list[Hit] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    huge_bytes_sent: int = 0
    slow_delay: float = 0.3
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


def _handler(state: MockState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(
            self,
            status: int,
            body: bytes = b"",
            content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self) -> None:
            path = self.path
            with state.lock:
                state.hits.append(
                    Hit(
                        path,
                        time.monotonic(),
                        self.headers.get("If-None-Match"),
                        self.headers.get("If-Modified-Since"),
                        self.headers.get("User-Agent"),
                    )
                )
                state.counts[path] += 1
                count = state.counts[path]
            host = f"http://{self.headers.get('Host')}"
            if path == "/robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path.startswith("/private/"):
                self._send(200, job_page("Private page"))
            elif path.startswith("/flaky/"):
                if count == 1:
                    self._send(503, b"try again", "text/plain")
                else:
                    self._send(200, job_page("Flaky but fine"))
            elif path.startswith("/ratelimited/"):
                if count == 1:
                    self._send(429, b"slow down", "text/plain", {"Retry-After": "2"})
                else:
                    self._send(200, job_page("Rate limited then served"))
            elif path == "/hang":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html>")
                self.wfile.flush()
                time.sleep(30)
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()  # no Content-Length: the size cap must act while streaming
                chunk = b"x" * 65536
                try:
                    for _ in range(50 * 16):  # 50 MB
                        self.wfile.write(chunk)
                        state.huge_bytes_sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    return
                self.close_connection = True
            elif path == "/cached/job":
                if self.headers.get("If-None-Match") == ETAG:
                    self._send(304, b"", headers={"ETag": ETAG, "Cache-Control": "no-cache"})
                else:
                    body = (PAGES / "indeed_job.html").read_bytes()
                    self._send(
                        200, body, headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED, "Cache-Control": "no-cache"}
                    )
            elif path == "/malformed/job":
                broken = '<script type="application/ld+json">{"@type": "JobPosting", "title": "Broken" </script>'
                good = json.dumps(
                    {
                        "@type": "JobPosting",
                        "title": "Still readable",
                        "hiringOrganization": {"name": "Example Care Co."},
                    }
                )
                body = f"<html><head>{broken}<script type='application/ld+json'>{good}</script></head></html>"
                self._send(200, body.encode())
            elif path == "/sjis/job":
                # A real Shift_JIS (cp932) page served with a wrong charset in the header.
                self._send(200, (PAGES / "mc-nurse.html").read_bytes(), "text/html; charset=utf-8")
            elif path.startswith("/slow/"):
                time.sleep(state.slow_delay)
                self._send(200, job_page(f"Slow page {path.rsplit('/', 1)[-1]}"))
            elif path.startswith("/sitemap-slow-"):
                n = int(path.removeprefix("/sitemap-slow-").removesuffix(".xml"))
                urls = "".join(f"<url><loc>{host}/slow/{i}</loc></url>" for i in range(n))
                body = (
                    f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
                )
                self._send(200, body.encode(), "application/xml")
            elif path == "/gh/v1/boards/greenhouse/jobs":
                self._send(200, (PAYLOADS / "greenhouse_board_greenhouse_list.json").read_bytes(), "application/json")
            elif path.startswith("/gh/v1/boards/greenhouse/jobs/"):
                job_id = path.rsplit("/", 1)[-1]
                listing = json.loads((PAYLOADS / "greenhouse_board_greenhouse_list.json").read_bytes())
                job = next((j for j in listing["jobs"] if str(j["id"]) == job_id), None)
                if job is None:
                    self._send(404, b"{}", "application/json")
                else:
                    detail = {**job, "content": f"&lt;p&gt;About the role {job['title']}&lt;/p&gt;"}
                    self._send(200, json.dumps(detail).encode(), "application/json")
            else:
                self._send(404, b"not found", "text/plain")

    return Handler


@contextmanager
def mock_server() -> Iterator[tuple[str, MockState]]:
    state = MockState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()


def read_items(raw_file: Path | None) -> list[dict[str, Any]]:
    if raw_file is None:
        return []
    return [json.loads(line) for line in raw_file.read_text(encoding="utf-8").splitlines() if line.strip()]

"""A small local job site built from the bundled real job pages and API payloads (package data).

It serves, on 127.0.0.1 only (they are demo and test fixtures, never republished: see
ippo/demo_pages/SOURCES.md and ippo/demo_payloads/SOURCES.md):

- the JobPosting pages under /jobs/, a sitemap listing them and a robots.txt;
- the job board APIs the ATS spiders read, each under its own prefix, answering as the real API
  does for the boards bundled in ippo/demo_payloads/<ats>/<board>.json.gz:
  /greenhouse/v1/boards/<board>/jobs (and /jobs/<id>, which answers with the job as listed: the
  bundled boards hold the list response only), /lever/v0/postings/<site>,
  /ashby/posting-api/job-board/<board> and /remoteok/api;
- support data the support spiders read (ippo/demo_payloads/support/): WAM NET's office CSVs of
  東京都 under /support/wam/<file>.csv and the jp-hello-work tables under /support/hellowork/zip5.json
  and zip7.json.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

DEMO_PAGES = Path(__file__).resolve().parent / "demo_pages"
DEMO_PAYLOADS = Path(__file__).resolve().parent / "demo_payloads"

# URL prefix of each ATS's API on the demo site -> the folder of its bundled boards.
API_PREFIXES = {
    "greenhouse": "/greenhouse/v1/boards",
    "lever": "/lever/v0/postings",
    "ashby": "/ashby/posting-api/job-board",
    "remoteok": "/remoteok/api",
}
_BOARD = re.compile(r"^[A-Za-z0-9_.-]+$")
# URL prefix of the support files -> (folder under demo_payloads/support, file suffix, content type).
SUPPORT_PREFIX = "/support"
_SUPPORT_KINDS = {"wam": (".csv", "text/csv; charset=utf-8"), "hellowork": (".json", "application/json; charset=utf-8")}


def bundled_boards(payloads: Path = DEMO_PAYLOADS) -> dict[str, list[str]]:
    """The boards the demo site serves, per ATS (remoteok has one feed, named 'api')."""
    return {ats: sorted(p.name.removesuffix(".json.gz") for p in (payloads / ats).glob("*.json.gz"))
            for ats in API_PREFIXES if (payloads / ats).is_dir()}


def bundled_support(payloads: Path = DEMO_PAYLOADS) -> dict[str, list[str]]:
    """The support files the demo site serves, as URL paths per spider input: 'wam' (the support
    spider's CSVs) and 'hellowork' (the hellowork_areas spider's tables)."""
    found: dict[str, list[str]] = {}
    for kind, (suffix, _) in _SUPPORT_KINDS.items():
        files = sorted((payloads / "support" / kind).glob(f"*{suffix}.gz"))
        if files:
            found[kind] = [f"{SUPPORT_PREFIX}/{kind}/{f.name.removesuffix('.gz')}" for f in files]
    return found


def support_response(payloads: Path, path: str) -> tuple[bytes, str] | None:
    """The body and content type of a support file, or None (404)."""
    kind, _, name = path.removeprefix(SUPPORT_PREFIX + "/").partition("/")
    if not path.startswith(SUPPORT_PREFIX + "/") or kind not in _SUPPORT_KINDS or not _BOARD.match(name):
        return None
    suffix, content_type = _SUPPORT_KINDS[kind]
    file = payloads / "support" / kind / f"{name}.gz"
    if not name.endswith(suffix) or not file.is_file():
        return None
    return _payload(file), content_type


@lru_cache(maxsize=64)
def _payload(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


@lru_cache(maxsize=16)
def _greenhouse_jobs(path: Path) -> dict[str, bytes]:
    jobs: list[dict[str, Any]] = json.loads(_payload(path))["jobs"]
    return {str(job["id"]): json.dumps(job, ensure_ascii=False).encode() for job in jobs}


def api_response(payloads: Path, path: str) -> bytes | None:
    """The body the demo site answers for an API path, or None (404)."""
    for ats, prefix in API_PREFIXES.items():
        if path == prefix and ats == "remoteok":
            file = payloads / ats / "api.json.gz"
            return _payload(file) if file.is_file() else None
        if not path.startswith(prefix + "/"):
            continue
        parts = path[len(prefix) + 1:].split("/")
        if not parts or not _BOARD.match(parts[0]):
            return None
        file = payloads / ats / f"{parts[0]}.json.gz"
        if not file.is_file():
            return None
        if ats == "greenhouse" and parts[1:] == ["jobs"]:
            return _payload(file)
        if ats == "greenhouse" and len(parts) == 3 and parts[1] == "jobs":
            return _greenhouse_jobs(file).get(parts[2])
        return _payload(file) if len(parts) == 1 and ats in ("lever", "ashby") else None
    return None


def _handler(pages: Path, payloads: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep the demo's output readable
            return

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            host = f"http://{self.headers.get('Host', '127.0.0.1')}"
            path = urlsplit(self.path).path
            if path == "/robots.txt":
                self._send(200, f"User-agent: *\nAllow: /\nSitemap: {host}/sitemap.xml\n".encode(), "text/plain")
            elif path == "/sitemap.xml":
                urls = "".join(
                    f"<url><loc>{escape(host)}/jobs/{escape(p.name)}</loc></url>" for p in sorted(pages.glob("*.html"))
                )
                body = ('<?xml version="1.0" encoding="UTF-8"?>'
                        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
                self._send(200, body.encode(), "application/xml")
            elif path.startswith("/jobs/") and "/" not in path[6:]:
                page = pages / path[6:]
                if page.suffix == ".html" and page.is_file():
                    # No charset in the header: the page's own meta tag decides, as on the original site.
                    self._send(200, page.read_bytes(), "text/html")
                else:
                    self._send(404, b"not found", "text/plain")
            elif path.startswith(SUPPORT_PREFIX + "/"):
                found = support_response(payloads, path)
                if found is None:
                    self._send(404, b"not found", "text/plain")
                else:
                    self._send(200, *found)
            else:
                answer = api_response(payloads, path)
                if answer is None:
                    self._send(404, b"not found", "text/plain")
                else:
                    self._send(200, answer, "application/json; charset=utf-8")

    return Handler


@contextmanager
def serve_pages(pages: Path = DEMO_PAGES, port: int = 0, payloads: Path = DEMO_PAYLOADS) -> Iterator[str]:
    """Serve the pages and API payloads on 127.0.0.1; yields the base URL. A fixed port keeps the
    pages' URLs (and so their listings' content) the same from one demo run to the next."""
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(pages, payloads))
    except OSError:  # the usual port is taken: any free one will do
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages, payloads))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

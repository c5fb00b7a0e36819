"""A small local job site built from the bundled real JobPosting pages (ippo/demo_pages, package data).

It serves each page under /jobs/, a sitemap listing them and a robots.txt, on 127.0.0.1 only:
the pages are demo and test fixtures (see ippo/demo_pages/SOURCES.md), never republished.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

DEMO_PAGES = Path(__file__).resolve().parent / "demo_pages"


def _handler(pages: Path) -> type[BaseHTTPRequestHandler]:
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
            if self.path == "/robots.txt":
                self._send(200, f"User-agent: *\nAllow: /\nSitemap: {host}/sitemap.xml\n".encode(), "text/plain")
            elif self.path == "/sitemap.xml":
                urls = "".join(
                    f"<url><loc>{escape(host)}/jobs/{escape(p.name)}</loc></url>" for p in sorted(pages.glob("*.html"))
                )
                body = ('<?xml version="1.0" encoding="UTF-8"?>'
                        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
                self._send(200, body.encode(), "application/xml")
            elif self.path.startswith("/jobs/") and "/" not in self.path[6:]:
                page = pages / self.path[6:]
                if page.suffix == ".html" and page.is_file():
                    # No charset in the header: the page's own meta tag decides, as on the original site.
                    self._send(200, page.read_bytes(), "text/html")
                else:
                    self._send(404, b"not found", "text/plain")
            else:
                self._send(404, b"not found", "text/plain")

    return Handler


@contextmanager
def serve_pages(pages: Path = DEMO_PAGES, port: int = 0) -> Iterator[str]:
    """Serve the pages on 127.0.0.1; yields the base URL. A fixed port keeps the pages' URLs (and
    so their listings' content) the same from one demo run to the next."""
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(pages))
    except OSError:  # the usual port is taken: any free one will do
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pages))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

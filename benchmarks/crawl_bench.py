"""Crawl throughput and incremental cost of the jsonld spider, beside `scrapy bench`.

    .venv/bin/python -m benchmarks.crawl_bench [--pages 10000]

1. Generates a local job site of N pages (default 10,000). The pages are GENERATED: each one
   reuses the JobPosting object and page shell of one of the real pages in ippo/demo_pages
   (title, employer, description, salary as published), with a page number added to the title,
   identifier and URL so every page is distinct. A sitemap lists them all.
2. Serves the folder with Twisted's static file server in its own process on 127.0.0.1
   (it answers If-Modified-Since with 304, as a real site's web server would).
3. Crawls it with the jsonld spider through the real runner (one process, raw writer, HTTP
   cache, job directory), politeness off (no delay, no AutoThrottle, no robots.txt,
   16 requests per domain), and prints pages/s.
4. Runs `scrapy bench` on the same machine (outside the project, stock settings) and parses
   its final stats (response_received_count / elapsed_time_seconds) for its pages/s.
5. Crawls the unchanged site again with the HTTP cache and prints the bytes that crossed the
   network (ippo/wire/bytes, counted below the cache) against the first crawl.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from crawlers.encoding import decode_page
from crawlers.run import run_crawl
from crawlers.sources import Source
from crawlers.structured import extract_from_html
from ippo.demo_site import DEMO_PAGES as PAGES

POLITENESS_OFF = {
    "ROBOTSTXT_OBEY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "LOG_LEVEL": "INFO",
}


def real_postings() -> list[tuple[dict, str]]:
    """(JobPosting, language) of every real fixture page that has one."""
    found = []
    for page in sorted(PAGES.glob("*.html")):
        extraction = extract_from_html(decode_page(page.read_bytes()).text)
        for posting in extraction.postings:
            found.append((posting, extraction.language or "en"))
    if not found:
        raise SystemExit(f"no JobPosting pages found in {PAGES}")
    return found


def generate_site(folder: Path, pages: int, base: str) -> int:
    """Write N generated job pages, a sitemap and a robots.txt; returns the total bytes."""
    shapes = real_postings()
    jobs = folder / "jobs"
    jobs.mkdir(parents=True)
    total = 0
    locs = []
    for i in range(pages):
        posting, lang = shapes[i % len(shapes)]
        posting = dict(posting)
        url = f"{base}/jobs/{i}.html"
        posting["title"] = f"{posting.get('title', 'Job')} #{i}"
        posting["identifier"] = {"@type": "PropertyValue", "name": "bench", "value": str(i)}
        posting["url"] = url
        block = json.dumps(posting, ensure_ascii=False)
        description = posting.get("description") if isinstance(posting.get("description"), str) else ""
        html = (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<title>{escape(posting["title"])}</title><link rel="canonical" href="{url}">'
            f'<script type="application/ld+json">{block}</script></head>'
            f'<body><header><nav><a href="/">Jobs</a></nav></header><main><h1>{escape(posting["title"])}</h1>'
            f"<section>{description}</section></main><footer>generated benchmark page</footer></body></html>"
        ).encode()
        (jobs / f"{i}.html").write_bytes(html)
        total += len(html)
        locs.append(f"<url><loc>{url}</loc></url>")
    sitemap = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    (folder / "sitemap.xml").write_text(sitemap + "".join(locs) + "</urlset>", encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return total


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVER = """
import sys
from twisted.internet import reactor
from twisted.web import server, static
reactor.listenTCP(int(sys.argv[2]), server.Site(static.File(sys.argv[1])), interface="127.0.0.1")
reactor.run()
"""


def serve(folder: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(folder), str(port)])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the benchmark site server did not start")


def scrapy_bench() -> tuple[float, str]:
    """pages/s of `scrapy bench` (stock settings, run outside the project)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_SETTINGS_MODULE", "IPPO_HOME")}
    with tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "bench"],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    out = proc.stdout + proc.stderr
    count = re.search(r"'response_received_count': (\d+)", out)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", out)
    if not count or not elapsed:
        raise SystemExit(f"could not read scrapy bench's stats:\n{out[-2000:]}")
    return int(count.group(1)) / float(elapsed.group(1)), out


def crawl(home: Path, base: str, pages: int) -> dict:
    source = Source(name="bench", spider="jsonld", args={"urls": f"{base}/sitemap.xml"}, max_runtime_s=3600)
    result = run_crawl(source, home, extra_settings=POLITENESS_OFF, timeout_s=3600)
    if not result.ok:
        raise SystemExit(f"benchmark crawl failed: {result.error}; see {result.log_file}")
    stats = result.stats["scrapy_stats"]
    elapsed = float(stats.get("elapsed_time_seconds") or result.stats["duration_s"])
    job_pages = int(stats.get("ippo/pages", 0))
    return {
        "pages": job_pages,
        "items": result.items,
        "elapsed_s": elapsed,
        "pages_per_s": job_pages / elapsed if elapsed else 0.0,
        "wire_bytes": int(stats.get("ippo/wire/bytes", 0)),
        "not_modified": int(stats.get("ippo/wire/not_modified", 0)),
        "cache_hits": int(stats.get("httpcache/hit", 0)),
        "requests": int(stats.get("downloader/request_count", 0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated site and IPPO_HOME")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ippo-crawl-bench-"))
    site, home = work / "site", work / "home"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    site_bytes = generate_site(site, args.pages, base)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(f"generated {args.pages} job pages from {len(real_postings())} real page shapes: {site_bytes / 1e6:.1f} MB")
    server = serve(site, port)
    try:
        first = crawl(home, base, args.pages)
        time.sleep(1.5)  # the pages' heuristic freshness (a tenth of their age) has run out
        second = crawl(home, base, args.pages)
    finally:
        server.terminate()
        server.wait()
    bench_rate, _ = scrapy_bench()

    print(
        f"jsonld crawl 1 (cold, politeness off): {first['pages']} pages, {first['items']} items in "
        f"{first['elapsed_s']:.1f} s -> {first['pages_per_s']:.0f} pages/s"
    )
    print(f"scrapy bench (same machine):           {bench_rate:.0f} pages/s")
    print(f"jsonld / scrapy bench:                 {first['pages_per_s'] / bench_rate:.0%}  (target >= 70%)")
    print(
        f"crawl 2 (unchanged site, HTTP cache):  {second['pages']} pages in {second['elapsed_s']:.1f} s, "
        f"{second['not_modified']} answered 304, {second['cache_hits']} fresh in cache"
    )
    print(
        f"bytes on the wire: crawl 1 {first['wire_bytes'] / 1e6:.1f} MB, crawl 2 {second['wire_bytes'] / 1e6:.2f} MB "
        f"-> {second['wire_bytes'] / max(1, first['wire_bytes']):.1%} of the first (target < 5%)"
    )
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

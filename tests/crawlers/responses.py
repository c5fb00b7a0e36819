"""Build Scrapy responses from saved real payloads and run one spider callback on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.test import get_crawler

from tests.conftest import FIXTURES

PAYLOADS = FIXTURES / "payloads"


def file_response(path: Path, url: str, content_type: str = "application/json") -> Response:
    """A response carrying the saved file's bytes, as if fetched from ``url``."""
    body = path.read_bytes()
    headers = {"Content-Type": content_type}
    cls = HtmlResponse if "html" in content_type else TextResponse
    return cls(
        url=url, request=Request(url), body=body, headers=headers, encoding="utf-8" if cls is TextResponse else None
    )


def make_spider(spider_cls: type[Spider], home: Path, **kwargs: Any) -> Spider:
    crawler = get_crawler(spider_cls, {"IPPO_HOME": str(home)})
    crawler.stats.open_spider()
    return spider_cls.from_crawler(crawler, **kwargs)


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))

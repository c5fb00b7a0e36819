"""sources.toml: the operator's list of sources. Adding a source is adding lines, not code.

    [sources.my-site]
    spider = "jsonld"                          # which spider reads it
    urls = ["https://example.org/sitemap.xml"] # sitemaps or job pages
    url_pattern = "/jobs/"                     # optional: which sitemap URLs are job pages
    enabled = true                             # optional
    [sources.my-site.settings]                 # optional Scrapy settings for this source only
    DOWNLOAD_DELAY = 2.0

Every other key is passed to the spider as an argument (``-a key=value``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class SourcesError(ValueError):
    pass


@dataclass
class Source:
    name: str
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True


def _arg(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def parse_source(name: str, table: dict[str, Any], origin: str = "sources.toml") -> Source:
    if not _NAME.match(name):
        raise SourcesError(f"{origin}: source name {name!r} must be lower-case letters, digits, '-' or '_'")
    if not isinstance(table, dict):
        raise SourcesError(f"{origin}: [sources.{name}] must be a table")
    spider = table.get("spider")
    if not isinstance(spider, str) or not spider:
        raise SourcesError(f"{origin}: [sources.{name}] needs spider = \"<spider name>\" (e.g. \"jsonld\")")
    settings = table.get("settings", {})
    if not isinstance(settings, dict):
        raise SourcesError(f"{origin}: [sources.{name}.settings] must be a table of Scrapy settings")
    args = {k: _arg(v) for k, v in table.items() if k not in ("spider", "settings", "enabled")}
    return Source(name=name, spider=spider, args=args, settings=settings, enabled=bool(table.get("enabled", True)))


def load_sources(path: Path) -> dict[str, Source]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path} does not exist; create it with one [sources.<name>] table per source") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path} is not valid TOML: {exc}") from None
    tables = data.get("sources", {})
    if not isinstance(tables, dict):
        raise SourcesError(f"{path}: 'sources' must be a table of [sources.<name>] tables")
    return {name: parse_source(name, table, origin=str(path)) for name, table in tables.items()}

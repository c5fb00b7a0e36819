"""sources.toml: the operator's list of sources. Adding a source is adding lines, not code.

    [sources.my-site]
    spider = "jsonld"                          # which spider reads it
    urls = ["https://example.org/sitemap.xml"] # sitemaps or job pages
    url_pattern = "/jobs/"                     # optional: which sitemap URLs are job pages
    enabled = true                             # optional
    every = "1d"                               # optional: how often it is due (30m, 6h, 1d, 1w)
    max_runtime = "2h"                         # optional: stop cleanly (resumable) after this long
    [sources.my-site.settings]                 # optional Scrapy settings for this source only
    DOWNLOAD_DELAY = 2.0

Every other key is passed to the spider as an argument (``-a key=value``): lists are joined
with commas, tables are passed as JSON (e.g. a registry's column mapping).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_RESERVED = ("spider", "settings", "enabled", "every", "max_runtime")

DEFAULT_EVERY_S = 86400.0
DEFAULT_MAX_RUNTIME_S = 4 * 3600.0


class SourcesError(ValueError):
    pass


@dataclass
class Source:
    name: str
    spider: str
    args: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    every_s: float = DEFAULT_EVERY_S
    max_runtime_s: float = DEFAULT_MAX_RUNTIME_S
    origin: Path | None = None  # the sources.toml it came from (relative file paths are read from there)


def parse_duration(value: Any, what: str) -> float:
    """'30m', '6h', '1d', '1w' or a number of seconds -> seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise SourcesError(f'{what} = {value!r} is not a duration; write e.g. "30m", "6h", "1d" or "1w"')
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


def _arg(value: Any) -> str:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return json.dumps(value, ensure_ascii=False)
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_source(name: str, table: dict[str, Any], origin: str = "sources.toml") -> Source:
    if not _NAME.match(name):
        raise SourcesError(f"{origin}: source name {name!r} must be lower-case letters, digits, '-' or '_'")
    if not isinstance(table, dict):
        raise SourcesError(f"{origin}: [sources.{name}] must be a table")
    spider = table.get("spider")
    if not isinstance(spider, str) or not spider:
        raise SourcesError(f'{origin}: [sources.{name}] needs spider = "<spider name>" (e.g. "jsonld")')
    settings = table.get("settings", {})
    if not isinstance(settings, dict):
        raise SourcesError(f"{origin}: [sources.{name}.settings] must be a table of Scrapy settings")
    args = {k: _arg(v) for k, v in table.items() if k not in _RESERVED}
    every = (
        parse_duration(table["every"], f"{origin}: [sources.{name}] every")
        if "every" in table
        else DEFAULT_EVERY_S
    )
    max_runtime = (
        parse_duration(table["max_runtime"], f"{origin}: [sources.{name}] max_runtime")
        if "max_runtime" in table
        else DEFAULT_MAX_RUNTIME_S
    )
    return Source(
        name=name,
        spider=spider,
        args=args,
        settings=settings,
        enabled=bool(table.get("enabled", True)),
        every_s=every,
        max_runtime_s=max_runtime,
        origin=Path(origin) if origin != "sources.toml" else None,
    )


def load_sources(path: Path) -> dict[str, Source]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(
            f"{path} does not exist; create it with one [sources.<name>] table per source"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path} is not valid TOML: {exc}") from None
    tables = data.get("sources", {})
    if not isinstance(tables, dict):
        raise SourcesError(f"{path}: 'sources' must be a table of [sources.<name>] tables")
    return {name: parse_source(name, table, origin=str(path)) for name, table in tables.items()}

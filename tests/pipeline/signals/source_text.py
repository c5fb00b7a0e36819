"""The readable text of a shared-data file, for checking that a labelled snippet really comes
from the file its ``origin`` names.

Both sides are brought to one form: JSON string values are read out, HTML entities decoded
(twice, for payloads that escape their markup), tags and scripts' markup removed, text folded
(mojibake repaired, NFKC) and every run of whitespace made one space.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.text.fold import fold

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def normalized(text: str) -> str:
    """``text`` with entities decoded, markup removed, folded and whitespace collapsed."""
    text = html.unescape(html.unescape(text))
    text = _TAG.sub(" ", text)
    return _SPACE.sub(" ", fold(text)).strip()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _decoded(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def source_text(path: Path) -> str:
    """The normalized text of one shared-data file; JSON files give their string values."""
    text = _decoded(path)
    if path.suffix == ".json":
        text = "\n".join(_strings(json.loads(text)))
    return normalized(text)

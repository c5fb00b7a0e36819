"""The raw item every spider yields: what the source said, untouched, plus where and when.

Raw items are written to $IPPO_HOME/raw/<source>/<run>.jsonl by the raw writer and never to
the warehouse; the pipeline normalizes them later. ``kind`` tells the pipeline which
normalizer reads ``payload`` ("jobposting" for schema.org JobPosting; "problem" for a page
that could not be read, which the loader quarantines with its reason).
"""

from __future__ import annotations

from typing import Any, TypedDict


class RawItem(TypedDict, total=False):
    kind: str
    source: str
    url: str
    canonical_url: str | None
    page_language: str | None
    fetched_at: str
    payload: dict[str, Any]
    problem: str

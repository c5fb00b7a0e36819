"""Listings of the served snapshot: search them, and read one as it is served. Scope: recommend.

Search reads the ServingIndex (open listings, the lexical index, the filter arrays) and the
snapshot's own columns (ranker.listing_facts); it never reads the warehouse. Pages are keyset
pages with an opaque cursor (api.cursors) bound to the snapshot version.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BeforeValidator

from api.auth import RecommendKey
from api.cursors import decode_cursor, encode_cursor, request_digest
from api.deps import IndexDep, SettingsDep
from api.listing_schemas import ListingOut, ListingsPageOut
from api.schemas import EmploymentType, ErrorOut, NeedTag, RemoteMode
from api.schemas import SalaryUnit as PayUnit
from pipeline.warehouse.pointer import SNAPSHOT_SUFFIX
from ranker.listing_facts import FactsCache, ListingFacts, listing_record
from ranker.listing_search import ListingFilters, PageKey, SearchPage, search
from ranker.serving_index import ServingIndex

log = logging.getLogger("ippo.api")

router = APIRouter(prefix="/v1/listings", tags=["listings"])

MAX_LIMIT = 100
CURSOR_KIND = "listings"
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 422, 503)}


_cache_lock = threading.Lock()


def app_facts_cache(app: FastAPI) -> FactsCache:
    """The app's cache of snapshot facts, made on first use (once, however many requests ask)."""
    with _cache_lock:
        cache = getattr(app.state, "listing_facts", None)
        if cache is None:
            cache = app.state.listing_facts = FactsCache()
        return cache


def facts_cache(request: Request) -> FactsCache:
    return app_facts_cache(request.app)


def warm_facts(app: FastAPI, index: ServingIndex, serving_dir: Path) -> None:
    """Read the facts of a snapshot before it is served, so no search waits for them. Ahead of
    time only: when that fails, the first search reads them (and answers for the failure)."""
    try:
        app_facts_cache(app).facts(index, snapshot_file(serving_dir, index.version))
    except Exception as exc:  # an optimization must not stop the API from starting
        log.warning("could not read the listing facts of snapshot %s ahead of searches (%s)", index.version,
                    type(exc).__name__)


def snapshot_file(serving_dir: Path, version: str) -> Path | None:
    """The file of a snapshot version (``<version>.duckdb``), while it is still in the folder."""
    path = serving_dir / f"{version}{SNAPSHOT_SUFFIX}"
    return path if path.is_file() else None


def _filters(tags: Sequence[str] | None, remote: Sequence[str] | None, region: str | None,
             employment_type: Sequence[str] | None, min_pay: float | None, pay_unit: str | None,
             currency: str | None, posted_since: datetime | None) -> ListingFilters:
    if min_pay is not None and (pay_unit is None or currency is None):
        raise HTTPException(status_code=422, detail=[{
            "field": "min_pay", "problem": "give pay_unit and currency with min_pay: pay is compared only in the "
                                           "same unit and currency"}])
    return ListingFilters(
        tags=tuple(sorted(set(tags or []))), remote=tuple(sorted(set(remote or []))),
        region=(region or "").strip() or None, employment_types=tuple(sorted(set(employment_type or []))),
        min_pay=min_pay, pay_unit=pay_unit if min_pay is not None else None,
        currency=currency.upper() if currency and min_pay is not None else None, posted_since=posted_since,
    )


def _iso_seconds(seconds: float) -> str | None:
    if seconds != seconds:  # NaN: not known
        return None
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def listing_tags(row: dict[str, Any]) -> list[str]:
    signals = [s["tag"] for s in row.get("signals") or []]
    registry = [t["tag"] for t in (row.get("employer") or {}).get("registry_tags") or []]
    return list(dict.fromkeys(signals + registry))


def _summary(row: dict[str, Any], posted: float, score: float | None) -> dict[str, Any]:
    return {
        "id": row["id"], "title": row["title"], "employer": (row.get("employer") or {}).get("name"),
        "places": row.get("locations") or [], "remote": row.get("remote"),
        "employment_types": row.get("employment_types") or [], "salary": row.get("salary"),
        "hours_per_week": row.get("hours_per_week"), "language": row.get("language"),
        "posted_at": _iso_seconds(posted), "tags": listing_tags(row), "url": row.get("url"),
        "apply_url": row.get("apply_url"), "score": score,
    }


def _page_dict(index: ServingIndex, facts: ListingFacts, page: SearchPage, cursor: str | None) -> dict[str, Any]:
    rows = index.rows_at(page.positions)
    results = [_summary(row, float(facts.posted[p]), score)
               for row, p, score in zip(rows, page.positions, page.scores, strict=True)]
    return {"snapshot_version": index.version, "matching": page.matching, "ordered_by": page.ordered_by,
            "results": results, "next_cursor": cursor}


_CALENDAR_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _calendar_date(value: object) -> object:
    """A date or date-time as written (2026-11-01, 2026-11-01T09:00:00+09:00), never a bare number,
    which pydantic would take for seconds since 1970."""
    if isinstance(value, str) and not _CALENDAR_DATE.match(value):
        raise ValueError("give a date or a date and time, e.g. 2026-11-01 or 2026-11-01T09:00:00+09:00")
    return value


@router.get("", response_model=ListingsPageOut, responses=ERRORS | {400: {"model": ErrorOut},
                                                                     410: {"model": ErrorOut}})
def search_listings(
    request: Request, key: RecommendKey, index: IndexDep, settings: SettingsDep,
    q: Annotated[str, Query(max_length=500, description="words to look for, Japanese or English; empty: "
                                                        "newest first")] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="listings per page")] = 20,
    cursor: Annotated[str | None, Query(max_length=2000, description="next_cursor of the previous page")] = None,
    tags: Annotated[list[NeedTag] | None, Query(description="supportive tags the listing (or its employer) "
                                                                  "must all have; repeat the parameter")] = None,
    remote: Annotated[list[RemoteMode] | None,
                      Query(description="any of these, as the listing states it")] = None,
    region: Annotated[str | None, Query(max_length=100, description="two letters: a country (JP, US); else a "
                                                                    "region (東京都, California)")] = None,
    employment_type: Annotated[list[EmploymentType] | None, Query(description="any of these")] = None,
    min_pay: Annotated[float | None, Query(gt=0, description="the top of the stated pay reaches this, in "
                                                             "pay_unit and currency (both required)")] = None,
    pay_unit: Annotated[PayUnit | None, Query()] = None,
    currency: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", description="ISO 4217, e.g. JPY")] = None,
    posted_since: Annotated[datetime | None, BeforeValidator(_calendar_date),
                            Query(description="posted (or first seen) at or after this date "
                                                               "or time, UTC when no zone is given")] = None,
) -> dict[str, Any]:
    """Open listings matching a text query and filters, best match first (newest first without a
    query), a page at a time. Scope: recommend."""
    filters = _filters(tags, remote, region, employment_type, min_pay, pay_unit, currency, posted_since)
    digest = request_digest(CURSOR_KIND, q.strip(), filters)
    after = None
    if cursor:
        at = decode_cursor(cursor, CURSOR_KIND, index.version, digest)
        try:
            after = PageKey(order=float(at["order"]), position=int(at["position"]))
        except (KeyError, TypeError, ValueError):
            raise HTTPException(status_code=400, detail=[{"field": "cursor", "problem": "not a cursor this API "
                                                          "gave out; start again without cursor"}]) from None
    facts = facts_cache(request).facts(index, snapshot_file(settings.serving_dir, index.version))
    page = search(index, facts, q, filters, limit, after)
    next_cursor = None
    if page.next_key is not None:
        next_cursor = encode_cursor(CURSOR_KIND, index.version, digest,
                                    {"order": page.next_key.order, "position": page.next_key.position})
    return _page_dict(index, facts, page, next_cursor)


def _detail(index: ServingIndex, position: int, record: dict[str, Any] | None) -> dict[str, Any]:
    row = index.row(position)
    return {
        "snapshot_version": index.version, "id": row["id"], "title": row["title"], "status": row.get("status"),
        "open": bool(index.open_mask()[position]), "duplicate_of": row.get("duplicate_of"),
        "url": row.get("url"), "apply_url": row.get("apply_url"), "language": row.get("language"),
        "description": row.get("description") or "", "employer": row.get("employer") or {},
        "signals": row.get("signals") or [], "supportiveness": row.get("supportiveness") or 0.0,
        "hours_per_week": row.get("hours_per_week"), "salary": row.get("salary"),
        "places": row.get("locations") or [], "remote": row.get("remote"),
        "remote_regions": row.get("remote_regions") or [], "employment_types": row.get("employment_types") or [],
        "occupation": row.get("occupation"), "seniority": row.get("seniority"),
        "experience_years_min": row.get("experience_years_min"), "suspicious": row.get("suspicious") or [],
        "dates": record["dates"] if record else None, "history": record["history"] if record else None,
    }


@router.get("/{listing_id}", response_model=ListingOut,
            responses={code: {"model": ErrorOut} for code in (401, 403, 404, 503)})
def read_listing(
    key: RecommendKey, index: IndexDep, settings: SettingsDep,
    listing_id: Annotated[str, PathParam(min_length=1, max_length=200)],
) -> dict[str, Any]:
    """One listing of the served snapshot as it is served: employer with its registry tags, the
    signals with their evidence, hours, pay, places, remote regions, occupation, and a summary of
    its history. Closed listings the snapshot holds are shown too (``open`` false). Scope: recommend."""
    position = index.position(listing_id)
    if position is None:
        raise HTTPException(status_code=404, detail=f"no listing with id {listing_id} in snapshot {index.version}")
    snapshot = snapshot_file(settings.serving_dir, index.version)
    return _detail(index, position, listing_record(snapshot, listing_id) if snapshot is not None else None)

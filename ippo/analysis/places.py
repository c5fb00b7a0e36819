"""SQL shared by the queries: each listing's places and tags, with "unknown" where nothing is stated."""

from __future__ import annotations

from ippo.analysis.snapshot import UNKNOWN

STATUSES = ("open", "closed")


def status_filter(status: str | None, alias: str = "listings") -> str:
    """A WHERE condition for one status (open | closed), or TRUE for every listing."""
    if status is None:
        return "TRUE"
    if status not in STATUSES:
        raise ValueError(f"unknown listing status {status!r}: use one of {', '.join(STATUSES)} or None for all")
    return f"{alias}.status = '{status}'"


def places_sql(status: str | None) -> str:
    """One row per listing and distinct (country, region) it names; a listing naming no place is
    one row with both "unknown"."""
    where = status_filter(status)
    return f"""
        SELECT DISTINCT listings.id, listings.source, listings.status,
               coalesce(nullif(trim(loc.country), ''), '{UNKNOWN}') AS country,
               coalesce(nullif(trim(loc.region), ''), '{UNKNOWN}') AS region
        FROM listings, unnest(listings.locations) AS u(loc)
        WHERE {where}
        UNION ALL
        SELECT listings.id, listings.source, listings.status, '{UNKNOWN}' AS country, '{UNKNOWN}' AS region
        FROM listings
        WHERE {where} AND coalesce(len(listings.locations), 0) = 0
    """


def tags_sql(status: str | None) -> str:
    """One row per listing and supportive tag, from its own signals and its employer's registry
    tags; ``origin`` is where the tag was read (text | structured | registry)."""
    where = status_filter(status)
    return f"""
        SELECT listings.id, listings.source, s.tag, s.evidence, coalesce(s.source, '{UNKNOWN}') AS origin
        FROM listings, unnest(listings.signals) AS u(s)
        WHERE {where}
        UNION ALL
        SELECT listings.id, listings.source, r.tag, r.evidence, 'registry' AS origin
        FROM listings, unnest(listings.employer.registry_tags) AS u(r)
        WHERE {where}
    """

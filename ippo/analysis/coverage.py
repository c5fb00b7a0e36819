"""What the snapshot covers: listings per source, place, employment type and remote mode,
open and closed over time, and the crawl health of each source as the snapshot shows it."""

from __future__ import annotations

import duckdb
import pandas as pd

from ippo.analysis.places import places_sql, status_filter
from ippo.analysis.snapshot import UNKNOWN, has_table


def listings_by_source(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source: listings, open, closed, and closed by reason (expired, unseen, ...)."""
    return con.sql(f"""
        SELECT source, count(*) AS listings,
               count(*) FILTER (status = 'open') AS open, count(*) FILTER (status = 'closed') AS closed,
               count(*) FILTER (status = 'closed' AND closed_reason = 'expired') AS closed_expired,
               count(*) FILTER (status = 'closed' AND closed_reason = 'unseen') AS closed_unseen,
               count(*) FILTER (status = 'closed' AND coalesce(closed_reason, '{UNKNOWN}')
                                NOT IN ('expired', 'unseen')) AS closed_other
        FROM listings GROUP BY source ORDER BY listings DESC, source
    """).df()


def listings_by_place(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Listings per country and region (prefecture in Japan); a listing naming several places
    counts in each, one naming none counts as "unknown"."""
    return con.sql(f"""
        SELECT country, region, count(DISTINCT id) AS listings
        FROM ({places_sql(status)}) GROUP BY country, region ORDER BY listings DESC, country, region
    """).df()


def listings_by_employment_type(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Listings per employment type (a listing may state several; none stated is "unknown")."""
    return con.sql(f"""
        WITH types AS (
            SELECT id, unnest(CASE WHEN coalesce(len(employment_types), 0) = 0 THEN ['{UNKNOWN}']
                                   ELSE employment_types END) AS employment_type
            FROM listings WHERE {status_filter(status)}
        )
        SELECT employment_type, count(DISTINCT id) AS listings FROM types
        GROUP BY employment_type ORDER BY listings DESC, employment_type
    """).df()


def remote_share(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Per source and remote mode (onsite | hybrid | remote | unknown): listings and share of the source."""
    return con.sql(f"""
        SELECT source, coalesce(remote, '{UNKNOWN}') AS remote, count(*) AS listings,
               count(*) / sum(count(*)) OVER (PARTITION BY source) AS share
        FROM listings WHERE {status_filter(status)}
        GROUP BY 1, 2 ORDER BY source, listings DESC, remote
    """).df()


def open_over_time(con: duckdb.DuckDBPyConnection, period: str = "day") -> pd.DataFrame:
    """Per period and source: listings opened (new or reopened) and closed, and the open total at
    the end of the period. Read from the snapshot's listing history; a snapshot without it is
    approximated from first_seen (opened) and, for closed listings, last_seen (closed), and the
    ``basis`` column says which."""
    if period not in ("hour", "day", "week", "month"):
        raise ValueError(f"unknown period {period!r}: use hour, day, week or month")
    if has_table(con, "listing_history"):
        events = f"""
            SELECT l.source, date_trunc('{period}', h.changed_at) AS period,
                   count(*) FILTER (h.change IN ('new', 'reopened')) AS opened,
                   count(*) FILTER (h.change = 'closed') AS closed
            FROM listing_history h JOIN listings l ON l.id = h.listing_id GROUP BY ALL"""
        basis = "listing_history"
    else:
        events = f"""
            SELECT source, period, sum(opened) AS opened, sum(closed) AS closed FROM (
                SELECT source, date_trunc('{period}', first_seen) AS period, 1 AS opened, 0 AS closed FROM listings
                UNION ALL
                SELECT source, date_trunc('{period}', last_seen), 0, 1 FROM listings WHERE status = 'closed'
            ) GROUP BY ALL"""
        basis = "first_seen/last_seen"
    frame = con.sql(f"SELECT * FROM ({events}) ORDER BY source, period").df()
    frame["open_total"] = (frame["opened"] - frame["closed"]).groupby(frame["source"]).cumsum()
    frame["basis"] = basis
    return frame


def crawl_health(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per source, what the snapshot shows of its crawls: raw runs that changed a listing, the
    last change and the last time a listing was seen, hours between that and publication, and the
    history's new / changed / closed / reopened counts. (How many items each run held, how many
    were quarantined and whether the crawl finished stay in the warehouse's raw_runs.)"""
    published = ("(SELECT max(published_at) FROM snapshot_meta)" if has_table(con, "snapshot_meta")
                 else "(SELECT max(last_seen) FROM listings)")
    history = (con.sql("""
        SELECT l.source, count(DISTINCT h.raw_run) AS runs_with_changes, max(h.changed_at) AS last_change,
               count(*) FILTER (h.change = 'new') AS new, count(*) FILTER (h.change = 'changed') AS changed,
               count(*) FILTER (h.change = 'closed') AS closed_events,
               count(*) FILTER (h.change = 'reopened') AS reopened
        FROM listing_history h JOIN listings l ON l.id = h.listing_id GROUP BY l.source""").df()
               if has_table(con, "listing_history") else pd.DataFrame({"source": pd.Series(dtype=str)}))
    seen = con.sql(f"""
        SELECT source, count(*) AS listings, count(*) FILTER (status = 'open') AS open,
               max(last_seen) AS last_seen,
               round(date_diff('second', max(last_seen), {published}) / 3600.0, 1) AS hours_unseen_at_publish,
               count(*) FILTER (len(coalesce(suspicious, [])) > 0) AS suspicious
        FROM listings GROUP BY source""").df()
    return seen.merge(history, on="source", how="left").sort_values("source", ignore_index=True)


def runs_by_source(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per raw run that changed listings: its source, when, and how many listings it added or changed."""
    if not has_table(con, "listing_history"):
        return pd.DataFrame(columns=["source", "raw_run", "run_at", "new", "changed", "reopened"])
    return con.sql("""
        SELECT l.source, h.raw_run, min(h.changed_at) AS run_at,
               count(*) FILTER (h.change = 'new') AS new, count(*) FILTER (h.change = 'changed') AS changed,
               count(*) FILTER (h.change = 'reopened') AS reopened
        FROM listing_history h JOIN listings l ON l.id = h.listing_id
        WHERE h.raw_run IS NOT NULL GROUP BY ALL ORDER BY run_at, l.source
    """).df()

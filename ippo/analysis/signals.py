"""Supportive signals: how common each tag is, where, with which evidence; registry-certified employers."""

from __future__ import annotations

import duckdb
import pandas as pd

from ippo.analysis.places import places_sql, status_filter, tags_sql
from ippo.analysis.snapshot import UNKNOWN

GROUPINGS = ("source", "country", "region")


def signal_counts(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Per tag: listings carrying it, their share of the listings considered, and how many were
    read from the text, from structured fields or from an employer registry."""
    considered = int(con.execute(f"SELECT count(*) FROM listings WHERE {status_filter(status)}").fetchall()[0][0])
    frame = con.sql(f"""
        SELECT tag, count(DISTINCT id) AS listings,
               count(DISTINCT id) FILTER (origin = 'text') AS from_text,
               count(DISTINCT id) FILTER (origin = 'structured') AS from_structured,
               count(DISTINCT id) FILTER (origin = 'registry') AS from_registry
        FROM ({tags_sql(status)}) GROUP BY tag ORDER BY listings DESC, tag
    """).df()
    frame.insert(2, "share", frame["listings"] / considered if considered else 0.0)
    return frame


def signals_by(con: duckdb.DuckDBPyConnection, by: str = "source", status: str | None = "open") -> pd.DataFrame:
    """Per group (source, country or region) and tag: listings with the tag and their share of the
    group's listings (places not stated form the group "unknown")."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group signals by {by!r}: use one of {', '.join(GROUPINGS)}")
    if by == "source":
        groups = f"SELECT id, source AS grp FROM listings WHERE {status_filter(status)}"
    else:
        groups = f"SELECT DISTINCT id, {by} AS grp FROM ({places_sql(status)})"
    frame = con.sql(f"""
        WITH groups AS ({groups}),
             sizes AS (SELECT grp, count(DISTINCT id) AS group_listings FROM groups GROUP BY grp),
             tagged AS (SELECT DISTINCT g.grp, t.tag, t.id FROM groups g JOIN ({tags_sql(status)}) t ON t.id = g.id)
        SELECT tagged.grp AS {by}, tag, count(*) AS listings, any_value(sizes.group_listings) AS group_listings
        FROM tagged JOIN sizes USING (grp) GROUP BY tagged.grp, tag ORDER BY {by}, listings DESC, tag
    """).df()
    frame["share"] = frame["listings"] / frame["group_listings"]
    return frame


def signal_examples(con: duckdb.DuckDBPyConnection, per_tag: int = 2, status: str | None = "open") -> pd.DataFrame:
    """Up to ``per_tag`` listings per tag with the words that were read as the tag (the evidence)."""
    return con.sql(f"""
        WITH tagged AS (
            SELECT t.tag, t.origin, t.evidence, l.title, coalesce(l.employer.name, '{UNKNOWN}') AS employer,
                   l.source, l.url,
                   row_number() OVER (PARTITION BY t.tag ORDER BY l.id) AS nth
            FROM ({tags_sql(status)}) t JOIN listings l ON l.id = t.id
        )
        SELECT tag, title, employer, evidence, origin, source, url FROM tagged
        WHERE nth <= {int(per_tag)} ORDER BY tag, nth
    """).df()


def certified_employers(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Employers an employer registry certifies (くるみん, えるぼし, もにす, ...): their registry tags,
    an example of the registry evidence, and their listings, open and in all."""
    return con.sql(f"""
        WITH certified AS (
            SELECT l.id, l.status, coalesce(l.employer.name, '{UNKNOWN}') AS employer, r.tag, r.evidence
            FROM listings l, unnest(l.employer.registry_tags) AS u(r)
        )
        SELECT employer, string_agg(DISTINCT tag, ', ' ORDER BY tag) AS registry_tags,
               count(DISTINCT id) AS listings, count(DISTINCT id) FILTER (status = 'open') AS open,
               min(evidence) AS evidence
        FROM certified GROUP BY employer ORDER BY open DESC, listings DESC, employer
    """).df()


def certified_listings(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """The listings of registry-certified employers, with their tags and place."""
    return con.sql(f"""
        SELECT l.title, coalesce(l.employer.name, '{UNKNOWN}') AS employer,
               list_sort(list_distinct(list_transform(l.employer.registry_tags, lambda r: r.tag))) AS registry_tags,
               coalesce(l.locations[1].region, '{UNKNOWN}') AS region, l.status, l.source, l.url
        FROM listings l
        WHERE {status_filter(status, 'l')} AND len(coalesce(l.employer.registry_tags, [])) > 0
        ORDER BY employer, l.title
    """).df()

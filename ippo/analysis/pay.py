"""Pay and hours as listings state them, and how many do not ("unknown", counted, never dropped)."""

from __future__ import annotations

import duckdb
import pandas as pd

from ippo.analysis.places import places_sql, status_filter
from ippo.analysis.snapshot import UNKNOWN

_PAY_STATED = "(salary.min IS NOT NULL OR salary.max IS NOT NULL)"
_HOURS_STATED = "(hours_per_week.min IS NOT NULL OR hours_per_week.max IS NOT NULL)"


def stated_shares(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Per source: listings, how many state pay and hours per week, and how many leave them unknown."""
    frame = con.sql(f"""
        SELECT source, count(*) AS listings,
               count(*) FILTER ({_PAY_STATED}) AS pay_stated, count(*) FILTER (NOT {_PAY_STATED}) AS pay_unknown,
               count(*) FILTER ({_HOURS_STATED}) AS hours_stated,
               count(*) FILTER (NOT {_HOURS_STATED}) AS hours_unknown
        FROM listings WHERE {status_filter(status)}
        GROUP BY source ORDER BY listings DESC, source
    """).df()
    frame["pay_stated_share"] = frame["pay_stated"] / frame["listings"]
    frame["hours_stated_share"] = frame["hours_stated"] / frame["listings"]
    return frame


def _pay_rows(status: str | None) -> str:
    """Per listing: its pay (amounts NULL when not stated) with currency and unit labelled "unknown"
    when not stated, and the midpoint of the stated range."""
    return f"""
        SELECT id, source, salary.min AS pay_min, salary.max AS pay_max,
               coalesce((salary.min + salary.max) / 2, salary.min, salary.max) AS pay_mid,
               CASE WHEN {_PAY_STATED} THEN coalesce(salary.currency, '{UNKNOWN}') ELSE '{UNKNOWN}' END AS currency,
               CASE WHEN {_PAY_STATED} THEN coalesce(salary.unit, '{UNKNOWN}') ELSE '{UNKNOWN}' END AS unit
        FROM listings WHERE {status_filter(status)}
    """


def pay_units(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Listings per pay currency and unit (HOUR, DAY, MONTH, YEAR...); pay not stated is one row
    with currency and unit "unknown"."""
    return con.sql(f"""
        SELECT currency, unit, count(*) AS listings FROM ({_pay_rows(status)})
        GROUP BY currency, unit ORDER BY (currency = '{UNKNOWN}'), listings DESC, currency, unit
    """).df()


def pay_amounts(con: duckdb.DuckDBPyConnection, currency: str | None = None, unit: str | None = None,
                status: str | None = "open") -> pd.DataFrame:
    """Per listing that states pay in the currency and unit asked for (all when None): its source,
    places (country, region) and pay min, max and midpoint. Listings without pay are in
    :func:`pay_units` and :func:`pay_by_region`, as "unknown"."""
    frame = con.sql(f"""
        SELECT p.id, p.source, pl.country, pl.region, p.currency, p.unit, p.pay_min, p.pay_max, p.pay_mid
        FROM ({_pay_rows(status)}) p JOIN ({places_sql(status)}) pl ON pl.id = p.id
        WHERE p.pay_mid IS NOT NULL AND ($currency IS NULL OR p.currency = $currency)
              AND ($unit IS NULL OR p.unit = $unit)
        ORDER BY pl.country, pl.region, p.pay_mid
    """, params={"currency": currency, "unit": unit}).df()
    return frame


def pay_by_region(con: duckdb.DuckDBPyConnection, currency: str, unit: str, country: str | None = None,
                  status: str | None = "open") -> pd.DataFrame:
    """Per region (prefecture in Japan) of ``country`` (all countries when None): listings, how
    many state pay in ``currency`` per ``unit``, how many state it otherwise, how many leave it
    unknown, and the quartiles of the midpoint of those that state it in that unit."""
    return con.sql(f"""
        WITH rows AS (
            SELECT pl.country, pl.region, p.id, p.currency, p.unit, p.pay_mid
            FROM ({_pay_rows(status)}) p JOIN ({places_sql(status)}) pl ON pl.id = p.id
            WHERE $country IS NULL OR pl.country = $country
        ),
        wanted AS (SELECT *, (currency = $currency AND unit = $unit AND pay_mid IS NOT NULL) AS fits FROM rows)
        SELECT country, region, count(DISTINCT id) AS listings,
               count(DISTINCT id) FILTER (fits) AS stated_in_unit,
               count(DISTINCT id) FILTER (NOT fits AND currency <> '{UNKNOWN}') AS stated_otherwise,
               count(DISTINCT id) FILTER (currency = '{UNKNOWN}') AS pay_unknown,
               quantile_cont(pay_mid, 0.25) FILTER (fits) AS q1,
               median(pay_mid) FILTER (fits) AS median,
               quantile_cont(pay_mid, 0.75) FILTER (fits) AS q3
        FROM wanted GROUP BY country, region ORDER BY stated_in_unit DESC, listings DESC, country, region
    """, params={"currency": currency, "unit": unit, "country": country}).df()


HOUR_BANDS = ((0.0, 20.0, "under 20"), (20.0, 30.0, "20-29"), (30.0, 40.0, "30-39"), (40.0, 1e9, "40 or more"))


def hours_bands(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Listings per band of stated hours per week (by the lower bound stated) and employment type,
    with a band "unknown" for listings that do not state their hours."""
    cases = " ".join(f"WHEN low >= {lo} AND low < {hi} THEN '{label}'" for lo, hi, label in HOUR_BANDS)
    order = {label: n for n, (_, _, label) in enumerate(HOUR_BANDS)} | {UNKNOWN: len(HOUR_BANDS)}
    frame = con.sql(f"""
        WITH rows AS (
            SELECT id, coalesce(hours_per_week.min, hours_per_week.max) AS low,
                   CASE WHEN coalesce(len(employment_types), 0) = 0 THEN '{UNKNOWN}'
                        ELSE array_to_string(list_sort(employment_types), '+') END AS employment_type
            FROM listings WHERE {status_filter(status)}
        )
        SELECT CASE WHEN low IS NULL THEN '{UNKNOWN}' {cases} END AS hours_per_week, employment_type,
               count(*) AS listings
        FROM rows GROUP BY ALL
    """).df()
    frame["_order"] = frame["hours_per_week"].map(order)
    return frame.sort_values(["_order", "employment_type"]).drop(columns="_order").reset_index(drop=True)


def hours_amounts(con: duckdb.DuckDBPyConnection, status: str | None = "open") -> pd.DataFrame:
    """Per listing that states hours per week: its source, min, max and midpoint."""
    return con.sql(f"""
        SELECT id, source, hours_per_week.min AS hours_min, hours_per_week.max AS hours_max,
               coalesce((hours_per_week.min + hours_per_week.max) / 2, hours_per_week.min,
                        hours_per_week.max) AS hours_mid
        FROM listings WHERE {status_filter(status)} AND {_HOURS_STATED} ORDER BY hours_mid
    """).df()

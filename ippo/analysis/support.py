"""Support offices against open listings: where the offices and the listings are, and how many
offices there are per 100 open listings in each prefecture of Japan, overall and per service type.

Read from the snapshot's ``support_offices`` and ``area_centroids`` (docs/support.md). A snapshot
published before any support data was loaded holds them empty (one published before they existed
lacks them): every function then still answers, with the offices at zero and the status
:data:`NO_SUPPORT_DATA`, never as "no support here".

A listing's place in Japan is its stated prefecture (``region``) and municipality (``locality``),
placed at the municipality's centroid, else at its prefecture's: approximate by construction.
A listing naming several prefectures counts in each; a listing in Japan naming none is counted
under "unknown" and given no rate.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from ippo.analysis.snapshot import UNKNOWN, has_table
from pipeline.fields.location import prefecture_iso_code, resolve_prefecture
from pipeline.places.municipalities import Municipality
from pipeline.support.service_types import SERVICE_LABELS
from ranker.support.places import municipality_of_place, municipality_point
from ranker.support.tables import SERVICE_TYPES, SupportTables, build_support_tables

NO_SUPPORT_DATA = "no support data loaded"
ALL_JAPAN = "全国"  # the last row of support_per_listings: every open listing in Japan, every office
PER = 100  # offices per this many open listings
MIN_LISTINGS = 20  # fewer open listings than this: no rate (a ratio of small numbers says little)
THIN_SHARE = 0.5  # thin: a rate below this share of the reference rate

# Statuses of a prefecture's rate.
FEW_LISTINGS = "few listings"
NO_OFFICES = "no offices"
THIN = "thin"
OK = "ok"


# ------------------------------------------------------------------------------------- the offices

def _rows_in(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows of a support table; 0 when the snapshot lacks it (published before it existed)."""
    if not has_table(con, table):
        return 0
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _offices_loaded(con: duckdb.DuckDBPyConnection) -> bool:
    return _rows_in(con, "support_offices") > 0


def support_status(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row: whether support data is loaded (``note`` says "no support data loaded" when not),
    the offices and how they are placed (own coordinates, municipality centroid, not placeable),
    the prefectures holding offices, the Hello Work area rows and the centroids."""
    offices = office_points(con, include_unplaced=True)
    loaded = not offices.empty
    return pd.DataFrame([{
        "loaded": loaded, "note": "" if loaded else NO_SUPPORT_DATA, "offices": len(offices),
        "placed_by_coordinates": int((offices["placed_by"] == "coordinates").sum()),
        "placed_at_centroid": int((offices["placed_by"] == "municipality centroid").sum()),
        "unplaced": int((offices["placed_by"] == "not placed").sum()),
        "prefectures_with_offices": int(offices["prefecture"].nunique()),
        "hellowork_areas": _rows_in(con, "hellowork_areas"), "area_centroids": _rows_in(con, "area_centroids"),
    }])


def office_points(con: duckdb.DuckDBPyConnection, include_unplaced: bool = False) -> pd.DataFrame:
    """One row per open office: service type and label, prefecture, municipality code, and its
    point (lat, lng): its own coordinates, else its municipality's centroid (``placed_by`` says
    which). Offices with neither are left out unless ``include_unplaced`` (then NaN, "not placed")."""
    columns = ["office_id", "name", "service_type", "service_label", "prefecture", "municipality_code",
               "lat", "lng", "placed_by"]
    if not _offices_loaded(con):
        return pd.DataFrame({column: pd.Series(dtype="float64" if column in ("lat", "lng") else "object")
                             for column in columns})
    centroid_join = ("LEFT JOIN area_centroids AS c ON c.area_code = o.municipality_code AND c.level = 'municipality'"
                     if has_table(con, "area_centroids") else
                     "LEFT JOIN (SELECT NULL::VARCHAR AS area_code, NULL::DOUBLE AS lat, NULL::DOUBLE AS lng) AS c "
                     "ON FALSE")
    points = con.sql(f"""
        SELECT o.office_id, o.name, o.service_type, coalesce(o.service_label, o.service_type) AS service_label,
               coalesce(nullif(trim(o.prefecture), ''), '{UNKNOWN}') AS prefecture, o.municipality_code,
               CASE WHEN o.lat IS NOT NULL AND o.lng IS NOT NULL THEN o.lat ELSE c.lat END AS lat,
               CASE WHEN o.lat IS NOT NULL AND o.lng IS NOT NULL THEN o.lng ELSE c.lng END AS lng,
               CASE WHEN o.lat IS NOT NULL AND o.lng IS NOT NULL THEN 'coordinates'
                    WHEN c.lat IS NOT NULL THEN 'municipality centroid' ELSE 'not placed' END AS placed_by
        FROM support_offices AS o {centroid_join}
        ORDER BY o.office_id
    """).df()[columns]
    return points if include_unplaced else points[points["placed_by"] != "not placed"].reset_index(drop=True)


def offices_per_prefecture(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open offices per prefecture and service type (placed or not), prefectures in JIS order."""
    offices = office_points(con, include_unplaced=True)
    counted = (offices.groupby(["prefecture", "service_type", "service_label"], as_index=False)
               .agg(offices=("office_id", "count")))
    return _in_prefecture_order(counted, ["service_type"])


# ---------------------------------------------------------------------------------- the listings

def _japanese_places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per open listing and distinct (region, locality) it names in Japan (country JP)."""
    return con.sql("""
        SELECT DISTINCT listings.id, coalesce(trim(loc.region), '') AS region,
               coalesce(trim(loc.locality), '') AS locality
        FROM listings, unnest(listings.locations) AS u(loc)
        WHERE listings.status = 'open' AND upper(trim(loc.country)) = 'JP'
    """).df()


def _centroid_tables(con: duckdb.DuckDBPyConnection) -> SupportTables:
    rows = (con.sql("SELECT area_code, level, name, lat, lng, offices FROM area_centroids").to_arrow_table().to_pylist()
            if has_table(con, "area_centroids") else [])
    return build_support_tables("analysis", [], [], rows)


def _place(tables: SupportTables, region: str, locality: str) -> dict[str, object]:
    """Prefecture, municipality and point of one stated place (NaN where the snapshot has no centroid)."""
    municipality: Municipality | None = municipality_of_place(region, locality) if region or locality else None
    prefecture = resolve_prefecture(region) or (municipality.prefecture if municipality else None) or UNKNOWN
    place: dict[str, object] = {
        "prefecture": prefecture, "municipality_code": municipality.code if municipality else None,
        "municipality": municipality.name if municipality else None,
        "lat": math.nan, "lng": math.nan, "placed_by": "not placed"}
    found = municipality_point(tables, municipality.code) if municipality else None
    if found is not None:
        place.update(lat=found.lat, lng=found.lng, placed_by="municipality centroid")
        return place
    code = (prefecture_iso_code(prefecture) or "")[3:]
    found = tables.centroids.get(code) if code else None
    if found is not None and found.level == "prefecture":
        place.update(lat=found.lat, lng=found.lng, placed_by="prefecture centroid")
    return place


def listing_places(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open listings in Japan per place: prefecture ("unknown" when none is stated), municipality
    (code and name, None when not named), its point from ``area_centroids`` (the municipality's,
    else the prefecture's; NaN when the snapshot holds neither, as without support data) and
    ``placed_by``; a listing naming several places counts at each."""
    columns = ["prefecture", "municipality_code", "municipality", "lat", "lng", "placed_by", "listings"]
    places = _japanese_places(con)
    if places.empty:
        return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})
    tables = _centroid_tables(con)
    resolved = {key: _place(tables, *key) for key in set(zip(places["region"], places["locality"], strict=True))}
    rows = pd.DataFrame([{"id": listing_id, **resolved[(region, locality)]} for listing_id, region, locality
                         in zip(places["id"], places["region"], places["locality"], strict=True)])
    keys = ["prefecture", "municipality_code", "municipality", "lat", "lng", "placed_by"]
    counted = rows.groupby(keys, dropna=False, as_index=False).agg(listings=("id", "nunique"))
    for column in ("municipality_code", "municipality"):  # None, not NaN, where no municipality is named
        counted[column] = counted[column].astype(object).where(counted[column].notna(), None)
    return _in_prefecture_order(counted, ["municipality_code"])[columns]


def open_listings_per_prefecture(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Open listings in Japan per prefecture (distinct listings; "unknown": none stated)."""
    places = _japanese_places(con)
    if places.empty:
        return pd.DataFrame({"prefecture": pd.Series(dtype="object"), "open_listings": pd.Series(dtype="int64")})
    places["prefecture"] = [resolve_prefecture(region) or _prefecture_of(region, locality)
                            for region, locality in zip(places["region"], places["locality"], strict=True)]
    counted = places.groupby("prefecture", as_index=False).agg(open_listings=("id", "nunique"))
    return _in_prefecture_order(counted, [])


def _prefecture_of(region: str, locality: str) -> str:
    municipality = municipality_of_place(region, locality) if region or locality else None
    return municipality.prefecture if municipality else UNKNOWN


def _japan_listings(con: duckdb.DuckDBPyConnection) -> int:
    return int(_japanese_places(con)["id"].nunique())


# ------------------------------------------------------------------------------------- the rates

def support_per_listings(con: duckdb.DuckDBPyConnection, per: int = PER, min_listings: int = MIN_LISTINGS,
                         thin_share: float = THIN_SHARE) -> pd.DataFrame:
    """Per prefecture holding open listings or offices (JIS order, "unknown" then 全国 last):
    open listings, offices, offices per ``per`` open listings and its ``status``:

    - "few listings": fewer than ``min_listings`` open listings, no rate computed;
    - "no offices": none in the loaded data (thin, or outside what was loaded);
    - "thin": a rate below ``thin_share`` of the reference rate, that of the prefectures holding
      offices (``reference`` column; a data set loaded for a few prefectures only is compared
      with itself, not with the prefectures it does not cover);
    - "ok"; or "no support data loaded" for every row when the snapshot holds no office.
    """
    offices = offices_per_prefecture(con).groupby("prefecture", as_index=False)["offices"].sum()
    table = _rates(_joined(open_listings_per_prefecture(con), offices), per, min_listings, thin_share,
                   loaded=_offices_loaded(con))
    total = pd.DataFrame([{"prefecture": ALL_JAPAN, "open_listings": _japan_listings(con),
                           "offices": int(offices["offices"].sum())}])
    total = _rates(total, per, min_listings, thin_share, loaded=_offices_loaded(con),
                   reference=float(table["reference"].max()) if not table.empty else None)
    return pd.concat([table, total], ignore_index=True) if not table.empty else total


def support_per_listings_by_service(con: duckdb.DuckDBPyConnection, per: int = PER, min_listings: int = MIN_LISTINGS,
                                    thin_share: float = THIN_SHARE) -> pd.DataFrame:
    """As :func:`support_per_listings`, one row per prefecture and service type (the types held by
    the snapshot; the four employment services when none is loaded), each type's rate compared
    with that type's reference rate."""
    listings = open_listings_per_prefecture(con)
    offices = offices_per_prefecture(con)
    loaded = _offices_loaded(con)
    held = set(offices["service_type"])
    kinds = [kind for kind in SERVICE_TYPES if kind in held] + sorted(held - set(SERVICE_TYPES)) if held \
        else list(SERVICE_TYPES[:4])
    parts = []
    for kind in kinds:
        of_kind = offices[offices["service_type"] == kind]
        part = _rates(_joined(listings, of_kind[["prefecture", "offices"]]), per, min_listings, thin_share, loaded)
        label = of_kind["service_label"].iloc[0] if not of_kind.empty else SERVICE_LABELS.get(kind, kind)
        parts.append(part.assign(service_type=kind, service_label=label))
    columns = ["prefecture", "service_type", "service_label", "open_listings", "offices", "per_listings", "reference",
               "status"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def _joined(listings: pd.DataFrame, offices: pd.DataFrame) -> pd.DataFrame:
    joined = listings.merge(offices, on="prefecture", how="outer")
    joined["open_listings"] = joined["open_listings"].fillna(0).astype("int64")
    joined["offices"] = joined["offices"].fillna(0).astype("int64")
    return _in_prefecture_order(joined, [])


def _rates(table: pd.DataFrame, per: int, min_listings: int, thin_share: float, loaded: bool,
           reference: float | None = None) -> pd.DataFrame:
    """Adds per_listings (offices per ``per`` open listings, NaN where not computed), the reference
    rate and the status of each row (see :func:`support_per_listings`)."""
    table = table.copy()
    rated = (table["open_listings"] >= min_listings) & (table["prefecture"] != UNKNOWN)
    table["per_listings"] = (table["offices"] * per / table["open_listings"]).where(rated)
    if reference is None:
        basis = table[rated & (table["offices"] > 0)]
        reference = (basis["offices"].sum() * per / basis["open_listings"].sum()) if not basis.empty else math.nan
    table["reference"] = reference
    table["status"] = [_status(row, loaded, min_listings, thin_share) for row in table.to_dict("records")]
    return table[["prefecture", "open_listings", "offices", "per_listings", "reference", "status"]]


def _status(row: dict[str, Any], loaded: bool, min_listings: int, thin_share: float) -> str:
    if not loaded:
        return NO_SUPPORT_DATA
    if row["prefecture"] == UNKNOWN or row["open_listings"] < min_listings:
        return FEW_LISTINGS
    if row["offices"] == 0:
        return NO_OFFICES
    reference = float(row["reference"])
    if not math.isnan(reference) and float(row["per_listings"]) < thin_share * reference:
        return THIN
    return OK


def _in_prefecture_order(table: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    """Rows in JIS prefecture order (北海道 first), prefectures not in Japan's 47 and "unknown" last."""
    if table.empty:
        return table.reset_index(drop=True)
    order = table["prefecture"].map(lambda name: prefecture_iso_code(name) or ("JP-98" if name != UNKNOWN else "JP-99"))
    return (table.assign(_order=order).sort_values(["_order", "prefecture", *then], na_position="last")
            .drop(columns="_order").reset_index(drop=True))

"""The snapshot's support tables, read once per snapshot version and shared by requests.

``support_offices``, ``hellowork_areas`` and ``area_centroids`` are copied into every serving
snapshot by ``ippo publish``; a snapshot published before support data was loaded holds them
empty, and one published before they existed lacks them: both read as *not loaded*, which the
answers say as such (never as "nothing nearby"). Offices without coordinates are placed at their
municipality's centroid and marked approximate; offices that cannot be placed at all are counted
and left out of the searches.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ranker.serving_index import ServingIndex
from ranker.snapshot_tables import has_table

SERVICE_TYPES: tuple[str, ...] = (
    "shuro_ikou", "shuro_keizoku_a", "shuro_keizoku_b", "shuro_teichaku",
    "jiritsu_kunren_seikatsu", "jiritsu_kunren_kinou",
)
_OFFICE_COLUMNS = (
    "office_id, office_number, service_type, service_label, name, operator_name, municipality_code, prefecture, "
    "address, phone, url, hours_weekday, hours_saturday, hours_sunday, hours_holiday, closed_days, days_note, "
    "capacity, lat, lng"
)
_KEEP_VERSIONS = 2


@dataclass(frozen=True)
class Centroid:
    code: str
    level: str  # municipality | prefecture
    name: str
    lat: float
    lng: float
    offices: int


@dataclass
class SupportTables:
    """One snapshot's support data. ``offices`` are the placed offices, aligned with ``lat``,
    ``lng`` (degrees) and ``approximate`` (placed at a centroid, not at their own coordinates)."""

    version: str
    offices: list[dict[str, Any]] = field(default_factory=list)
    lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lng: np.ndarray = field(default_factory=lambda: np.zeros(0))
    approximate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    unplaced: int = 0  # open offices with neither coordinates nor a centroid for their municipality
    hellowork_by_postcode: dict[str, list[str]] = field(default_factory=dict)
    hellowork_by_municipality: dict[str, list[str]] = field(default_factory=dict)
    centroids: dict[str, Centroid] = field(default_factory=dict)
    # Caches of what is derived from the tables (ranker.support.nearest, ranker.support.commute).
    derived: dict[Any, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def offices_loaded(self) -> bool:
        return bool(self.offices) or self.unplaced > 0

    @property
    def hellowork_loaded(self) -> bool:
        return bool(self.hellowork_by_municipality or self.hellowork_by_postcode)

    def memo(self, key: Any, make: Any) -> Any:
        """``make()`` once per key for these tables (derived data shared by requests)."""
        with self._lock:
            if key in self.derived:
                return self.derived[key]
        value = make()
        with self._lock:
            return self.derived.setdefault(key, value)


def _rows(con: duckdb.DuckDBPyConnection, name: str, sql: str) -> list[dict[str, Any]]:
    if not has_table(con, name):
        return []
    return con.sql(sql).to_arrow_table().to_pylist()


def read_support_tables(path: Path, version: str) -> SupportTables:
    """The support tables of a snapshot file (read-only), as empty tables when it has none."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        offices = _rows(con, "support_offices", f"SELECT {_OFFICE_COLUMNS} FROM support_offices ORDER BY office_id")
        areas = _rows(con, "hellowork_areas", "SELECT municipality_code, postal_code, office FROM hellowork_areas "
                                              "ORDER BY office")
        centroids = _rows(con, "area_centroids", "SELECT area_code, level, name, lat, lng, offices "
                                                 "FROM area_centroids")
    finally:
        con.close()
    return build_support_tables(version, offices, areas, centroids)


def build_support_tables(version: str, offices: list[dict[str, Any]], areas: list[dict[str, Any]],
                         centroids: list[dict[str, Any]]) -> SupportTables:
    """Support tables from rows of the contract's three tables (the snapshot's, or rows in memory)."""
    tables = SupportTables(version=version, centroids=_centroids(centroids))
    for area in areas:
        office, postcode, code = area.get("office"), area.get("postal_code"), area.get("municipality_code")
        if not office:
            continue
        target = tables.hellowork_by_postcode.setdefault(postcode, []) if postcode else \
            tables.hellowork_by_municipality.setdefault(str(code), [])
        if office not in target:
            target.append(office)
    _place_offices(tables, offices)
    return tables


def _centroids(rows: list[dict[str, Any]]) -> dict[str, Centroid]:
    found = {}
    for row in rows:
        if row.get("lat") is None or row.get("lng") is None or not row.get("area_code"):
            continue
        found[str(row["area_code"])] = Centroid(str(row["area_code"]), str(row.get("level") or ""),
                                                str(row.get("name") or ""), float(row["lat"]), float(row["lng"]),
                                                int(row.get("offices") or 0))
    return found


def _place_offices(tables: SupportTables, offices: list[dict[str, Any]]) -> None:
    """Each office at its coordinates, else at its municipality's centroid (approximate)."""
    placed, lat, lng, approximate = [], [], [], []
    for office in offices:
        if office.get("lat") is not None and office.get("lng") is not None:
            point, rough = (float(office["lat"]), float(office["lng"])), False
        else:
            centroid = tables.centroids.get(str(office.get("municipality_code") or ""))
            if centroid is None or centroid.level != "municipality":
                tables.unplaced += 1
                continue
            point, rough = (centroid.lat, centroid.lng), True
        placed.append(office)
        lat.append(point[0])
        lng.append(point[1])
        approximate.append(rough)
    tables.offices = placed
    tables.lat = np.array(lat, dtype=np.float64)
    tables.lng = np.array(lng, dtype=np.float64)
    tables.approximate = np.array(approximate, dtype=bool)


class SupportCache:
    """The support tables of the last few snapshot versions, read once per version."""

    def __init__(self, keep: int = _KEEP_VERSIONS) -> None:
        self.keep = keep
        self._entries: OrderedDict[str, SupportTables] = OrderedDict()
        self._lock = threading.Lock()

    def tables(self, index: ServingIndex) -> SupportTables:
        """The support tables of the index's snapshot file; empty ones for an index held in memory."""
        key = f"{index.version}\0{index.snapshot_path}"
        with self._lock:
            found = self._entries.get(key)
        if found is not None:
            return found
        path = index.snapshot_path
        tables = read_support_tables(path, index.version) if path is not None else SupportTables(index.version)
        with self._lock:
            tables = self._entries.setdefault(key, tables)
            while len(self._entries) > self.keep:
                self._entries.popitem(last=False)
        return tables


_SHARED = SupportCache()


def support_tables(index: ServingIndex) -> SupportTables:
    """The support tables beside an index, from the process's shared cache."""
    return _SHARED.tables(index)


def attach_support(index: ServingIndex, tables: SupportTables) -> None:
    """Serve ``tables`` beside an index held in memory (notebooks, tests, generated benchmarks)."""
    key = f"{index.version}\0{index.snapshot_path}"
    with _SHARED._lock:
        _SHARED._entries[key] = tables
        while len(_SHARED._entries) > _SHARED.keep:
            _SHARED._entries.popitem(last=False)

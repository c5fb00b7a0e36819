"""Latency of nearest-services queries (ranker.support.nearest) over every office.

The offices table is built from the real WAM NET CSVs in the shared data
(wam_shuro_jigyosho/, four service types, ~9,300 offices, ~8,400 with coordinates; an office
without coordinates is placed at its municipality's centroid, as the snapshot's loader and
ranker.support.tables do) when they are there; otherwise it is GENERATED: offices scattered
around the coordinates of the 47 prefectural offices. The output says which. Each query asks
from one office's own point for the 10 nearest offices of all types within 10 km (the
defaults of ippo support and GET /v1/support), once per office.

    python -m benchmarks.support_nearby [--shared PATH] [--repeat N]

Target: p99 under 5 ms on the 2-core machine. Run it on an idle machine for figures to quote.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.shared_data import add_shared_option
from ranker.support.nearest import nearest_offices, type_trees
from ranker.support.tables import SERVICE_TYPES, SupportTables, build_support_tables

TARGET_MS = 5.0
_LABELS = {"就労移行支援": "shuro_ikou", "就労継続支援Ａ型": "shuro_keizoku_a", "就労継続支援Ｂ型": "shuro_keizoku_b",
           "就労定着支援": "shuro_teichaku", "自立訓練（生活訓練）": "jiritsu_kunren_seikatsu",
           "自立訓練（機能訓練）": "jiritsu_kunren_kinou"}
# The 47 prefectural offices (都道府県庁所在地), degrees: the centres the generated offices scatter around.
_PREFECTURE_OFFICES = [
    (43.0642, 141.3469), (40.8244, 140.7400), (39.7036, 141.1527), (38.2688, 140.8721), (39.7186, 140.1024),
    (38.2404, 140.3633), (37.7500, 140.4678), (36.3418, 140.4468), (36.5657, 139.8836), (36.3912, 139.0608),
    (35.8570, 139.6489), (35.6047, 140.1233), (35.6895, 139.6917), (35.4478, 139.6425), (37.9026, 139.0236),
    (36.6953, 137.2113), (36.5947, 136.6256), (36.0652, 136.2216), (35.6642, 138.5684), (36.6513, 138.1810),
    (35.3912, 136.7223), (34.9769, 138.3831), (35.1802, 136.9066), (34.7303, 136.5086), (35.0045, 135.8686),
    (35.0212, 135.7556), (34.6863, 135.5200), (34.6913, 135.1830), (34.6851, 135.8048), (34.2261, 135.1675),
    (35.5039, 134.2383), (35.4723, 133.0505), (34.6618, 133.9344), (34.3966, 132.4596), (34.1860, 131.4714),
    (34.0658, 134.5593), (34.3401, 134.0434), (33.8416, 132.7657), (33.5597, 133.5311), (33.6064, 130.4181),
    (33.2494, 130.2988), (32.7448, 129.8737), (32.7898, 130.7417), (33.2382, 131.6126), (31.9111, 131.4239),
    (31.5602, 130.5581), (26.2124, 127.6809),
]


def _float(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def real_offices(folder: Path) -> list[dict[str, Any]]:
    """Offices of the WAM NET CSVs, keyed and typed as the snapshot's support_offices; the
    municipality is the ward or town named at the start of the address (the CSVs lost it)."""
    from pipeline.places.municipalities import municipality_in_address

    offices = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                kind = _LABELS.get(row["サービス種別"])
                if kind is None:
                    continue
                number = row["事業所番号"].zfill(10)
                municipality = municipality_in_address(row["事業所住所（市区町村）"])
                offices.append({"office_id": f"{number}:{kind}", "office_number": number, "service_type": kind,
                                "name": row["事業所の名称"], "municipality_code": municipality.code if municipality
                                else None, "lat": _float(row["事業所緯度"]), "lng": _float(row["事業所経度"])})
    return offices


def generated_offices(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """GENERATED offices around the prefectural offices (within ~30 km), types in turn."""
    rng = random.Random(seed)
    offices = []
    for i in range(count):
        lat, lng = _PREFECTURE_OFFICES[i % len(_PREFECTURE_OFFICES)]
        kind = SERVICE_TYPES[i % 4]
        offices.append({"office_id": f"{i:010d}:{kind}", "office_number": f"{i:010d}", "service_type": kind,
                        "name": f"generated {i}", "municipality_code": None,
                        "lat": lat + rng.gauss(0, 0.15), "lng": lng + rng.gauss(0, 0.18)})
    return offices


def centroids(offices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mean of the offices' coordinates per municipality (as the snapshot's area_centroids)."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for office in offices:
        if office["lat"] is not None and office["municipality_code"]:
            total = sums[office["municipality_code"]]
            total[0] += office["lat"]
            total[1] += office["lng"]
            total[2] += 1
    return [{"area_code": code, "level": "municipality", "name": "", "lat": lat / n, "lng": lng / n, "offices": n}
            for code, (lat, lng, n) in sums.items()]


def build(shared: Path) -> tuple[SupportTables, str]:
    folder = shared / "wam_shuro_jigyosho"
    if folder.is_dir() and any(folder.glob("*.csv")):
        offices = real_offices(folder)
        source = f"REAL WAM NET offices from {folder} ({len(offices)} rows)"
    else:
        offices = generated_offices(9_000)
        source = f"GENERATED offices around the 47 prefectural offices ({len(offices)}; {folder} not found)"
    return build_support_tables("bench", offices, [], centroids(offices)), source


def percentiles(ms: list[float]) -> dict[str, float]:
    values = np.array(ms)
    return {f"p{q}": float(np.percentile(values, q)) for q in (50, 95, 99)}


def run(tables: SupportTables, repeat: int) -> tuple[list[float], int]:
    """Query from every office's point; (milliseconds per query, offices found in all)."""
    timings, found = [], 0
    for _ in range(repeat):
        for lat, lng in zip(tables.lat.tolist(), tables.lng.tolist(), strict=True):
            started = time.perf_counter()
            hits = nearest_offices(tables, lat, lng, None, radius_km=10.0, k=10)
            timings.append((time.perf_counter() - started) * 1000)
            found += len(hits)
    return timings, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(parser)
    parser.add_argument("--repeat", type=int, default=1, help="passes over every office (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    tables, source = build(args.shared)
    built = time.perf_counter()
    type_trees(tables)
    print(f"offices: {source}; placed {len(tables.offices)} ({int(tables.approximate.sum())} at a municipality "
          f"centroid), unplaced {tables.unplaced}")
    print(f"table built in {built - started:.2f} s, trees in {time.perf_counter() - built:.3f} s")
    timings, found = run(tables, args.repeat)
    shares = percentiles(timings)
    figures = ", ".join(f"{name} {value:.3f} ms" for name, value in shares.items())
    verdict = "meets" if shares["p99"] < TARGET_MS else "misses"
    print(f"queries: {len(timings)} (all types, 10 km, k=10; {found / max(len(timings), 1):.1f} offices each)")
    print(f"latency: {figures}; {verdict} the {TARGET_MS:g} ms target")
    print(f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()

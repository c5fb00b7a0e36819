"""A small hand-made snapshot whose every count is known, written by the project's snapshot writer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from benchmarks.generated_snapshot import listing_table
from pipeline.warehouse.snapshot import write_snapshot

DAY1, DAY2, DAY3 = datetime(2026, 11, 1, 9), datetime(2026, 11, 2, 9), datetime(2026, 11, 3, 9)


def _listing(listing_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": listing_id, "source": "board", "source_id": listing_id, "title": listing_id,
            "locations": [], "employment_types": [], "signals": [], "employer": {"name": "Acme", "registry_tags": []},
            "first_seen": DAY1, "last_seen": DAY3, "status": "open", "supportiveness": 0.0,
            "content_hash": listing_id, **fields}


TOKYO = {"country": "JP", "region": "東京都", "locality": "新宿区"}
OSAKA = {"country": "JP", "region": "大阪府", "locality": "大阪市"}
KURUMIN = {"tag": "family_friendly", "evidence": "くるみん認定 (2024)", "source": "registry"}
LISTINGS = [
    # hourly in Tokyo, part-time, 20 h, two tags, certified employer
    _listing("a", locations=[TOKYO], employment_types=["PART_TIME"], remote="onsite",
             hours_per_week={"min": 20.0, "max": 20.0},
             salary={"min": 1200.0, "max": 1400.0, "currency": "JPY", "unit": "HOUR"},
             signals=[{"tag": "no_experience_ok", "evidence": "未経験歓迎", "source": "text"},
                      {"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "text"}],
             employer={"name": "くるみん商事", "registry_tags": [KURUMIN]}),
    # hourly in Tokyo and Osaka (two places), no hours stated
    _listing("b", locations=[TOKYO, OSAKA], employment_types=["PART_TIME"],
             salary={"min": 1100.0, "max": None, "currency": "JPY", "unit": "HOUR"},
             signals=[{"tag": "no_experience_ok", "evidence": "経験不問", "source": "structured"}]),
    # monthly in Osaka, full-time, 40 h
    _listing("c", locations=[OSAKA], employment_types=["FULL_TIME"], remote="hybrid",
             hours_per_week={"min": 40.0, "max": 40.0},
             salary={"min": 250000.0, "max": 300000.0, "currency": "JPY", "unit": "MONTH"}),
    # says nothing: no place, no type, no pay, no hours, remote unknown
    _listing("d", source="other"),
    # closed (expired) on day 2, hourly in Tokyo
    _listing("e", locations=[TOKYO], employment_types=["PART_TIME"], status="closed", closed_reason="expired",
             last_seen=DAY2, salary={"min": 5000.0, "max": 5000.0, "currency": "JPY", "unit": "HOUR"}),
]
HISTORY = [
    ("a", DAY1, "new", "board/run1.jsonl", None), ("b", DAY1, "new", "board/run1.jsonl", None),
    ("e", DAY1, "new", "board/run1.jsonl", None), ("c", DAY2, "new", "board/run2.jsonl", None),
    ("e", DAY2, "closed", None, "expired"), ("a", DAY3, "changed", "board/run3.jsonl", None),
    ("d", DAY3, "new", "other/run1.jsonl", None),
]


def _fill(building: Path) -> None:
    con = duckdb.connect(str(building))
    try:
        con.register("rows", listing_table(LISTINGS))
        con.execute("CREATE TABLE listings AS SELECT * FROM rows")
        con.execute("CREATE TABLE listing_history (listing_id VARCHAR, changed_at TIMESTAMP, change VARCHAR, "
                    "changed_fields VARCHAR[], content_hash VARCHAR, raw_run VARCHAR, reason VARCHAR)")
        con.executemany("INSERT INTO listing_history VALUES (?, ?, ?, NULL, NULL, ?, ?)", HISTORY)
    finally:
        con.close()


@pytest.fixture(scope="module")
def small_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    serving = tmp_path_factory.mktemp("analysis") / "serving"
    return write_snapshot(serving, _fill, []).path


@pytest.fixture
def con(small_snapshot: Path):
    from ippo.analysis import open_snapshot

    connection = open_snapshot(small_snapshot)
    yield connection
    connection.close()

"""The loader and publisher on raw runs made from the real pages."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from pipeline.warehouse.load import load
from pipeline.warehouse.publish import current_snapshot, publish
from tests.conftest import PAGES

NOW = datetime(2026, 11, 26, 12, 0, 0)
JOB_PAGES = ["cme-pharmacist.html", "mc-nurse.html", "nursejj.html", "supernurse.html", "kirara-support.html",
             "indeed_job.html"]


def _items(names: list[str]) -> list[dict]:
    items = []
    for name in names:
        extraction = extract_from_html(decode_page((PAGES / name).read_bytes()).text)
        for posting in extraction.postings:
            items.append({"kind": "jobposting", "source": "demo", "url": f"http://127.0.0.1/jobs/{name}",
                          "canonical_url": extraction.canonical_url, "payload": posting})
    return items


def _write_run(raw: Path, run_id: str, lines: list[str], source: str = "demo") -> Path:
    folder = raw / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _dump(items: list[dict]) -> list[str]:
    return [json.dumps(i, ensure_ascii=False) for i in items]


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path, Path]:
    return tmp_path / "warehouse.duckdb", tmp_path / "raw", tmp_path / "serving"


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_load_real_pages_then_idempotent(dirs) -> None:
    warehouse, raw, _ = dirs
    _write_run(raw, "20261126T000000Z", _dump(_items(JOB_PAGES)))
    first = load(warehouse, raw, now=NOW)
    assert first.totals()["new"] == 6
    # Past validThrough (mc-nurse 2026-06-30, supernurse 2023-03-24): closed, not deleted.
    assert first.totals()["closed"] == 2
    rows = dict(_query(warehouse, "SELECT title || '|' || employer.name, status FROM listings"))
    assert rows["看護師|医療法人財団綜友会　 新宿ファーストタワークリニック"] == "open"
    assert rows["正看護師|株式会社スーパーナース"] == "closed"

    again = load(warehouse, raw, now=NOW)  # the same run: already loaded, nothing happens
    assert again.totals()["runs"] == 0
    assert _query(warehouse, "SELECT count(*) FROM listings")[0][0] == 6

    _write_run(raw, "20261127T000000Z", _dump(_items(JOB_PAGES)))  # a new run, same content
    rerun = load(warehouse, raw, now=NOW)
    assert rerun.totals()["unchanged"] == 6 and rerun.totals()["new"] == 0 and rerun.totals()["changed"] == 0
    history = _query(warehouse, "SELECT change, count(*) FROM listing_history GROUP BY change ORDER BY change")
    assert history == [("closed", 2), ("new", 6)]


def test_changed_listing_keeps_history_of_what_changed(dirs) -> None:
    warehouse, raw, _ = dirs
    items = _items(["kirara-support.html"])
    _write_run(raw, "r1", _dump(items))
    load(warehouse, raw, now=NOW)
    items[0]["payload"]["baseSalary"]["value"]["minValue"] = "4800000"
    _write_run(raw, "r2", _dump(items))
    report = load(warehouse, raw, now=datetime(2026, 11, 27))
    assert report.totals()["changed"] == 1
    [(fields,)] = _query(warehouse, "SELECT changed_fields FROM listing_history WHERE change = 'changed'")
    assert "salary" in fields and "title" not in fields
    [(salary_min, first_seen, last_seen)] = _query(warehouse, "SELECT salary.min, first_seen, last_seen FROM listings")
    assert salary_min == 4800000.0
    assert first_seen == NOW and last_seen == datetime(2026, 11, 27)


def test_bad_items_are_quarantined_with_reason_and_raw_line(dirs) -> None:
    warehouse, raw, _ = dirs
    good = _dump(_items(["cme-pharmacist.html"]))
    lines = [
        *good,
        '{"kind": "jobposting", "payload": {"title": "broken"',  # truncated line
        json.dumps(
            {"kind": "jobposting", "source": "demo", "url": "http://x/2", "payload": {"description": "no title"}}
        ),
        json.dumps({"kind": "problem", "source": "demo", "url": "http://x/1",
                    "problem": "JSON-LD block 1 is not valid JSON"}),
        json.dumps({"kind": "mystery", "payload": {}}),
        "[1, 2]",
    ]
    _write_run(raw, "r1", lines)
    report = load(warehouse, raw, now=NOW)
    assert report.totals()["new"] == 1
    assert dict((r, n) for _, r, n in report.quality_table()) == {
        "invalid_json_line": 1, "missing_title": 1, "page_problem": 1, "unknown_kind": 1, "item_not_object": 1}
    stored = _query(warehouse, "SELECT reason, line_no, raw FROM quarantine ORDER BY line_no")
    assert stored[0] == ("invalid_json_line", 2, lines[1])


def test_publish_swaps_a_readable_snapshot(dirs) -> None:
    warehouse, raw, serving = dirs
    _write_run(raw, "r1", _dump(_items(JOB_PAGES)))
    load(warehouse, raw, now=NOW)
    first = publish(warehouse, serving)
    assert current_snapshot(serving) == first.path
    assert (first.listings, first.open_listings) == (6, 4)
    # A reader holds the snapshot open while the warehouse is written and a new one published.
    reader = duckdb.connect(str(first.path), read_only=True)
    try:
        _write_run(raw, "r2", _dump(_items(["cme-pharmacist.html"])))
        load(warehouse, raw, now=NOW)
        second = publish(warehouse, serving)
        assert reader.execute("SELECT count(*) FROM listings").fetchone()[0] == 6
    finally:
        reader.close()
    assert current_snapshot(serving) == second.path != first.path
    con = duckdb.connect(str(second.path), read_only=True)
    try:
        assert con.execute("SELECT version FROM snapshot_meta").fetchone()[0] == second.version
    finally:
        con.close()


def test_publish_keeps_only_recent_snapshots(dirs) -> None:
    warehouse, raw, serving = dirs
    _write_run(raw, "r1", _dump(_items(["cme-pharmacist.html"])))
    load(warehouse, raw, now=NOW)
    results = [publish(warehouse, serving) for _ in range(5)]
    remaining = sorted(p.name for p in serving.glob("*.duckdb"))
    assert len(remaining) == 3
    assert results[-1].path.name in remaining


def test_a_change_in_an_unmapped_payload_field_is_recorded_as_hash_only(dirs) -> None:
    warehouse, raw, _ = dirs
    items = _items(["kirara-support.html"])
    _write_run(raw, "r1", _dump(items))
    load(warehouse, raw, now=NOW)
    items[0]["payload"]["industry"] = "Care services"  # not a canonical field
    _write_run(raw, "r2", _dump(items))
    report = load(warehouse, raw, now=datetime(2026, 11, 27))
    assert report.totals()["changed"] == 1
    [(fields, reason)] = _query(
        warehouse, "SELECT changed_fields, reason FROM listing_history WHERE change = 'changed'")
    assert fields == ["content_hash"] and reason.startswith("content hash only")

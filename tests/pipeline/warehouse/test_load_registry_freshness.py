"""The loader's registry tags, cross-source duplicates, closing of unseen listings and history, on real data."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pipeline.employers.records import read_gbizinfo_awards
from pipeline.warehouse.load import load
from tests.conftest import SHARED_DATA
from tests.pipeline.employers.shared_registries import GBIZINFO_CSV
from tests.pipeline.warehouse.test_load_publish import _dump, _items, _query, _write_run

NOW = datetime(2026, 11, 26, 12, 0, 0)
SUPERNURSE_CN = "8010001140035"  # 株式会社スーパーナース in gBizINFO (えるぼし認定)
GH_INDEX = SHARED_DATA / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv"


def _supernurse_records() -> list[dict]:
    if not GBIZINFO_CSV.is_file():
        pytest.skip(f"the real gBizINFO data is absent: {GBIZINFO_CSV}")
    records, _ = read_gbizinfo_awards(GBIZINFO_CSV)
    found = [r for r in records if r["corporate_number"] == SUPERNURSE_CN]
    assert found, "株式会社スーパーナース is in the gBizINFO file"
    return found


def _registry_lines(records: list[dict]) -> list[str]:
    return _dump([{"kind": "registry_record", "source": "gbizinfo", "payload": r} for r in records])


def test_registry_record_items_tag_the_real_employer(tmp_path: Path) -> None:
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    records = _supernurse_records()
    _write_run(raw, "r1", _registry_lines(records + records), source="gbizinfo")  # twice: stored once
    _write_run(raw, "r1", _dump(_items(["supernurse.html", "kirara-support.html"])))
    report = load(warehouse, raw, now=NOW, occupations=False)
    assert report.totals()["registry_records"] == 2 * len(records)
    assert _query(warehouse, "SELECT count(*) FROM registry_records")[0][0] == len(records)
    tags = dict(_query(warehouse, "SELECT employer.name, employer.registry_tags FROM listings"))
    [tag] = tags["株式会社スーパーナース"]
    assert tag["tag"] == "cert_eruboshi" and tag["source"] == "registry"
    assert f"法人番号 {SUPERNURSE_CN}" in tag["evidence"] and "confidence" in tag["evidence"]
    assert tags["医療法人財団綜友会\u3000 新宿ファーストタワークリニック"] == []
    [(score,)] = _query(warehouse, "SELECT supportiveness FROM listings WHERE employer.name = '株式会社スーパーナース'")
    assert score > 0


def test_registry_change_retags_open_listings_with_history(tmp_path: Path) -> None:
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    items = _items(["supernurse.html"])
    items[0]["payload"].pop("validThrough", None)  # keep it open for the re-match
    _write_run(raw, "r1", _dump(items))
    load(warehouse, raw, now=NOW, occupations=False)
    assert _query(warehouse, "SELECT len(employer.registry_tags) FROM listings")[0][0] == 0
    # The operator path: a registry file read by pipeline.employers.records, given to the load.
    records = _supernurse_records()
    report = load(warehouse, raw, now=NOW + timedelta(hours=1), occupations=False,
                  registry_records=[(r, "registry:gbizinfo_certifications_flat.csv") for r in records])
    assert report.registry_changed == len(records) and report.retagged == 1
    assert _query(warehouse, "SELECT employer.registry_tags[1].tag FROM listings")[0][0] == "cert_eruboshi"
    [(change, fields, _reason)] = _query(
        warehouse, "SELECT change, changed_fields, reason FROM listing_history WHERE reason = 'registry update'")
    assert change == "changed" and "employer" in fields
    again = load(warehouse, raw, now=NOW + timedelta(hours=2), occupations=False,
                 registry_records=[(r, "registry:again") for r in records])
    assert again.registry_changed == 0 and again.retagged == 0


def _gh_rows(n: int) -> list[dict]:
    import csv

    if not GH_INDEX.exists():
        pytest.skip(f"the real Greenhouse index is absent: {GH_INDEX}")
    with GH_INDEX.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["board_token"] == "canonical"]
    return rows[:n]


def _gh_item(row: dict) -> dict:
    payload = {"id": int(row["id"]), "title": row["title"], "company_name": row["company_name"],
               "location": {"name": row["location_name"]}, "absolute_url": row["absolute_url"],
               "updated_at": row["updated_at"], "first_published": row["first_published"], "language": "en"}
    return {"kind": "greenhouse_job", "source": "greenhouse", "board": row["board_token"], "payload": payload}


def test_board_copy_of_an_ats_job_is_marked_duplicate_not_dropped(tmp_path: Path) -> None:
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    rows = _gh_rows(3)
    _write_run(raw, "r1", _dump([_gh_item(r) for r in rows]), source="greenhouse")
    # A board page (JobPosting JSON-LD) re-publishing the first real Greenhouse job, linking to it;
    # written for this test from the real row's fields.
    row = rows[0]
    board = {"kind": "jobposting", "source": "board", "url": "https://board.example/jobs/1",
             "payload": {"@type": "JobPosting", "title": row["title"], "identifier": "board-1",
                         "url": "https://board.example/jobs/1", "directApply": row["absolute_url"],
                         "hiringOrganization": {"name": row["company_name"]}, "jobLocation": row["location_name"],
                         "description": "Re-published from the employer's careers page."}}
    _write_run(raw, "r2", _dump([board]), source="board")
    report = load(warehouse, raw, now=NOW, occupations=False)
    assert report.totals()["new"] == 4 and report.duplicates == 1
    dup = _query(warehouse, "SELECT l.source, c.source, c.source_id FROM listings l JOIN listings c "
                            "ON l.duplicate_of = c.id")
    assert dup == [("board", "greenhouse", row["id"])]
    assert _query(warehouse, "SELECT count(*) FROM listings")[0][0] == 4
    assert _query(warehouse, "SELECT count(*) FROM listing_history WHERE changed_fields = ['duplicate_of']")[0][0] == 1


def test_unseen_listings_close_after_a_successful_run_and_reopen_when_seen(tmp_path: Path) -> None:
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    rows = _gh_rows(3)
    _write_run(raw, "r1", _dump([_gh_item(r) for r in rows]), source="greenhouse")
    load(warehouse, raw, now=NOW, occupations=False, close_unseen_after_days=14)
    # 10 days later the source runs with two of the three: not yet 14 days unseen.
    _write_run(raw, "r2", _dump([_gh_item(r) for r in rows[:2]]), source="greenhouse")
    assert load(warehouse, raw, now=NOW + timedelta(days=10), occupations=False,
                close_unseen_after_days=14).closed["unseen"] == 0
    # A failed crawl (the ledger says so) closes nothing, even past 14 days.
    _write_run(raw, "r3", _dump([_gh_item(rows[0])]), source="greenhouse")
    state = tmp_path / "state"
    state.mkdir()
    (state / "greenhouse.runs.json").write_text(json.dumps({"runs": [{"raw_file": "r3.jsonl", "ok": False}]}))
    assert load(warehouse, raw, now=NOW + timedelta(days=20), occupations=False,
                close_unseen_after_days=14).closed["unseen"] == 0
    _write_run(raw, "r4", _dump([_gh_item(r) for r in rows[:2]]), source="greenhouse")
    report = load(warehouse, raw, now=NOW + timedelta(days=20), occupations=False, close_unseen_after_days=14)
    assert report.closed["unseen"] == 1
    [(source_id, _status, reason)] = _query(
        warehouse, "SELECT source_id, status, closed_reason FROM listings WHERE status = 'closed'")
    assert source_id == rows[2]["id"] and reason == "unseen"
    _write_run(raw, "r5", _dump([_gh_item(rows[2])]), source="greenhouse")
    load(warehouse, raw, now=NOW + timedelta(days=21), occupations=False, close_unseen_after_days=14)
    history = _query(warehouse, "SELECT change, reason FROM listing_history WHERE listing_id = "
                                f"(SELECT id FROM listings WHERE source_id = '{rows[2]['id']}') ORDER BY changed_at")
    assert history == [("new", None), ("closed", "unseen for more than 14 days"), ("reopened", "seen again")]


def test_reload_of_identical_lines_is_parse_free_and_changes_nothing(tmp_path: Path) -> None:
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    lines = _dump([_gh_item(r) for r in _gh_rows(3)] + _items(["kirara-support.html"]))
    _write_run(raw, "r1", lines)
    load(warehouse, raw, now=NOW, occupations=False)
    before = _query(warehouse, "SELECT * EXCLUDE (last_seen) FROM listings ORDER BY id")
    _write_run(raw, "r2", lines)
    report = load(warehouse, raw, now=NOW + timedelta(days=1), occupations=False)
    assert report.totals()["unchanged"] == 4 and report.totals()["new"] == report.totals()["changed"] == 0
    assert report.timings["normalize_s"] < report.timings["total_s"]
    assert _query(warehouse, "SELECT * EXCLUDE (last_seen) FROM listings ORDER BY id") == before
    assert _query(warehouse, "SELECT count(*) FROM listing_history")[0][0] == 4
    assert {r[0] for r in _query(warehouse, "SELECT last_seen FROM listings")} == {NOW + timedelta(days=1)}

"""Reading raw runs: the process pool, Arrow listings, and lines the fast paths refuse."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.sources.kinds import NORMALIZERS, Normalizer
from pipeline.warehouse.load import load
from pipeline.warehouse.read_runs import Fresh, parse, parse_chunk, process_line
from tests.conftest import FIXTURES
from tests.pipeline.warehouse.test_load_publish import _query

NOW = datetime(2026, 11, 26, 12, 0, 0)


def _greenhouse_jobs() -> list[dict]:
    data = json.loads((FIXTURES / "payloads" / "greenhouse_smarterdx_jobs_content.json").read_text(encoding="utf-8"))
    return data["jobs"]


def _lines(count: int, source: str = "smarterdx") -> list[bytes]:
    """`count` real Greenhouse jobs with content, each under its own id (the real ones repeat)."""
    jobs = _greenhouse_jobs()
    lines = []
    for number in range(count):
        job = dict(jobs[number % len(jobs)])
        job["id"] = 10_000_000 + number
        lines.append(json.dumps({"kind": "greenhouse_job", "source": source, "company": "SmarterDx",
                                 "payload": job}, ensure_ascii=False).encode())
    return lines


def test_pool_gives_the_same_outcomes_and_listings_as_one_process() -> None:
    lines = _lines(1600)  # above POOL_MIN_LINES, so two workers really fork
    fresh = [Fresh(0, n + 1, line, f"h{n}") for n, line in enumerate(lines)]
    one = parse(fresh, ["smarterdx"], {}, workers=1)
    two = parse(fresh, ["smarterdx"], {}, workers=2)
    assert len(one) == len(two) == 4  # chunks of 400 lines
    for (lines_a, a), (lines_b, b) in zip(one, two, strict=True):
        assert lines_a == lines_b
        assert a.outcomes == b.outcomes
        assert a.listings is not None and a.listings.equals(b.listings)
    first = one[0][1]
    assert first.outcomes[0][0] == "listing" and first.outcomes[0][3] == 0
    row = first.listings.slice(0, 1).to_pylist()[0]
    assert row["title"] == _greenhouse_jobs()[0]["title"]
    assert row["description_text"] and "<" not in row["description_text"][:200]
    assert row["supportiveness"] >= 0.0 and row["first_seen"] is None  # the loader stamps first_seen


def test_a_listing_that_does_not_fit_the_columns_is_quarantined_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    real = NORMALIZERS["greenhouse_job"]

    def broken(item: dict, content_hash: str | None = None) -> dict:
        listing = real.normalize(item, content_hash=content_hash)
        if item["payload"]["id"] == 10_000_001:
            listing["hours_per_week"] = {"min": "twenty", "max": None}  # a normalizer bug
        return listing

    monkeypatch.setitem(NORMALIZERS, "greenhouse_job", Normalizer(identify=real.identify, normalize=broken))
    chunk = parse_chunk("smarterdx", _lines(3), {})
    kinds = [o[0] for o in chunk.outcomes]
    assert kinds == ["listing", "bad", "listing"]
    assert chunk.outcomes[1][1] == "normalizer_error" and "warehouse columns" in chunk.outcomes[1][2]
    assert [o[3] for o in chunk.outcomes if o[0] == "listing"] == [0, 1]
    assert chunk.listings is not None and chunk.listings.num_rows == 2


def test_lines_orjson_refuses_are_read_by_json_and_bad_json_still_quarantined() -> None:
    job = dict(_greenhouse_jobs()[0], id=42)
    # NaN and a 70-bit integer: valid for Python's json module, refused by orjson.
    odd = json.dumps({"kind": "greenhouse_job", "source": "s", "company": "SmarterDx",
                      "payload": {**job, "internal_job_id": 2**70, "score": float("nan")}})
    result = process_line(odd.encode(), "s", {})
    assert result[0] == "listing" and result[1]["source_id"] == "42"
    bad = process_line(b'{"kind": "greenhouse_job", "payload": {', "s", {})
    assert bad[0] == "bad" and bad[1] == "invalid_json_line" and "not valid JSON" in bad[2]


def test_load_through_the_pool_keeps_the_last_line_of_a_listing_and_counts_it(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    folder = raw / "smarterdx"
    folder.mkdir(parents=True)
    lines = _lines(1600)
    retitled = json.loads(lines[5])
    retitled["payload"]["title"] = "Patient Support Coordinator (part-time)"
    retitled["payload"]["updated_at"] = "2026-11-25T10:00:00-05:00"
    lines.append(json.dumps(retitled).encode())  # the same job again, changed, later in the run
    (folder / "r1.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    report = load(tmp_path / "warehouse.duckdb", raw, now=NOW, workers=2, occupations=False)
    totals = report.totals()
    assert (totals["items"], totals["new"], totals["changed"], totals["quarantined"]) == (1601, 1600, 1, 0)
    rows = _query(tmp_path / "warehouse.duckdb",
                  "SELECT count(*), count(DISTINCT id), max(raw_run), min(first_seen) FROM listings")
    assert rows == [(1600, 1600, "smarterdx/r1.jsonl", NOW)]
    titles = _query(tmp_path / "warehouse.duckdb", "SELECT title FROM listings WHERE source_id = '10000005'")
    assert titles == [("Patient Support Coordinator (part-time)",)]



def test_reload_parses_only_new_and_changed_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, warehouse = tmp_path / "raw", tmp_path / "warehouse.duckdb"
    folder = raw / "smarterdx"
    folder.mkdir(parents=True)
    lines = _lines(5)
    (folder / "r1.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    load(warehouse, raw, now=NOW, workers=1, occupations=False)

    changed = json.loads(lines[1])
    changed["payload"]["updated_at"] = "2026-11-27T09:00:00-05:00"
    changed["payload"]["title"] = "Care Coordinator"
    second = [lines[0], json.dumps(changed).encode(), lines[2], b"   ", lines[3] + b"\r", *_lines(6)[5:]]
    (folder / "r2.jsonl").write_bytes(b"".join(line + b"\n" for line in second))
    parsed_lines: list[int] = []
    real_parse = parse

    def counting(fresh, *args, **kwargs):
        parsed_lines.extend(f.line_no for f in fresh)
        return real_parse(fresh, *args, **kwargs)

    monkeypatch.setattr("pipeline.warehouse.load.parse", counting)
    later = datetime(2026, 11, 27, 12, 0, 0)
    report = load(warehouse, raw, now=later, workers=1, occupations=False)
    run = report.runs[0]
    assert (run.items, run.unchanged, run.changed, run.new) == (5, 3, 1, 1)
    assert parsed_lines == [2, 6]  # the changed line and the new one; the blank line 4 is skipped
    rows = _query(warehouse, "SELECT source_id, title, last_seen FROM listings ORDER BY source_id")
    assert [r[2] for r in rows] == [later, later, later, later, NOW, later]  # job 10000004 was not in run 2
    assert rows[1][1] == "Care Coordinator"

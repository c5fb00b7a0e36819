"""`ippo retag` on a warehouse loaded from the real pages: a changed tagger reaches stored listings,
with history and a run of its own; unchanged vocabulary, a second run and a dry run change nothing."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

import pipeline.sources.build as build
import pipeline.warehouse.retag as retagging
from pipeline.canonical import Signal
from pipeline.errors import WarehouseBusyError
from pipeline.warehouse.enrich import support_score
from pipeline.warehouse.load import load
from pipeline.warehouse.retag import RETAG_REASON, retag
from pipeline.warehouse.tagger_fingerprint import tagger_fingerprint
from tests.pipeline.warehouse.test_load_publish import JOB_PAGES, _dump, _items, _query, _write_run

NOW = datetime(2026, 11, 26, 12, 0, 0)
LATER = NOW + timedelta(days=1)
# Hours as the real kirara-support page could state them in JobPosting workHours: the load tags
# them (short_hours) but the warehouse keeps only the title and description.
WORK_HOURS = "勤務時間：1日4時間（10:00～14:00）"
STATE = ("SELECT id, status, signals, supportiveness, content_hash FROM listings ORDER BY id",
         "SELECT * FROM listing_history ORDER BY listing_id, changed_at, change",
         "SELECT path, kind FROM raw_runs ORDER BY path")


def _loaded(tmp_path: Path) -> Path:
    warehouse, raw = tmp_path / "warehouse.duckdb", tmp_path / "raw"
    items = _items(JOB_PAGES)
    kirara = next(i for i in items if i["url"].endswith("kirara-support.html"))
    kirara["payload"]["workHours"] = WORK_HOURS
    _write_run(raw, "r1", _dump(items))
    load(warehouse, raw, now=NOW, occupations=False, workers=1)
    return warehouse


def _state(warehouse: Path) -> list[list[tuple]]:
    return [_query(warehouse, sql) for sql in STATE]


def _signals(warehouse: Path) -> dict[str, list[Signal]]:
    return dict(_query(warehouse, "SELECT id, signals FROM listings"))


def _new_vocabulary(monkeypatch: pytest.MonkeyPatch, fail_on_call: int | None = None) -> None:
    """The load's tagger after a vocabulary change: a nurse listing also raises training_provided
    (with 看護師 as evidence) and night_shift is no longer raised. ``fail_on_call``: raise there."""
    real: Callable[..., list[Signal]] = build.tag_text
    calls = [0]

    def changed(text: str, lang: str | None = None) -> list[Signal]:
        calls[0] += 1
        if fail_on_call is not None and calls[0] == fail_on_call:
            raise RuntimeError("the tagger failed half-way")
        found = [s for s in real(text, lang) if s["tag"] != "night_shift"]
        if "看護師" in text:
            found.append(Signal(tag="training_provided", evidence="看護師", source="text"))
        return found

    monkeypatch.setattr(build, "tag_text", changed)


def test_right_after_a_load_nothing_changes_and_hours_text_tags_are_kept(tmp_path: Path) -> None:
    warehouse = _loaded(tmp_path)
    before = _state(warehouse)
    [(kirara_id, signals, description)] = [
        row for row in _query(warehouse, "SELECT id, signals, description_text FROM listings")
        if "short_hours" in [s["tag"] for s in row[1]]]
    [hours_tag] = [s for s in signals if s["tag"] == "short_hours"]
    assert hours_tag["evidence"] in WORK_HOURS
    assert hours_tag["evidence"] not in description  # tagged from workHours, which the warehouse does not hold

    report = retag(warehouse, all_listings=True, now=LATER)

    assert (report.examined, report.changed, report.unchanged) == (6, 0, 6)
    assert report.kept_unread == 1 and not report.raised and not report.dropped
    after = _state(warehouse)
    assert after[:2] == before[:2]  # listings and history as the load left them
    assert _signals(warehouse)[kirara_id] == signals
    [run] = _query(warehouse, "SELECT path, kind, items, changed, unchanged, vocabulary, tagger FROM raw_runs "
                              "WHERE kind = 'retag'")
    fingerprint = tagger_fingerprint()
    assert run == (report.run, "retag", 6, 0, 6, fingerprint.vocabulary, fingerprint.tagger)
    assert report.run == "retag:20261127T120000Z"
    # The load's own runs say which tagger tagged them too.
    assert _query(warehouse, "SELECT kind, vocabulary, tagger FROM raw_runs WHERE path = 'demo/r1.jsonl'") == [
        ("load", fingerprint.vocabulary, fingerprint.tagger)]


def test_a_vocabulary_change_is_written_with_history_and_a_run(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = _loaded(tmp_path)
    before = dict(_query(warehouse, "SELECT id, (status, signals, supportiveness, content_hash) FROM listings"))
    _new_vocabulary(monkeypatch)

    report = retag(warehouse, now=LATER, batch_size=1)  # open listings, one per batch

    nurses_open = {lid for lid, (status, _, _, _) in before.items() if status == "open"} & {
        lid for (lid,) in _query(warehouse, "SELECT id FROM listings WHERE title LIKE '%看護師%'")}
    assert len(nurses_open) == 2
    assert report.examined == 4 and report.changed == 2 and report.unchanged == 2
    assert report.raised == {"training_provided": 2} and report.dropped == {"night_shift": 1}
    assert sorted(e.id for e in report.examples) == sorted(nurses_open)

    rows = dict(_query(warehouse, "SELECT id, (status, signals, supportiveness, content_hash, employer.registry_tags) "
                                  "FROM listings"))
    for lid, (status, signals, score, content_hash, registry_tags) in rows.items():
        old_status, old_signals, old_score, old_hash = before[lid]
        assert (status, content_hash) == (old_status, old_hash)
        if lid in nurses_open:
            assert {"tag": "training_provided", "evidence": "看護師", "source": "text"} in signals
            assert "night_shift" not in [s["tag"] for s in signals]
            assert score == support_score(signals, registry_tags) and score > old_score
        else:  # closed listings are left alone without --all
            assert (signals, score) == (old_signals, old_score)

    history = _query(warehouse, "SELECT listing_id, changed_at, change, changed_fields, raw_run, reason "
                                "FROM listing_history WHERE reason = 'signal re-tag' ORDER BY listing_id")
    assert [h[0] for h in history] == sorted(nurses_open)
    for _, changed_at, change, fields, raw_run, reason in history:
        assert (changed_at, change, fields, raw_run, reason) == (
            LATER, "changed", ["signals", "supportiveness"], report.run, RETAG_REASON)
    assert _query(warehouse, f"SELECT kind, source, items, changed, unchanged FROM raw_runs WHERE path = '{report.run}'"
                  ) == [("retag", "open listings", 4, 2, 2)]

    state = _state(warehouse)
    again = retag(warehouse, now=LATER + timedelta(hours=1))
    assert (again.changed, again.unchanged) == (0, 4) and again.run != report.run
    assert _state(warehouse)[:2] == state[:2]

    # A later load of the same content keeps what the re-tag wrote (the lines are unchanged).
    _write_run(tmp_path / "raw", "r2", (tmp_path / "raw" / "demo" / "r1.jsonl").read_text().splitlines())
    assert load(warehouse, tmp_path / "raw", now=LATER + timedelta(hours=2), occupations=False,
                workers=1).totals()["unchanged"] == 6
    assert _query(warehouse, "SELECT id, signals FROM listings ORDER BY id") == [(r[0], r[2]) for r in state[0]]


def test_all_re_tags_closed_listings_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = _loaded(tmp_path)
    _new_vocabulary(monkeypatch)
    report = retag(warehouse, all_listings=True, now=LATER)
    assert report.examined == 6 and report.changed == 4  # the closed nurse listings as well
    closed = _query(warehouse, "SELECT signals FROM listings WHERE status = 'closed'")
    assert len(closed) == 2 and all("training_provided" in [s["tag"] for s in signals] for (signals,) in closed)


def test_dry_run_reports_the_change_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = _loaded(tmp_path)
    before = _state(warehouse)
    _new_vocabulary(monkeypatch)
    report = retag(warehouse, dry_run=True, now=LATER)
    assert report.dry_run and report.run is None
    assert report.changed == 2 and report.raised == {"training_provided": 2}
    assert _state(warehouse) == before


def test_a_failure_half_way_leaves_the_warehouse_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = _loaded(tmp_path)
    before = _state(warehouse)
    # Four of the six listings change: of the four examined before the failure, two or more were written.
    _new_vocabulary(monkeypatch, fail_on_call=5)
    writes: list[int] = []
    real_write = retagging.write_tag_changes

    def counted(*args: Any, **kwargs: Any) -> None:
        real_write(*args, **kwargs)
        writes.append(1)

    monkeypatch.setattr(retagging, "write_tag_changes", counted)
    with pytest.raises(RuntimeError, match="half-way"):
        retag(warehouse, all_listings=True, now=LATER, batch_size=1)
    assert len(writes) >= 2
    assert _state(warehouse) == before


def test_a_kept_hours_tag_goes_when_its_tag_leaves_the_vocabulary(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    warehouse = _loaded(tmp_path)
    monkeypatch.setattr(retagging, "signal_tags", lambda: ("night_shift", "gradual_start"))
    report = retag(warehouse, now=LATER)
    assert report.dropped == {"short_hours": 1} and report.kept_unread == 0
    assert "short_hours" not in str(_query(warehouse, "SELECT signals FROM listings"))


def test_a_warehouse_held_by_another_process_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    warehouse = _loaded(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                               "time.sleep(60)", str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for dry_run in (False, True):
            with pytest.raises(WarehouseBusyError, match="another ippo process"):
                retag(warehouse, dry_run=dry_run, now=LATER)
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert retag(warehouse, now=LATER).changed == 0


def test_no_warehouse_is_an_error_that_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(retagging.WarehouseMissingError, match="ippo load"):
        retag(tmp_path / "none.duckdb")
    assert not (tmp_path / "none.duckdb").exists()


def test_publish_serves_the_re_tagged_listings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.warehouse.publish import publish

    warehouse = _loaded(tmp_path)
    _new_vocabulary(monkeypatch)
    retag(warehouse, now=LATER)
    snapshot = publish(warehouse, tmp_path / "serving").path
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        served = con.execute("SELECT id, signals, supportiveness FROM listings WHERE status = 'open'").fetchall()
        history = con.execute("SELECT count(*) FROM listing_history WHERE reason = ?", [RETAG_REASON]).fetchone()
    finally:
        con.close()
    assert sorted(served) == sorted(_query(warehouse, "SELECT id, signals, supportiveness FROM listings "
                                                      "WHERE status = 'open'"))
    assert sum("training_provided" in [s["tag"] for s in signals] for _, signals, _ in served) == 2
    assert history == (2,)

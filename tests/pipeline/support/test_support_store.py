"""Loading support runs into the warehouse: idempotent, with history; offices absent from a full
refresh close and come back; broken rows go to quarantine with their reason."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.support.store import SupportItem, store_support
from pipeline.warehouse.connect import connect
from pipeline.warehouse.load import LoadReport, load
from tests.pipeline.support.wam_files import run_lines, wam_rows, write_run

FILE = "wam_2022_shuro_teichaku_shien.csv"  # 1,234 rows: the smallest real file
DAY1, DAY2, DAY3, DAY4 = (datetime(2026, 11, d) for d in (1, 2, 3, 4))


def _load(home: Path, now: datetime) -> LoadReport:
    return load(home / "warehouse.duckdb", home / "raw", now=now, workers=1, occupations=False)


def _query(home: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


class Story:
    """One warehouse through four loads of the real 就労定着支援 file."""

    home: Path
    first: LoadReport
    again: LoadReport
    partial: LoadReport
    back: LoadReport
    after_first: list[tuple[Any, ...]]
    after_again: list[tuple[Any, ...]]
    history_first: int
    history_again: int
    dropped: list[str]


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Story:
    from pipeline.support.offices import office_from_row

    out = Story()
    out.home = home = tmp_path_factory.mktemp("support-store")
    rows = wam_rows(FILE)
    full = run_lines(FILE, rows)
    write_run(home / "raw", "20261101T000000Z", full)
    out.first = _load(home, DAY1)
    snapshot = "SELECT * EXCLUDE (last_seen) FROM support_offices ORDER BY office_id"
    out.after_first = _query(home, snapshot)
    out.history_first = _query(home, "SELECT count(*) FROM support_office_history")[0][0]
    # The same rows again, as the next crawl of an unchanged file writes them.
    write_run(home / "raw", "20261102T000000Z", full)
    out.again = _load(home, DAY2)
    out.after_again = _query(home, snapshot)
    out.history_again = _query(home, "SELECT count(*) FROM support_office_history")[0][0]
    # A full refresh without three offices (and one of them renamed in a run cut short: no marker).
    kept = rows[3:]
    out.dropped = [office_from_row(r)["office_id"] for r in rows[:3]]
    write_run(home / "raw", "20261103T000000Z", run_lines(FILE, kept))
    out.partial = _load(home, DAY3)
    write_run(home / "raw", "20261104T000000Z", run_lines(FILE, rows))
    out.back = _load(home, DAY4)
    return out


def test_the_first_load_writes_every_office_with_a_new_history_row(story: Story) -> None:
    support = story.first.support
    assert support.rows == 1234
    # Three numbers have two rows each: one is a 従たる事業所 served apart, two repeat their row.
    assert support.new == support.offices == 1232
    assert support.quarantined == {"duplicate_office_row": 2}
    assert story.history_first == 1232


def test_the_same_rows_loaded_again_change_nothing_but_last_seen(story: Story) -> None:
    support = story.again.support
    assert (support.new, support.changed, support.reopened, support.closed) == (0, 0, 0, 0)
    assert support.unchanged == 1232
    assert story.after_again == story.after_first
    assert story.history_again == story.history_first
    assert _query(story.home, "SELECT count(DISTINCT last_seen) FROM support_offices")[0][0] == 1


def test_offices_absent_from_a_full_refresh_are_closed_not_deleted(story: Story) -> None:
    assert story.partial.support.closed == 3
    assert story.partial.totals()["support_closed"] == 3
    # By the fourth load they are back; their history says what happened.
    changes = _query(story.home, "SELECT office_id, list(change ORDER BY changed_at) FROM support_office_history "
                     "WHERE office_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY office_id", [story.dropped])
    assert sorted(changes) == sorted((office, ["new", "closed", "reopened"]) for office in story.dropped)


def test_closed_offices_reopen_when_they_come_back(story: Story) -> None:
    assert story.back.support.reopened == 3
    assert _query(story.home, "SELECT count(*) FILTER (WHERE status = 'open'), count(*) FROM support_offices") == [
        (1232, 1232)]


def test_quarantined_rows_are_in_the_quarantine_table_with_their_line(story: Story) -> None:
    rows = _query(story.home, "SELECT reason, raw_run, line_no, raw FROM quarantine WHERE raw_run LIKE 'support/%' "
                  "AND raw_run = 'support/20261101T000000Z.jsonl' ORDER BY line_no")
    assert [r[0] for r in rows] == ["duplicate_office_row"] * 2
    assert all('"wam_office_row"' in r[3] for r in rows)


def test_raw_runs_are_recorded_with_their_support_quarantine(story: Story) -> None:
    rows = _query(story.home, "SELECT path, quarantined FROM raw_runs WHERE source = 'support' ORDER BY path")
    assert [r[1] for r in rows] == [2, 2, 2, 2]


def test_a_satellite_office_has_its_own_id_and_history(story: Story) -> None:
    rows = _query(story.home, "SELECT office_id, office_number, wam_no, name FROM support_offices "
                  "WHERE office_number = (SELECT office_number FROM support_offices WHERE office_id LIKE '%:%:%') "
                  "ORDER BY office_id")
    assert len(rows) == 2 and rows[0][1] == rows[1][1]
    main, satellite = rows
    assert main[0] == f"{main[1]}:shuro_teichaku" and satellite[0] == f"{main[1]}:shuro_teichaku:{satellite[2]}"
    assert {main[3], satellite[3]} == {"第2どんぐり工房", "第２どんぐり工房"}
    history = _query(story.home, "SELECT office_id, list(change ORDER BY changed_at) FROM support_office_history "
                     "WHERE office_id IN (?, ?) GROUP BY office_id ORDER BY office_id", [main[0], satellite[0]])
    assert [h[1][0] for h in history] == ["new", "new"]


def test_a_run_without_the_file_marker_closes_nothing(tmp_path: Path) -> None:
    rows = wam_rows(FILE)
    write_run(tmp_path / "raw", "20261101T000000Z", run_lines(FILE, rows))
    _load(tmp_path, DAY1)
    write_run(tmp_path / "raw", "20261102T000000Z", run_lines(FILE, rows[:100], whole=False))
    assert _load(tmp_path, DAY2).support.closed == 0


def test_a_changed_office_gets_a_history_row_naming_the_fields(tmp_path: Path) -> None:
    rows = wam_rows(FILE)[:20]
    write_run(tmp_path / "raw", "20261101T000000Z", run_lines(FILE, rows))
    _load(tmp_path, DAY1)
    rows[0] = dict(rows[0], **{"定員": "25", "事業所電話番号": "011-000-0000"})
    write_run(tmp_path / "raw", "20261102T000000Z", run_lines(FILE, rows))
    report = _load(tmp_path, DAY2)
    assert report.support.changed == 1
    fields = _query(tmp_path, "SELECT changed_fields FROM support_office_history WHERE change = 'changed'")
    assert fields == [(["phone", "capacity"],)]


def test_the_store_on_the_same_items_and_time_is_a_no_op(tmp_path: Path) -> None:
    items = [SupportItem(source="support", raw_run="support/r1.jsonl", successful=True, line_no=n + 1,
                         kind=line["kind"], payload=line["payload"], raw="")
             for n, line in enumerate(run_lines(FILE, wam_rows(FILE)[:50]))]
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        store_support(con, items, DAY1)
        before = con.execute("SELECT * FROM support_offices ORDER BY office_id").fetchall()
        report, _ = store_support(con, items, DAY1)
        assert con.execute("SELECT * FROM support_offices ORDER BY office_id").fetchall() == before
        assert (report.new, report.changed, report.closed, report.unchanged) == (0, 0, 0, 50)
    finally:
        con.close()

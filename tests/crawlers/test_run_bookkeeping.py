"""Pure pieces of the runner: Retry-After parsing, sources.toml durations, recovery of cut-off
lines, the failure backoff, and `ippo sources` over a ledger."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawlers import ledger
from crawlers.middlewares.retry_after import retry_after_seconds
from crawlers.recovery import finalize_orphans
from crawlers.sources import SourcesError, parse_source


def test_retry_after_seconds() -> None:
    assert retry_after_seconds(b"120") == 120.0


def test_retry_after_http_date() -> None:
    now = datetime(2026, 11, 26, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Thu, 26 Nov 2026 12:00:30 GMT", now=now) == 30.0


def test_retry_after_garbage_is_ignored() -> None:
    assert retry_after_seconds(b"soon") is None


def test_duration_in_sources_toml() -> None:
    assert parse_source("s", {"spider": "jsonld", "urls": "https://x.org/", "every": "6h"}).every_s == 21600


def test_bad_duration_names_the_source() -> None:
    with pytest.raises(SourcesError, match=r"\[sources.s\] every = 'often'"):
        parse_source("s", {"spider": "jsonld", "every": "often"})


def test_table_arguments_are_passed_as_json() -> None:
    source = parse_source("r", {"spider": "registries", "mapping": {"tag": "cert_monisu"}})
    assert json.loads(source.args["mapping"]) == {"tag": "cert_monisu"}


def test_part_file_of_a_live_crawl_is_left_alone(tmp_path: Path) -> None:
    crawl = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(20)", "scrapy", "crawl"])
    cmdline = Path(f"/proc/{crawl.pid}/cmdline")
    deadline = time.monotonic() + 5
    while cmdline.exists() and b"scrapy" not in cmdline.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        (tmp_path / "r1.jsonl.part").write_text('{"kind": "problem"}\n')
        (tmp_path / "r1.pid").write_text(str(crawl.pid))
        assert finalize_orphans(tmp_path) == []
    finally:
        crawl.kill()
        crawl.wait()


def test_part_file_whose_pid_is_another_program_is_an_orphan(tmp_path: Path) -> None:
    (tmp_path / "r1.jsonl.part").write_text('{"kind": "problem"}\n')
    (tmp_path / "r1.pid").write_text(str(os.getpid()))  # pytest: alive, but not a crawl
    assert [r.lines_kept for r in finalize_orphans(tmp_path)] == [1]


def test_orphan_keeps_complete_lines_only(tmp_path: Path) -> None:
    (tmp_path / "r2.jsonl.part").write_text('{"a": 1}\n{"b": 2}\n{"c": ')
    finalize_orphans(tmp_path)
    assert (tmp_path / "r2.jsonl").read_text() == '{"a": 1}\n{"b": 2}\n'


def test_orphan_stats_say_recovered(tmp_path: Path) -> None:
    (tmp_path / "r3.jsonl.part").write_text('{"a": 1}\n')
    finalize_orphans(tmp_path)
    assert json.loads((tmp_path / "r3.stats.json").read_text())["finish_reason"] == "killed"


def test_failure_delays() -> None:
    assert [ledger.failure_delay_s(n) / 60 for n in (1, 2, 3)] == [30.0, 120.0, 480.0]


def test_failure_delay_is_capped_at_a_week() -> None:
    assert ledger.failure_delay_s(20) == 7 * 86400


def test_success_resets_failures(tmp_path: Path) -> None:
    ledger.record_run(tmp_path, "s", {"ok": False, "finished_at": "2026-11-26T00:00:00Z"}, every_s=3600)
    record = ledger.record_run(tmp_path, "s", {"ok": True, "finished_at": "2026-11-26T01:00:00Z"}, every_s=3600)
    assert (record["consecutive_failures"], record["next_due"]) == (0, "2026-11-26T02:00:00Z")


def test_error_rate_counts_failed_fetches_only() -> None:
    errors = ledger.errors_by_kind(
        {
            "downloader/response_status_count/503": 2,
            "downloader/response_status_count/200": 8,
            "ippo/items/problem": 5,
            "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 1,
        }
    )
    assert ledger.error_rate(errors, 10) == 0.2


def test_ippo_sources_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ippo.cli import app

    toml = tmp_path / "sources.toml"
    toml.write_text('[sources.board]\nspider = "greenhouse"\nboard = "greenhouse"\n', encoding="utf-8")
    monkeypatch.setenv("IPPO_SOURCES", str(toml))
    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "home"))
    ledger.record_run(
        tmp_path / "home",
        "board",
        {"ok": True, "finished_at": "2026-11-26T00:00:00Z", "items": 14, "requests": 15, "error_rate": 0.0},
        every_s=86400,
    )
    result = CliRunner().invoke(app, ["sources", "--json"])
    row = json.loads(result.stdout)[0]
    assert (row["items"], row["last_success"], row["next_due"]) == (14, "2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z")


def test_ippo_sources_table_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ippo.cli import app

    toml = tmp_path / "sources.toml"
    toml.write_text('[sources.board]\nspider = "greenhouse"\nboard = "greenhouse"\n', encoding="utf-8")
    monkeypatch.setenv("IPPO_SOURCES", str(toml))
    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(app, ["sources"])
    assert result.stdout.splitlines()[0].split() == [
        "source",
        "spider",
        "on",
        "last",
        "success",
        "items",
        "errors",
        "fails",
        "next",
        "due",
    ]

"""`ippo retag` through the command line: dry run, the re-tag with its summary, a second run, JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ippo.cli import build_app
from pipeline.warehouse.load import load
from tests.pipeline.warehouse.test_load_publish import JOB_PAGES, _dump, _items, _query, _write_run
from tests.pipeline.warehouse.test_retag import _new_vocabulary

runner = CliRunner()


def _ippo(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app("retag"), ["retag", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def warehouse(ippo_home: Path) -> Path:
    _write_run(ippo_home / "raw", "r1", _dump(_items(JOB_PAGES)))
    path = ippo_home / "warehouse.duckdb"
    load(path, ippo_home / "raw", now=datetime(2026, 11, 26, 12), occupations=False, workers=1)
    return path


def test_retag_after_a_vocabulary_change(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    history = "SELECT count(*) FROM listing_history WHERE reason = 'signal re-tag'"
    _new_vocabulary(monkeypatch)

    code, out, _ = _ippo("--dry-run")
    assert code == 0, out
    assert "dry run over open listings" in out and "4 examined, 2 would change, 2 unchanged" in out
    assert "nothing written" in out
    assert _query(warehouse, history)[0][0] == 0

    code, out, _ = _ippo()
    assert code == 0, out
    assert "4 examined, 2 changed, 2 unchanged" in out
    lines = out.splitlines()
    assert any(line.split() == ["training_provided", "2", "0"] for line in lines)
    assert any(line.split() == ["night_shift", "0", "1"] for line in lines)
    assert "recorded as run retag:" in out and "`ippo publish`" in out
    assert _query(warehouse, history)[0][0] == 2

    code, out, _ = _ippo("--all", "--json")
    assert code == 0, out
    report = json.loads(out)
    assert (report["scope"], report["examined"], report["changed"]) == ("all", 6, 2)  # the two closed ones
    assert report["run"].startswith("retag:") and report["vocabulary"] and report["tagger"]
    assert _query(warehouse, "SELECT count(*) FROM raw_runs WHERE kind = 'retag'")[0][0] == 2

    code, out, _ = _ippo("--all")
    assert code == 0 and "6 examined, 0 changed, 6 unchanged" in out
    assert _query(warehouse, history)[0][0] == 4


def test_retag_without_a_warehouse_says_what_to_run(ippo_home: Path) -> None:
    code, _, err = _ippo()
    assert code == 2 and "ippo load" in err
    assert not (ippo_home / "warehouse.duckdb").exists()

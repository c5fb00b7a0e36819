"""The analyst notebooks run against a small published snapshot (the end-to-end test's)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(notebook: Path, published: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("IPPO_HOME", str(published))
    runpy.run_path(str(notebook), run_name="__main__")
    out = capsys.readouterr().out
    assert "snapshot:" in out
    assert "local" in out  # the source name of the end-to-end crawl

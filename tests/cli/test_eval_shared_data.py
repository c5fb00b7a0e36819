"""`ippo eval` reads real public data only from a folder it is given: --shared or $IPPO_SHARED_DATA."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ippo.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["occupations", "fairness"])
def test_without_a_data_folder_eval_says_how_to_give_one(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IPPO_SHARED_DATA", raising=False)
    result = runner.invoke(app, ["eval", command])
    assert result.exit_code == 2
    assert f"ippo eval {command} reads real public data" in result.output
    assert "--shared PATH or set IPPO_SHARED_DATA" in result.output


def test_the_data_folder_may_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_SHARED_DATA", str(tmp_path))
    result = runner.invoke(app, ["eval", "occupations"])
    assert result.exit_code == 0 and f"skipped: {tmp_path}/resumes/resumes_dev.csv" in result.stdout

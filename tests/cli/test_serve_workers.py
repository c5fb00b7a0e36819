"""`ippo serve --workers N`: one process serves the app built here; several run the app factory
in each worker, told the count through the environment, and the operator is told what changes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from typer.testing import CliRunner

from ippo.cli import build_app


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: calls.append((target, options)))
    monkeypatch.setenv("IPPO_HOME", str(tmp_path))
    monkeypatch.setenv("IPPO_API_WORKERS", "1")  # recorded, so the value `serve` sets is undone after
    monkeypatch.delenv("IPPO_API_WORKERS")
    return calls


def test_one_worker_by_default_serves_the_app_in_this_process(runs: list[tuple[Any, dict[str, Any]]]) -> None:
    result = CliRunner().invoke(build_app("serve"), ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    [(target, options)] = runs
    assert isinstance(target, FastAPI) and options["port"] == 8123 and "workers" not in options
    assert "note:" not in result.output


def test_several_workers_run_the_factory_in_each_and_say_what_changes(
        runs: list[tuple[Any, dict[str, Any]]]) -> None:
    result = CliRunner().invoke(build_app("serve"), ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    [(target, options)] = runs
    assert target == "api.main:create_app" and options["factory"] is True and options["workers"] == 3
    assert os.environ["IPPO_API_WORKERS"] == "3"  # what each worker's settings read
    assert "with 3 workers" in result.output
    assert "stored-profile" in result.output and "ippo serve --workers 1" in result.output
    assert "3 times its rate" in result.output


def test_the_setting_gives_the_default_and_zero_workers_is_refused(
        runs: list[tuple[Any, dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_API_WORKERS", "2")
    assert CliRunner().invoke(build_app("serve"), ["serve"]).exit_code == 0
    assert runs[-1][1]["workers"] == 2
    refused = CliRunner().invoke(build_app("serve"), ["serve", "--workers", "0"])
    assert refused.exit_code == 2 and not runs[1:]

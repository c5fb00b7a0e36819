"""`ippo occupations`: one text, and JSON Lines on stdin with bad lines reported."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ippo.cli import app


@pytest.fixture(autouse=True)
def _lexical_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IPPO_OCCUPATIONS_DENSE", "0")


def _runner() -> CliRunner:
    return CliRunner()


def test_one_title_as_json() -> None:
    result = _runner().invoke(app, ["occupations", "Registered Nurse", "--taxonomy", "onet", "-k", "3", "--json"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    assert len(ranked) == 3
    assert ranked[0]["code"] == "29-1141.00"


def test_one_japanese_title_as_a_table() -> None:
    result = _runner().invoke(app, ["occupations", "薬剤師", "-k", "2"])
    assert result.exit_code == 0, result.output
    assert "158" in result.stdout.splitlines()[0]
    assert "薬剤師" in result.stdout.splitlines()[0]


def test_jsonl_mode_ranks_every_line_and_reports_bad_ones() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Software Developer"}),
        "{not json",
        json.dumps({"id": 2, "text": "看護師"}),
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": 5}),
        "",
        json.dumps({"id": 5, "text": "Data Entry Clerk"}),
    ]
    result = _runner().invoke(app, ["occupations", "-k", "2", "--json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["id"] for item in out] == ["a", 2, 5]
    assert out[0]["occupations"][0]["code"] == "15-1252.00"
    assert out[1]["occupations"][0]["code"] == "156"
    assert out[2]["occupations"][0]["code"] == "43-9021.00"
    assert all(len(item["occupations"]) == 2 for item in out)
    assert "line 2: not valid JSON" in result.stderr
    assert 'line 4: missing "text"' in result.stderr
    assert 'line 5: "text" must be a string' in result.stderr
    assert "3 input line(s) skipped" in result.stderr


def test_jsonl_mode_all_good_exits_zero() -> None:
    result = _runner().invoke(app, ["occupations", "--json"], input=json.dumps({"id": 1, "text": "Pharmacist"}) + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["occupations"][0]["code"] == "29-1051.00"


def test_unknown_taxonomy_is_a_clear_error() -> None:
    result = _runner().invoke(app, ["occupations", "nurse", "--taxonomy", "esco"])
    assert result.exit_code == 2
    assert "unknown taxonomy 'esco'" in result.stderr

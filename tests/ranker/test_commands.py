"""The ranker's commands end to end: profiles, feedback, recommend --id, eval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from benchmarks.generated_snapshot import write_snapshot
from ippo.cli import app
from ranker.users.store import UserStore

runner = CliRunner()


def _row(i: int, title: str) -> dict[str, Any]:
    return {
        "id": f"c{i}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"社{i}", "normalized_name": f"社{i}", "registry_tags": []},
        "locations": [{"country": "JP", "region": "大阪府", "locality": "大阪市", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None, "salary": None,
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title,
    }


@pytest.fixture
def home(ippo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("IPPO_USER_KEY", raising=False)
    write_snapshot([_row(0, "清掃スタッフ"), _row(1, "調理補助"), _row(2, "清掃・ベッドメイク")], None,
                   ippo_home / "serving")
    return ippo_home


def _profile_file(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_profiles_feedback_and_recommend_by_id(home: Path, tmp_path: Path) -> None:
    path = _profile_file(tmp_path, {"desired_titles": ["清掃"], "summary": "体調に波があります"})
    added = runner.invoke(app, ["profiles", "add", str(path), "--no-embedding"])
    assert added.exit_code == 0, added.output
    profile_id = added.stdout.strip()
    assert profile_id.startswith("p_")
    listed = runner.invoke(app, ["profiles", "list", "--json"])
    assert [p["id"] for p in json.loads(listed.stdout)] == [profile_id]
    assert "体調" not in listed.stdout

    shown = runner.invoke(app, ["recommend", "--id", profile_id, "--json", "-k", "3"])
    assert shown.exit_code == 0, shown.output
    ids = [r["id"] for r in json.loads(shown.stdout)["results"]]
    assert ids[:2] == ["c0", "c2"] or ids[:2] == ["c2", "c0"]

    dismissed = runner.invoke(app, ["feedback", profile_id, "c0", "dismissed"])
    assert dismissed.exit_code == 0 and "recorded dismissed" in dismissed.stdout
    again = json.loads(runner.invoke(app, ["recommend", "--id", profile_id, "--json"]).stdout)
    assert "c0" not in [r["id"] for r in again["results"]]

    exported = json.loads(runner.invoke(app, ["profiles", "export", profile_id]).stdout)
    assert exported["profile"]["summary"] == "体調に波があります"
    assert exported["feedback"][0]["action"] == "dismissed"
    deleted = runner.invoke(app, ["profiles", "delete", profile_id])
    assert deleted.exit_code == 0 and "1 feedback record(s)" in deleted.stdout
    gone = runner.invoke(app, ["profiles", "show", profile_id])
    assert gone.exit_code == 2 and "no stored profile" in gone.output


def test_bad_input_is_named(home: Path, tmp_path: Path) -> None:
    path = _profile_file(tmp_path, {"summary": "x", "needs": ["neurodiversity"]})
    refused = runner.invoke(app, ["profiles", "add", str(path), "--no-embedding"])
    assert refused.exit_code == 2 and "consent.sensitive_needs" in refused.output
    bad_action = runner.invoke(app, ["feedback", "p_x", "c0", "loved"])
    assert bad_action.exit_code != 0
    unknown = runner.invoke(app, ["feedback", "p_missing", "c0", "saved"])
    assert unknown.exit_code == 2 and "no stored profile with id p_missing" in unknown.output
    both = runner.invoke(app, ["recommend", "--id", "p_x", "--profile", str(path)])
    assert both.exit_code == 2 and "exactly one of" in both.output


def test_cli_says_when_the_api_holds_the_store(home: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    UserStore.open(home).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,sys; c=duckdb.connect({str(home / 'users.duckdb')!r}); "
                               "print('ready', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["profiles", "list"])
        assert result.exit_code == 2
        assert "in use by another process" in result.output and "/v1/profiles" in result.output
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


def test_eval_occupations_skips_without_data(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "occupations", "--shared", str(tmp_path)])
    assert result.exit_code == 0 and "skipped" in result.stdout and "resumes_dev.csv" in result.stdout

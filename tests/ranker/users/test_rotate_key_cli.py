"""`ippo profiles rotate-key` and the key messages of `ippo profiles`, through the CLI."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from ippo.cli import app
from ranker.profile import parse_profile
from ranker.users.key import legacy_key_path, master_key_id, write_key_file
from ranker.users.store import UserStore

runner = CliRunner()
SENTINEL = "cli-secret-a41f"
PROFILE = {"summary": f"{SENTINEL} 発達障害の診断があります", "desired_titles": ["事務"]}


@pytest.fixture
def home(ippo_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("IPPO_USER_KEY", "IPPO_MASTER_KEY", "IPPO_MASTER_KEY_FILE", "IPPO_MASTER_KEY_PREVIOUS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return ippo_home


def _add(tmp_path: Path) -> str:
    path = tmp_path / "me.json"
    path.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["profiles", "add", str(path), "--no-embedding"])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def _show(profile_id: str) -> str:
    result = runner.invoke(app, ["profiles", "show", profile_id])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["summary"]


def test_rotate_key_makes_a_new_key_file_and_keeps_the_old_one_aside(home: Path, tmp_path: Path) -> None:
    profile_id = _add(tmp_path)
    key_file = tmp_path / "config" / "ippo" / "master.key"
    old_id = master_key_id(key_file.read_bytes())
    result = runner.invoke(app, ["profiles", "rotate-key"])
    assert result.exit_code == 0, result.output
    new_id = master_key_id(key_file.read_bytes())
    assert new_id != old_id
    assert f"re-wrapped 1 data key(s) under master key {new_id} (was: {old_id})" in result.stdout
    archive = key_file.with_name(f"master.key.{old_id}.old")
    assert f"moved to {archive}" in result.stdout and stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert not key_file.with_name("master.key.new").exists()
    assert _show(profile_id) == PROFILE["summary"]
    assert SENTINEL not in result.output


def test_an_older_store_with_its_key_in_the_home_is_told_and_moved_out(home: Path, tmp_path: Path) -> None:
    key = Fernet.generate_key()
    write_key_file(legacy_key_path(home), key)
    with UserStore.open(home, key.decode()) as store:  # written with the key that sits in the home
        profile_id = store.add_profile(parse_profile(PROFILE))
    listed = runner.invoke(app, ["profiles", "list"])
    assert listed.exit_code == 0 and profile_id in listed.stdout
    assert f"warning: the master key file {legacy_key_path(home)} is inside IPPO_HOME" in listed.stderr
    rotated = runner.invoke(app, ["profiles", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    key_file = tmp_path / "config" / "ippo" / "master.key"
    assert not legacy_key_path(home).exists() and key_file.exists()
    assert f"the master key is now {key_file}" in rotated.stdout
    assert key_file.with_name(f"master.key.{master_key_id(key)}.old").read_bytes().strip() == key
    after = runner.invoke(app, ["profiles", "list"])
    assert after.exit_code == 0 and "warning" not in after.stderr
    assert _show(profile_id) == PROFILE["summary"]


def test_rotate_key_with_keys_from_the_environment(home: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("IPPO_MASTER_KEY", old)
    profile_id = _add(tmp_path)
    refused = runner.invoke(app, ["profiles", "rotate-key"])
    assert refused.exit_code == 2 and "IPPO_MASTER_KEY_PREVIOUS" in refused.output
    monkeypatch.setenv("IPPO_MASTER_KEY", new)
    mismatch = runner.invoke(app, ["profiles", "show", profile_id])
    assert mismatch.exit_code == 2
    assert master_key_id(old.encode()) in mismatch.output and master_key_id(new.encode()) in mismatch.output
    assert SENTINEL not in mismatch.output
    monkeypatch.setenv("IPPO_MASTER_KEY_PREVIOUS", old)
    assert _show(profile_id) == PROFILE["summary"]  # the old key reads meanwhile
    rotated = runner.invoke(app, ["profiles", "rotate-key"])
    assert rotated.exit_code == 0 and "re-wrapped 1 data key(s)" in rotated.stdout
    monkeypatch.delenv("IPPO_MASTER_KEY_PREVIOUS")
    assert _show(profile_id) == PROFILE["summary"]
    assert not (tmp_path / "config").exists()  # keys from the environment: no key file made

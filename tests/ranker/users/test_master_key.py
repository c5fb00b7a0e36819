"""The master key: kept outside IPPO_HOME, private, named by an id in every wrapped data key,
refused when it is not the key the store was written with, rotated without losing a profile,
and never in a message alongside any profile content."""

from __future__ import annotations

import logging
import sqlite3
import stat
from pathlib import Path

import duckdb
import numpy as np
import pytest
from cryptography.fernet import Fernet

from ranker.profile import parse_profile
from ranker.users.data_keys import data_keys_path
from ranker.users.key import (
    MasterKeyMismatchError,
    UserKeyError,
    legacy_key_path,
    master_key_id,
    parse_key,
    write_key_file,
)
from ranker.users.store import UserStore
from tests.ranker.users.leftovers import all_bytes, decryptable

SENTINEL = "private-3c9e51"
PROFILE = {"summary": f"{SENTINEL} うつ病で休職していました", "desired_titles": ["事務"], "needs": ["career_gap_ok"]}


def _new_key() -> str:
    return Fernet.generate_key().decode()


def _stored_key_ids(home: Path) -> list[str]:
    with sqlite3.connect(data_keys_path(home)) as con:
        return [row[0] for row in con.execute("SELECT master_key_id FROM data_keys ORDER BY profile_id")]


def test_the_default_key_file_is_outside_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    home = tmp_path / "home"
    with UserStore.open(home) as store:
        store.add_profile(parse_profile(PROFILE))
        assert store.master_keys.warning is None
    key_file = tmp_path / "config" / "ippo" / "master.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not [p for p in home.rglob("*.key")]
    assert key_file.read_bytes().strip() not in all_bytes(home)
    assert _stored_key_ids(home) == [master_key_id(key_file.read_bytes())]


def test_key_ids_are_short_fingerprints() -> None:
    key = Fernet.generate_key()
    assert master_key_id(key) == master_key_id(key + b"\n") != master_key_id(Fernet.generate_key())
    assert master_key_id(key).startswith("mk-") and len(master_key_id(key)) == 15
    assert key.decode() not in master_key_id(key) and key[:12].decode() not in master_key_id(key)


def test_a_store_written_under_another_key_is_refused_naming_both_ids(tmp_path: Path) -> None:
    home, written, other = tmp_path / "home", _new_key(), _new_key()
    with UserStore.open(home, written) as store:
        store.add_profile(parse_profile(PROFILE))
    with pytest.raises(MasterKeyMismatchError) as caught:
        UserStore.open(home, other)
    message = str(caught.value)
    assert master_key_id(written.encode()) in message and master_key_id(other.encode()) in message
    assert "IPPO_MASTER_KEY" in message and SENTINEL not in message and written not in message
    with UserStore.open(home, written) as store:  # nothing was written under the other key
        assert SENTINEL in store.get(store.list_profiles()[0]["id"]).profile.summary


def test_a_row_wrapped_by_an_unknown_key_is_refused_by_id(tmp_path: Path) -> None:
    home, key = tmp_path / "home", _new_key()
    with UserStore.open(home, key) as store:
        profile_id = store.add_profile(parse_profile(PROFILE))
        stranger = parse_key(_new_key().encode(), "test")
        store._ring._con.execute("UPDATE data_keys SET master_key_id = ?", [stranger.id])  # type: ignore[union-attr]
        with pytest.raises(MasterKeyMismatchError, match=f"profile {profile_id} was wrapped by master key "
                                                         f"{stranger.id}") as caught:
            store.get(profile_id)
    assert SENTINEL not in str(caught.value)


def test_a_missing_key_is_never_replaced_under_existing_data(tmp_path: Path) -> None:
    home, key_file = tmp_path / "home", tmp_path / "master.key"
    with UserStore.open(home, key_file=key_file) as store:
        store.add_profile(parse_profile(PROFILE))
    key_file.unlink()
    with pytest.raises(UserKeyError, match=f"no master key was found.*{key_file}.*restore the key"):
        UserStore.open(home, key_file=key_file)
    assert not key_file.exists()


def test_a_key_file_others_can_read_is_refused_with_the_chmod_to_run(tmp_path: Path) -> None:
    key_file = tmp_path / "master.key"
    write_key_file(key_file, Fernet.generate_key())
    key_file.chmod(0o640)
    with pytest.raises(UserKeyError, match=f"{key_file} is open to other users .*run: chmod 600 {key_file}"):
        UserStore.open(tmp_path / "home", key_file=key_file)


def test_rotation_re_wraps_every_data_key_and_keeps_the_old_key_for_reading_meanwhile(tmp_path: Path) -> None:
    home, old, new = tmp_path / "home", _new_key(), _new_key()
    with UserStore.open(home, old) as store:
        ids = [store.add_profile(parse_profile(PROFILE), np.ones(4, dtype=np.float32), "m") for _ in range(3)]
        store.add_feedback(ids[0], "listing-1", "saved", title="事務")
    with UserStore.open(home, new, previous_keys=[old]) as store:
        assert store.get(ids[1]).profile.summary.startswith(SENTINEL)  # read with the old key
        added = store.add_profile(parse_profile(PROFILE))  # wrapped by the new key
        assert sorted(set(_stored_key_ids(home))) == sorted({master_key_id(old.encode()), master_key_id(new.encode())})
        report = store.rotate_master_key(store.master_keys.current)
    assert report == {"rewrapped": 3, "master_key_id": master_key_id(new.encode()),
                      "previous_master_key_ids": [master_key_id(old.encode())]}
    assert set(_stored_key_ids(home)) == {master_key_id(new.encode())}
    with UserStore.open(home, new) as store:
        assert [store.get(pid).profile.summary for pid in [*ids, added]] == [PROFILE["summary"]] * 4
        assert store.feedback_signals(ids[0]).liked[0].listing_id == "listing-1"
    with pytest.raises(MasterKeyMismatchError):
        UserStore.open(home, old)
    # the wrapped keys of the old key were overwritten, not left behind in the data-key file
    assert not decryptable(data_keys_path(home).read_bytes(), [Fernet(old.encode())])


def _legacy_store(home: Path) -> tuple[str, bytes]:
    """A store as written before data keys: values sealed with the key file inside the home."""
    key = Fernet.generate_key()
    write_key_file(legacy_key_path(home), key)
    seal = Fernet(key).encrypt
    with duckdb.connect(str(home / "users.duckdb")) as con:
        con.execute("CREATE TABLE profiles (id VARCHAR PRIMARY KEY, created_at TIMESTAMP, payload BLOB, "
                    "embedding BLOB, embedding_model VARCHAR, owner VARCHAR)")
        con.execute("CREATE TABLE feedback (id VARCHAR PRIMARY KEY, profile_id VARCHAR, created_at TIMESTAMP, "
                    "payload BLOB, vector BLOB)")
        con.execute("INSERT INTO profiles VALUES ('p_old', now(), ?, ?, 'm', 'org:clinic')",
                    [seal(parse_profile(PROFILE).model_dump_json().encode()),
                     seal(np.ones(4, dtype=np.float32).tobytes())])
        con.execute("INSERT INTO feedback VALUES ('f_old', 'p_old', now(), ?, NULL)",
                    [seal(b'{"listing_id": "listing-9", "action": "saved", "title": "' + SENTINEL.encode() + b'"}')])
    return "p_old", key


def test_a_store_with_its_key_inside_the_home_keeps_working_and_is_converted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    caplog.set_level(logging.INFO)
    home = tmp_path / "home"
    profile_id, key = _legacy_store(home)
    with UserStore.open(home) as store:
        warning = store.master_keys.warning
        assert warning is not None and str(legacy_key_path(home)) in warning and "rotate-key" in warning
        assert f"mv {legacy_key_path(home)} {tmp_path / 'config' / 'ippo' / 'master.key'}" in warning
        assert store.get(profile_id).profile.summary == PROFILE["summary"]
        assert store.export(profile_id)["feedback"][0]["title"] == SENTINEL
        assert store.owner_of(profile_id) == "org:clinic"
        sealed = store._con.execute("SELECT sealed_with FROM profiles").fetchall()
    assert sealed == [("data_key",)] and _stored_key_ids(home) == [master_key_id(key)]
    # the file was rewritten: no value sealed with the master key itself is left in it (what the
    # master key opens now is the data key, in the data-key file)
    assert not decryptable((home / "users.duckdb").read_bytes(), [Fernet(key)])
    assert not [plain for plain in decryptable(all_bytes(home), [Fernet(key)]) if SENTINEL.encode() in plain]
    assert SENTINEL not in caplog.text
    with UserStore.open(home) as store:  # converted once
        assert store.get(profile_id).embedding is not None
        store.delete(profile_id)
    assert not [p for p in decryptable(all_bytes(home), [Fernet(key)]) if SENTINEL.encode() in p]


def test_a_legacy_key_beside_an_operator_key_file_still_reads_old_profiles(tmp_path: Path) -> None:
    home, key_file = tmp_path / "home", tmp_path / "master.key"
    profile_id, _ = _legacy_store(home)
    write_key_file(key_file, Fernet.generate_key())
    with UserStore.open(home, key_file=key_file) as store:
        assert store.get(profile_id).profile.summary == PROFILE["summary"]
        assert store.master_keys.warning is not None and "still inside IPPO_HOME" in store.master_keys.warning
    assert _stored_key_ids(home) == [master_key_id(key_file.read_bytes())]


def test_store_errors_name_the_profile_and_the_problem_only(tmp_path: Path) -> None:
    home, key = tmp_path / "home", _new_key()
    with UserStore.open(home, key) as store:
        profile_id = store.add_profile(parse_profile(PROFILE))
        payload = bytes(store._con.execute("SELECT payload FROM profiles").fetchall()[0][0])
        store._con.execute("UPDATE profiles SET payload = ?", [payload[:-8] + b"AAAAAAA="])
        with pytest.raises(UserKeyError) as caught:
            store.get(profile_id)
        assert profile_id in str(caught.value) and SENTINEL not in str(caught.value)
        store._ring.delete(profile_id)  # type: ignore[union-attr]
        with pytest.raises(UserKeyError, match=f"profile {profile_id} has no data key"):
            store.get(profile_id)

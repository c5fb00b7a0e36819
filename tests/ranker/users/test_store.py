"""The encrypted user store: encryption at rest, key handling, export, erasure, lock message."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from cryptography.fernet import Fernet

from ranker.profile import parse_profile
from ranker.users.key import MasterKeyMismatchError, UserKeyError, legacy_key_path, load_master_keys, write_key_file
from ranker.users.store import GrantNotFoundError, ProfileNotFoundError, UserStore, UserStoreBusyError

SECRET = "統合失調症の治療を続けながら働きたい"
PROFILE = {"summary": SECRET, "desired_titles": ["データ入力"], "needs": ["accommodations", "career_gap_ok"],
           "consent": {"sensitive_needs": True}}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_profile_is_encrypted_at_rest_and_round_trips(home: Path) -> None:
    vector = np.linspace(-1, 1, 8, dtype=np.float32)
    with UserStore.open(home) as store:
        profile_id = store.add_profile(parse_profile(PROFILE), vector, "test-model")
        store.add_feedback(profile_id, "listing-1", "saved", title="データ入力スタッフ", vector=vector)
        stored = store.get(profile_id)
        assert stored.profile.summary == SECRET
        assert np.allclose(stored.embedding, vector)
        assert stored.embedding_model == "test-model"
    raw = (home / "users.duckdb").read_bytes()
    for plain in (SECRET.encode(), b"accommodations", "データ入力スタッフ".encode(), b"listing-1"):
        assert plain not in raw
    assert profile_id.startswith("p_") and profile_id.encode() in raw


def test_key_file_is_created_private_and_reused(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "config" / "ippo" / "master.key"
    first = load_master_keys(home, key_file=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    token = first.current.fernet.encrypt(b"x")
    again = load_master_keys(home, key_file=path)
    assert again.current.id == first.current.id and again.current.fernet.decrypt(token) == b"x"
    assert not home.exists()


def test_key_file_readable_by_others_is_refused(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "master.key"
    load_master_keys(home, key_file=path)
    os.chmod(path, 0o644)
    with pytest.raises(UserKeyError, match=f"chmod 600 {path}"):
        load_master_keys(home, key_file=path)


def test_key_given_and_wrong_key(home: Path) -> None:
    with UserStore.open(home, Fernet.generate_key().decode()) as store:
        store.add_profile(parse_profile(PROFILE))
    assert not legacy_key_path(home).exists()
    with pytest.raises(MasterKeyMismatchError, match="wrapped by master key mk-") as caught:
        UserStore.open(home, Fernet.generate_key().decode())
    assert SECRET not in str(caught.value)
    with pytest.raises(UserKeyError, match=r"IPPO_MASTER_KEY \(the setting master_key\) does not hold a valid key"):
        load_master_keys(home, "not-a-key")


def test_export_and_erasure(home: Path) -> None:
    with UserStore.open(home) as store:
        profile_id = store.add_profile(parse_profile(PROFILE), np.ones(4, dtype=np.float32), "m")
        other = store.add_profile(parse_profile({"summary": "倉庫作業"}))
        store.add_feedback(profile_id, "a", "dismissed", title="A")
        store.add_feedback(profile_id, "b", "applied", title="B", vector=np.ones(4, dtype=np.float32))
        exported = store.export(profile_id)
        assert exported["profile"]["summary"] == SECRET
        assert exported["embedding"]["dimension"] == 4
        assert [(f["listing_id"], f["action"], f["has_vector"]) for f in exported["feedback"]] == \
            [("a", "dismissed", False), ("b", "applied", True)]
        signals = store.feedback_signals(profile_id)
        assert signals.dismissed == frozenset({"a"}) and [x.listing_id for x in signals.liked] == ["b"]
        assert store.delete(profile_id) == {"profiles": 1, "feedback": 2}
        with pytest.raises(ProfileNotFoundError):
            store.get(profile_id)
        with pytest.raises(ProfileNotFoundError):
            store.add_feedback(profile_id, "a", "saved")
        assert [p["id"] for p in store.list_profiles()] == [other]
        con = store._con
        assert con.execute("SELECT count(*) FROM feedback").fetchall()[0][0] == 0


def test_unknown_feedback_action(home: Path) -> None:
    with UserStore.open(home) as store:
        profile_id = store.add_profile(parse_profile(PROFILE))
        with pytest.raises(ValueError, match="saved, dismissed, applied"):
            store.add_feedback(profile_id, "a", "liked")


def test_a_second_writer_gets_a_clear_message(home: Path) -> None:
    UserStore.open(home).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(home / 'users.duckdb')!r})
            print('ready', flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(UserStoreBusyError, match=r"in use by another process .*ippo serve"):
            UserStore.open(home)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)


def test_a_store_from_before_owners_gains_the_owner_column_with_no_owner(home: Path) -> None:
    import duckdb

    key = Fernet.generate_key()
    write_key_file(legacy_key_path(home), key)  # where the key was kept then
    payload = Fernet(key).encrypt(parse_profile(PROFILE).model_dump_json().encode())
    with duckdb.connect(str(home / "users.duckdb")) as con:  # the tables as they were before owners and grants
        con.execute("CREATE TABLE profiles (id VARCHAR PRIMARY KEY, created_at TIMESTAMP, payload BLOB, "
                    "embedding BLOB, embedding_model VARCHAR)")
        con.execute("CREATE TABLE feedback (id VARCHAR PRIMARY KEY, profile_id VARCHAR, created_at TIMESTAMP, "
                    "payload BLOB, vector BLOB)")
        con.execute("INSERT INTO profiles VALUES ('p_before', now(), ?, NULL, NULL)", [payload])
    with UserStore.open(home) as store:
        assert store.owner_of("p_before") is None
        assert [p["id"] for p in store.unowned()] == ["p_before"]
        assert store.get("p_before").profile.summary == SECRET
        owned = store.add_profile(parse_profile(PROFILE), owner="org:clinic")
        assert [p["id"] for p in store.owned_by("org:clinic")] == [owned]
        assert {p["id"]: p["owner"] for p in store.list_profiles()} == {"p_before": None, owned: "org:clinic"}


def test_grants_are_recorded_withdrawn_exported_and_erased(home: Path) -> None:
    with UserStore.open(home) as store:
        profile_id = store.add_profile(parse_profile(PROFILE), owner="org:clinic")
        first = store.add_grant(profile_id, "k0123456789", granted_by="org:clinic")
        assert store.add_grant(profile_id, "k0123456789", granted_by="org:clinic") == first  # no duplicate
        assert store.has_grant(profile_id, "k0123456789") and not store.has_grant(profile_id, "k9876543210")
        assert [p["id"] for p in store.granted_to("k0123456789")] == [profile_id]
        withdrawn = store.withdraw_grant(profile_id, "k0123456789")
        assert withdrawn["withdrawn_at"] is not None and not store.has_grant(profile_id, "k0123456789")
        with pytest.raises(GrantNotFoundError):
            store.withdraw_grant(profile_id, "k0123456789")
        store.add_grant(profile_id, "k0123456789", granted_by="org:clinic")
        exported = store.export(profile_id)
        assert exported["owner"] == "org:clinic"
        assert [g["withdrawn_at"] is None for g in exported["grants"]] == [False, True]
        store.delete(profile_id)
        assert store.grants(profile_id) == [] and store.granted_to("k0123456789") == []
        with pytest.raises(ProfileNotFoundError):
            store.add_grant(profile_id, "k0123456789", granted_by="org:clinic")

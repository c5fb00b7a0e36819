"""Erasure by crypto-shredding: once a profile is deleted and the store closed, nothing under
$IPPO_HOME holds it in plaintext, and no leftover ciphertext opens with any key that remains."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from cryptography.fernet import Fernet, InvalidToken

from ranker.profile import parse_profile
from ranker.users.data_keys import data_keys_path
from ranker.users.key import load_master_keys
from ranker.users.store import ProfileNotFoundError, UserStore
from tests.ranker.users.leftovers import all_bytes, decryptable, every_file

SENTINEL = "erase-me-7f3a9c1d"
PROFILE = {"summary": f"{SENTINEL} 通院しながら働きたい", "desired_titles": ["データ入力"],
           "needs": ["accommodations"], "consent": {"sensitive_needs": True}}
KEPT = {"summary": "倉庫作業の仕事を探しています", "desired_titles": ["倉庫作業"]}


def _remaining_data_keys(home: Path, key_file: Path) -> list[Fernet]:
    master = load_master_keys(home, key_file=key_file, create=False)
    with sqlite3.connect(data_keys_path(home)) as con:
        rows = con.execute("SELECT profile_id, master_key_id, wrapped FROM data_keys").fetchall()
    return [Fernet(master.unwrap(bytes(wrapped), key_id, profile_id)) for profile_id, key_id, wrapped in rows]


def test_a_deleted_profile_leaves_nothing_that_opens(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    home, key_file = tmp_path / "home", tmp_path / "config" / "master.key"
    vector = np.linspace(-1, 1, 16, dtype=np.float32)
    with UserStore.open(home, key_file=key_file) as store:
        kept = store.add_profile(parse_profile(KEPT), vector, "m")
        gone = store.add_profile(parse_profile(PROFILE), vector, "m")
        store.add_feedback(gone, "listing-1", "saved", title=f"{SENTINEL} title", vector=vector)
        store.set_embedding(gone, vector * 2, "m")
        store._con.execute("CHECKPOINT")  # the rows reach the main file's blocks before the erasure
        assert SENTINEL in store.get(gone).profile.summary
        assert store.delete(gone) == {"profiles": 1, "feedback": 1}
    assert key_file.exists() and not key_file.is_relative_to(home)

    # (a) no plaintext anywhere under the home
    for path in every_file(home):
        assert SENTINEL.encode() not in path.read_bytes(), path

    # (b) with the master key and every data key still stored, what opens is the kept profile only
    master = load_master_keys(home, key_file=key_file, create=False)
    data_keys = _remaining_data_keys(home, key_file)
    assert len(data_keys) == 1
    opened = decryptable(all_bytes(home), [master.current.fernet, *data_keys])
    assert any("倉庫作業".encode() in plain for plain in opened)  # the search does find live tokens
    assert not [plain for plain in opened if SENTINEL.encode() in plain]
    with UserStore.open(home, key_file=key_file) as store:
        assert store.get(kept).profile.summary == KEPT["summary"]
        assert [p["id"] for p in store.list_profiles()] == [kept]
    assert SENTINEL not in caplog.text


def test_a_data_key_left_by_an_interrupted_erasure_is_destroyed_on_open(tmp_path: Path) -> None:
    home, key_file = tmp_path / "home", tmp_path / "master.key"
    with UserStore.open(home, key_file=key_file) as store:
        gone = store.add_profile(parse_profile(PROFILE))
        store._con.execute("DELETE FROM profiles WHERE id = ?", [gone])  # the rows went, the key stayed
    with sqlite3.connect(data_keys_path(home)) as con:
        assert con.execute("SELECT count(*) FROM data_keys").fetchone()[0] == 1
    UserStore.open(home, key_file=key_file).close()
    with sqlite3.connect(data_keys_path(home)) as con:
        assert con.execute("SELECT count(*) FROM data_keys").fetchone()[0] == 0
    assert gone.encode() not in data_keys_path(home).read_bytes()


def test_each_profile_has_its_own_data_key(tmp_path: Path) -> None:
    home, key_file = tmp_path / "home", tmp_path / "master.key"
    with UserStore.open(home, key_file=key_file) as store:
        first = store.add_profile(parse_profile(PROFILE))
        second = store.add_profile(parse_profile(KEPT))
        payloads = dict(store._con.execute("SELECT id, payload FROM profiles").fetchall())
    master = load_master_keys(home, key_file=key_file, create=False)
    with pytest.raises(InvalidToken):
        master.current.fernet.decrypt(bytes(payloads[first]))  # not sealed with the master key itself
    keys = _remaining_data_keys(home, key_file)
    opens = {pid: [k for k in keys if decryptable(bytes(payloads[pid]), [k])] for pid in (first, second)}
    assert len(opens[first]) == len(opens[second]) == 1 and opens[first][0] is not opens[second][0]


def test_a_replaced_profile_is_sealed_with_its_data_key_and_erased_with_it(tmp_path: Path) -> None:
    home, key_file = tmp_path / "home", tmp_path / "master.key"
    with UserStore.open(home, key_file=key_file) as store:
        profile_id = store.add_profile(parse_profile(KEPT))
        store._con.execute("CHECKPOINT")
        store.replace_profile(profile_id, parse_profile(PROFILE), np.ones(4, dtype=np.float32), "m")
        stored = store.get(profile_id)
        assert stored.profile.summary == PROFILE["summary"] and stored.embedding_model == "m"
        store._con.execute("CHECKPOINT")
        store.delete(profile_id)
        with pytest.raises(ProfileNotFoundError):
            store.replace_profile(profile_id, parse_profile(KEPT), None, None)
    master = load_master_keys(home, key_file=key_file, create=False)
    assert not [p for p in decryptable(all_bytes(home), [master.current.fernet]) if SENTINEL.encode() in p]

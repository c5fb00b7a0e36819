"""The API key database: only hashes stored, private files, scopes checked, expiry, revocation
seen after the cache's TTL, last use written at most every few seconds, two writers at once."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ranker.users.api_keys import (
    ApiKeyAuthenticator,
    ApiKeyError,
    ApiKeyStore,
    ApiKeyStoreError,
    InvalidApiKeyError,
    keys_path,
    parse_token,
    utc_now,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> ApiKeyStore:
    return ApiKeyStore.open(tmp_path / "home")


def test_a_key_is_random_names_its_id_and_only_its_hash_is_stored(store: ApiKeyStore) -> None:
    key, secret = store.create("recommend,profiles", name="相談支援センター", org="clinic")
    other = store.create("recommend")[1]
    assert secret.startswith(f"ippo_{key.id}_") and parse_token(secret) == key.id
    assert len(secret.split("_", 2)[2]) == 43 and secret != other  # 256 random bits, url-safe
    assert key.scopes == {"recommend", "profiles"} and key.org == "clinic" and key.owner == "org:clinic"
    with sqlite3.connect(store.path) as con:
        row = con.execute("SELECT * FROM api_keys WHERE id = ?", [key.id]).fetchone()
    assert hashlib.sha256(secret.encode()).hexdigest() in row
    assert not any(secret.split("_", 2)[2] in str(value) for value in row)
    assert secret.encode() not in store.path.read_bytes()


def test_the_key_file_and_folder_are_private(store: ApiKeyStore, tmp_path: Path) -> None:
    path = keys_path(tmp_path / "home")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as con:  # while a connection is open the WAL files exist: same mode
        con.execute("PRAGMA journal_mode").fetchone()
        store.create("recommend")
        sides = sorted(path.parent.glob("api_keys.sqlite3-*"))
        assert [side.name for side in sides] == ["api_keys.sqlite3-shm", "api_keys.sqlite3-wal"]
        for side in sides:
            assert stat.S_IMODE(side.stat().st_mode) == 0o600, side
    os.chmod(path, 0o664)
    with pytest.raises(ApiKeyStoreError, match="chmod 600"):
        ApiKeyStore.open(tmp_path / "home")


def test_bad_requests_are_refused_with_what_to_do(store: ApiKeyStore) -> None:
    with pytest.raises(ApiKeyError, match=r"unknown scope.*superuser.*recommend, profiles, counselor, admin"):
        store.create("recommend,superuser")
    with pytest.raises(ApiKeyError, match="at least one scope"):
        store.create(" , ")
    with pytest.raises(ApiKeyError, match="organisation"):
        store.create("profiles", org="a b")
    with pytest.raises(ApiKeyError, match="greater than 0"):
        store.create("profiles", expires_days=0)
    with pytest.raises(ApiKeyError, match="no API key with id k0000000000"):
        store.revoke("k0000000000")
    assert store.list_keys() == []


def test_authentication_checks_the_secret_expiry_and_revocation(store: ApiKeyStore) -> None:
    clock = Clock()
    auth = ApiKeyAuthenticator(store, ttl=2.0, clock=clock)
    key, secret = store.create("recommend")
    assert auth.authenticate(secret).id == key.id
    for wrong in ("", "Bearer " + secret, secret[:-1], secret[:-1] + ("A" if secret[-1] != "A" else "B"),
                  f"ippo_k0000000000_{secret.split('_', 2)[2]}"):
        with pytest.raises(InvalidApiKeyError, match=r"^invalid API key$"):
            auth.authenticate(wrong)
    old, old_secret = store.create("recommend", expires_days=1, now=utc_now() - timedelta(days=1, seconds=1))
    with pytest.raises(InvalidApiKeyError, match=f"API key {old.id} expired at"):
        auth.authenticate(old_secret)

    store.revoke(key.id)
    assert auth.authenticate(secret).id == key.id  # still cached: the TTL has not passed
    clock.now += 2.0
    with pytest.raises(InvalidApiKeyError, match=f"API key {key.id} has been revoked"):
        auth.authenticate(secret)


def test_a_new_key_works_at_once_through_a_warm_cache(store: ApiKeyStore) -> None:
    auth = ApiKeyAuthenticator(store, ttl=60.0, clock=Clock())
    auth.authenticate(store.create("recommend")[1])
    fresh, fresh_secret = store.create("profiles")
    assert auth.authenticate(fresh_secret).id == fresh.id


def test_last_use_is_written_at_most_every_few_seconds(store: ApiKeyStore) -> None:
    clock = Clock()
    times = iter(utc_now() + timedelta(seconds=s) for s in range(100))
    stamps: list[datetime] = []

    def now() -> datetime:
        stamps.append(next(times))
        return stamps[-1]

    auth = ApiKeyAuthenticator(store, ttl=1.0, touch_every=5.0, clock=clock, now=now)
    key, secret = store.create("recommend")
    auth.authenticate(secret)
    first = store.get(key.id).last_used_at
    assert first == stamps[0]
    for _ in range(3):
        clock.now += 1.0
        auth.authenticate(secret)
    assert store.get(key.id).last_used_at == first
    clock.now += 2.0
    auth.authenticate(secret)
    assert store.get(key.id).last_used_at == stamps[-1] > first


def test_a_busy_database_never_fails_a_request_for_its_last_use(store: ApiKeyStore,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    key, secret = store.create("recommend")
    auth = ApiKeyAuthenticator(store, touch_every=0.0)
    auth.authenticate(secret)  # cached, so the read below needs no lock
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert auth.authenticate(secret).id == key.id
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert any(f"API key {key.id}" in r.getMessage() and "busy" in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text


def test_another_process_creates_and_revokes_while_one_holds_the_database(store: ApiKeyStore,
                                                                          tmp_path: Path) -> None:
    auth = ApiKeyAuthenticator(store, ttl=0.0)
    held = sqlite3.connect(store.path)  # a reader of this process keeps the file open
    held.execute("SELECT count(*) FROM api_keys").fetchone()
    script = textwrap.dedent(f"""
        from pathlib import Path
        from ranker.users.api_keys import ApiKeyStore
        store = ApiKeyStore.open(Path({str(tmp_path / "home")!r}))
        key, secret = store.create("recommend")
        print(secret)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[3])
    assert done.returncode == 0, done.stderr
    secret = done.stdout.strip().splitlines()[-1]
    key = auth.authenticate(secret)
    store.revoke(key.id)
    with pytest.raises(InvalidApiKeyError, match="revoked"):
        auth.authenticate(secret)
    held.close()

"""API keys: who may call the API, and for what (their scopes).

Keys live in ``$IPPO_HOME/keys/api_keys.sqlite3`` (SQLite in WAL mode), not in the user store:
the running API holds ``users.duckdb`` as its only writer, while ``ippo keys create`` and
``ippo keys revoke`` must work beside it. SQLite lets both processes write the same file; the
API re-reads a key at most ``ttl`` seconds after it last read it, so a revoked key stops
working, and a new one starts working, within seconds and without a restart.

A key reads ``ippo_<id>_<secret>``: the id (``k`` + 10 hex digits) is not secret and names the
key in lists and logs; the secret is 256 random bits. Only the SHA-256 of the whole key is
stored, so a key can never be shown again: ``create`` returns it once. Hashes are compared in
constant time. Nothing here logs a key or puts one in a message.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ranker.users.private_files import make_private_file, private_sqlite

log = logging.getLogger("ippo.api")

# What each scope allows is listed per route in docs/api.md.
SCOPES = ("recommend", "profiles", "counselor", "admin")
KEY_PREFIX = "ippo_"
KEY_ID_PATTERN = re.compile(r"^k[0-9a-f]{10}$")
ORG_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TOKEN_PATTERN = re.compile(r"^ippo_(k[0-9a-f]{10})_([A-Za-z0-9_-]{43})$")
MAX_NAME_LENGTH = 100

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    org TEXT,
    secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
)
"""


class ApiKeyError(ValueError):
    """A key request the store refuses (unknown scope, bad org, unknown id); safe to show."""


class ApiKeyStoreError(RuntimeError):
    """The key database cannot be used (permissions, corruption); the message says what to do."""


@dataclass(frozen=True)
class ApiKey:
    """One key as stored, without its secret."""

    id: str
    name: str
    scopes: frozenset[str]
    org: str | None
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def owner(self) -> str:
        """Whom the profiles created with this key belong to: its organisation, else the key itself."""
        return f"org:{self.org}" if self.org else f"key:{self.id}"

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and not self.expired(now)

    def as_dict(self) -> dict[str, object]:
        def when(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {"id": self.id, "name": self.name, "scopes": sorted(self.scopes), "org": self.org,
                "created_at": when(self.created_at), "expires_at": when(self.expires_at),
                "last_used_at": when(self.last_used_at), "revoked_at": when(self.revoked_at)}


def utc_now() -> datetime:
    return datetime.now(UTC)


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_token(token: str) -> str | None:
    """The key id of a well-formed key, else None."""
    found = _TOKEN_PATTERN.match(token)
    return found.group(1) if found else None


def parse_scopes(text: str | Iterable[str]) -> frozenset[str]:
    """Scopes from a comma-separated text or a list; unknown or missing ones are refused."""
    items = text.split(",") if isinstance(text, str) else list(text)
    scopes = frozenset(item.strip() for item in items if item.strip())
    unknown = sorted(scopes - set(SCOPES))
    if unknown:
        raise ApiKeyError(f"unknown scope(s) {', '.join(unknown)}; use one or more of {', '.join(SCOPES)}")
    if not scopes:
        raise ApiKeyError(f"give at least one scope: {', '.join(SCOPES)}")
    return scopes


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _row_to_key(row: sqlite3.Row) -> ApiKey:
    created = _time(row["created_at"])
    assert created is not None
    return ApiKey(id=row["id"], name=row["name"], scopes=frozenset(row["scopes"].split(",")), org=row["org"],
                  created_at=created, expires_at=_time(row["expires_at"]),
                  last_used_at=_time(row["last_used_at"]), revoked_at=_time(row["revoked_at"]))


def keys_path(home: Path) -> Path:
    return home / "keys" / "api_keys.sqlite3"


class ApiKeyStore:
    """The key database. Each call opens its own short connection, so any thread of any
    process may use it; writes wait up to ``timeout`` seconds for another writer."""

    _COLUMNS = "id, name, scopes, org, created_at, expires_at, last_used_at, revoked_at"

    def __init__(self, path: Path, timeout: float = 5.0) -> None:
        self.path = path
        self.timeout = timeout
        self._prepare_file()
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)

    @classmethod
    def open(cls, home: Path) -> ApiKeyStore:
        return cls(keys_path(home))

    def _prepare_file(self) -> None:
        """A private folder and a 0600 file (SQLite gives its -wal and -shm files the same mode)."""
        make_private_file(self.path, "the API key database", ApiKeyStoreError)

    @contextmanager
    def _connect(self, timeout: float | None = None) -> Iterator[sqlite3.Connection]:
        # The file is never created here (it is made private once, in _prepare_file).
        with private_sqlite(self.path, "the API key database", ApiKeyStoreError,
                            timeout=self.timeout if timeout is None else timeout, keep_locked=True) as con:
            con.row_factory = sqlite3.Row
            yield con

    # -- operator actions (ippo keys ...) --------------------------------------------------
    def create(
        self, scopes: str | Iterable[str], name: str = "", org: str | None = None,
        expires_days: float | None = None, now: datetime | None = None,
    ) -> tuple[ApiKey, str]:
        """A new key and its secret form (the only time it exists outside the caller)."""
        scope_set = parse_scopes(scopes)
        if org is not None and not ORG_PATTERN.match(org):
            raise ApiKeyError("the organisation must be 1-64 letters, digits, '.', '_' or '-', starting with a "
                              "letter or digit")
        if len(name) > MAX_NAME_LENGTH:
            raise ApiKeyError(f"the key name is longer than {MAX_NAME_LENGTH} characters; shorten it")
        if expires_days is not None and expires_days <= 0:
            raise ApiKeyError("expires-days must be greater than 0 (leave it out for a key that does not expire)")
        created = now or utc_now()
        expires = created + timedelta(days=expires_days) if expires_days is not None else None
        key_id = "k" + secrets.token_hex(5)
        token = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        with self._connect() as con:
            con.execute(
                "INSERT INTO api_keys (id, name, scopes, org, secret_sha256, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [key_id, name, ",".join(sorted(scope_set)), org, hash_key(token), created.isoformat(),
                 expires.isoformat() if expires else None],
            )
        return self.get(key_id), token

    def list_keys(self) -> list[ApiKey]:
        with self._connect() as con:
            rows = con.execute(f"SELECT {self._COLUMNS} FROM api_keys ORDER BY created_at, id").fetchall()
        return [_row_to_key(row) for row in rows]

    def get(self, key_id: str) -> ApiKey:
        found = self.find(key_id)
        if found is None:
            raise ApiKeyError(f"no API key with id {key_id}; `ippo keys list` shows the ids")
        return found[0]

    def find(self, key_id: str) -> tuple[ApiKey, str] | None:
        """A key and the hash of its secret, or None."""
        with self._connect() as con:
            row = con.execute(f"SELECT {self._COLUMNS}, secret_sha256 FROM api_keys WHERE id = ?",
                              [key_id]).fetchone()
        return None if row is None else (_row_to_key(row), row["secret_sha256"])

    def revoke(self, key_id: str, now: datetime | None = None) -> ApiKey:
        """Revoke a key (kept in the list, marked revoked); revoking twice changes nothing."""
        with self._connect() as con:
            con.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                        [(now or utc_now()).isoformat(), key_id])
        return self.get(key_id)

    def touch(self, key_id: str, when: datetime, timeout: float = 0.5) -> None:
        """Record a use. Raises sqlite3.OperationalError when another writer holds the file."""
        with self._connect(timeout=timeout) as con:
            con.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [when.isoformat(), key_id])


class InvalidApiKeyError(Exception):
    """The presented key does not authenticate; the message is safe to return (no secret)."""


class ApiKeyAuthenticator:
    """Checks presented keys against the store, re-reading a key at most every ``ttl`` seconds
    and recording its last use at most every ``touch_every`` seconds."""

    MAX_CACHED = 4096

    def __init__(self, store: ApiKeyStore, ttl: float = 2.0, touch_every: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, now: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.ttl = ttl
        self.touch_every = touch_every
        self._clock = clock
        self._now = now
        self._cache: dict[str, tuple[float, ApiKey, str]] = {}
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    def _lookup(self, key_id: str) -> tuple[ApiKey, str] | None:
        moment = self._clock()
        with self._lock:
            cached = self._cache.get(key_id)
        if cached is not None and moment - cached[0] < self.ttl:
            return cached[1], cached[2]
        found = self.store.find(key_id)  # unknown ids are not cached: a new key works at once
        with self._lock:
            if found is None:
                self._cache.pop(key_id, None)
            else:
                if len(self._cache) >= self.MAX_CACHED:
                    self._cache.clear()
                self._cache[key_id] = (moment, *found)
        return found

    def authenticate(self, token: str) -> ApiKey:
        """The active key the token is, or InvalidApiKeyError saying why (never quoting the token)."""
        key_id = parse_token(token)
        found = self._lookup(key_id) if key_id else None
        if found is None or not hmac.compare_digest(found[1], hash_key(token)):
            raise InvalidApiKeyError("invalid API key")
        key = found[0]
        now = self._now()
        if key.revoked_at is not None:
            raise InvalidApiKeyError(f"API key {key.id} has been revoked")
        if key.expires_at is not None and now >= key.expires_at:
            raise InvalidApiKeyError(f"API key {key.id} expired at {key.expires_at.isoformat()}")
        self._record_use(key.id, now)
        return key

    def _record_use(self, key_id: str, now: datetime) -> None:
        moment = self._clock()
        with self._lock:
            last = self._touched.get(key_id)
            if last is not None and moment - last < self.touch_every:
                return
            self._touched[key_id] = moment
        try:
            self.store.touch(key_id, now)
        except sqlite3.OperationalError:
            log.warning("could not record the use of API key %s (key database busy); will retry later", key_id)
            with self._lock:
                self._touched.pop(key_id, None)

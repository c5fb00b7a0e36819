"""Who a person is on ippo's web page, without an account or an e-mail address.

A page identity is a random id (``w`` + 12 hex digits, not secret) with two secrets that each
open it: the **private link** (192 random bits, url-safe) and the **short code** (20 characters
of Crockford's base 32, 100 random bits, typed in groups of four: ``7KQ2-...``). Only the SHA-256
of each secret is stored, in ``$IPPO_HOME/keys/page_identities.sqlite3`` (0600, beside the API
key database), so a copy of the file opens nothing. Both secrets are random and long enough that
a fast hash is enough: nobody can try 2^100 codes.

The identity owns one stored profile in the user store (owner ``page:<id>``, see
``owner_of_identity``), under the same encryption, consent, export and erasure as every profile.
``renew`` replaces both secrets (the old link and code stop working at once); ``delete`` forgets
the identity. Nothing here logs a secret or puts one in a message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import unicodedata
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ranker.users.private_files import make_private_file, private_sqlite

OWNER_PREFIX = "page:"
IDENTITY_PATTERN = re.compile(r"^w[0-9a-f]{12}$")
# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand stays unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20
_CODE_READS = str.maketrans({"I": "1", "L": "1", "O": "0"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS page_identities (
    id TEXT PRIMARY KEY,
    link_sha256 TEXT NOT NULL UNIQUE,
    code_sha256 TEXT NOT NULL UNIQUE,
    profile_id TEXT,
    created_at TEXT NOT NULL
)
"""


class PageIdentityError(RuntimeError):
    """The identity file cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class PageIdentity:
    id: str
    profile_id: str | None
    created_at: str

    @property
    def owner(self) -> str:
        return owner_of_identity(self.id)


@dataclass(frozen=True)
class Secrets:
    """The two secrets of an identity, given out once (when made or renewed)."""

    link: str
    code: str

    @property
    def code_grouped(self) -> str:
        return "-".join(self.code[i:i + 4] for i in range(0, len(self.code), 4))


def owner_of_identity(identity_id: str) -> str:
    """The owner a page identity's profile carries in the user store."""
    return OWNER_PREFIX + identity_id


def normalise_code(typed: str) -> str | None:
    """The code as stored from what a person typed (spaces, dashes and case ignored; I and L
    read as 1, O as 0), or None when it cannot be a code."""
    cleaned = re.sub(r"[\s\-‐ー]", "", unicodedata.normalize("NFKC", typed)).upper().translate(_CODE_READS)
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _new_secrets() -> Secrets:
    return Secrets(link=secrets.token_urlsafe(24),
                   code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))


def identities_path(home: Path) -> Path:
    return home / "keys" / "page_identities.sqlite3"


class PageIdentityStore:
    """The identity file. Each call opens its own short connection (any thread may call)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        make_private_file(path, "the page identity file", PageIdentityError)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)

    @classmethod
    def open(cls, home: Path) -> PageIdentityStore:
        return cls(identities_path(home))

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return private_sqlite(self.path, "the page identity file", PageIdentityError)

    def create(self) -> tuple[PageIdentity, Secrets]:
        """A new identity (no profile yet) and its secrets, returned only here and by ``renew``."""
        identity_id = "w" + secrets.token_hex(6)
        given = _new_secrets()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as con:
            con.execute("INSERT INTO page_identities VALUES (?, ?, ?, NULL, ?)",
                        [identity_id, _sha256(given.link), _sha256(given.code), created])
        return PageIdentity(identity_id, None, created), given

    def by_link(self, link: str) -> PageIdentity | None:
        return self._by("link_sha256", _sha256(link)) if link else None

    def by_code(self, typed: str) -> PageIdentity | None:
        code = normalise_code(typed)
        return None if code is None else self._by("code_sha256", _sha256(code))

    def _by(self, column: str, digest: str) -> PageIdentity | None:
        with self._connect() as con:
            row = con.execute(f"SELECT id, profile_id, created_at, {column} FROM page_identities "
                              f"WHERE {column} = ?", [digest]).fetchone()
        if row is None or not hmac.compare_digest(row[3], digest):
            return None
        return PageIdentity(row[0], row[1], row[2])

    def get(self, identity_id: str) -> PageIdentity | None:
        with self._connect() as con:
            row = con.execute("SELECT id, profile_id, created_at FROM page_identities WHERE id = ?",
                              [identity_id]).fetchone()
        return None if row is None else PageIdentity(row[0], row[1], row[2])

    def set_profile(self, identity_id: str, profile_id: str | None) -> None:
        with self._connect() as con:
            con.execute("UPDATE page_identities SET profile_id = ? WHERE id = ?", [profile_id, identity_id])

    def renew(self, identity_id: str) -> Secrets:
        """New secrets in place of both old ones, which stop working at once."""
        given = _new_secrets()
        with self._connect() as con:
            con.execute("UPDATE page_identities SET link_sha256 = ?, code_sha256 = ? WHERE id = ?",
                        [_sha256(given.link), _sha256(given.code), identity_id])
        return given

    def delete(self, identity_id: str) -> None:
        with self._connect() as con:
            con.execute("DELETE FROM page_identities WHERE id = ?", [identity_id])

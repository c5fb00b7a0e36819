"""Stored profiles and feedback: $IPPO_HOME/users.duckdb, separate from the warehouse.

Profiles are special-care personal data (APPI 要配慮個人情報, GDPR Art. 9), so:
- every profile, its query embedding and every feedback record are encrypted with the user
  key (ranker.users.key) before they reach the file; only random ids, timestamps, the
  embedding model's name, the profile's owner (an organisation name or an API key id) and the
  counselor grants (API key ids and times) are stored in the clear;
- nothing here logs a profile or puts one in an exception message;
- ``delete`` erases the profile, its feedback, its grants and its cached embedding in one transaction and
  checkpoints the file, so the rows leave the write-ahead log too.

DuckDB lets one process write a file at a time. While the API serves, it is the only writer;
the CLI gets a ``UserStoreBusyError`` that says so instead of a lock traceback.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from cryptography.fernet import Fernet

from ranker.feedback import ACTIONS, FeedbackSignals, LikedListing
from ranker.profile import AptitudeProfile, parse_profile
from ranker.users.key import decrypt, load_fernet

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS profiles (id VARCHAR PRIMARY KEY, created_at TIMESTAMP, payload BLOB, "
    "embedding BLOB, embedding_model VARCHAR)",
    "CREATE TABLE IF NOT EXISTS feedback (id VARCHAR PRIMARY KEY, profile_id VARCHAR, created_at TIMESTAMP, "
    "payload BLOB, vector BLOB)",
    # Who may reach a profile through the API: 'org:<organisation>' or 'key:<key id>' of the key that
    # created it; NULL for profiles stored before the API had keys (and by `ippo profiles add`).
    "ALTER TABLE profiles ADD COLUMN IF NOT EXISTS owner VARCHAR",
    # Counselor keys a person let see their profile; a withdrawn grant stays as the record of consent.
    "CREATE TABLE IF NOT EXISTS grants (profile_id VARCHAR, counselor_key_id VARCHAR, granted_by VARCHAR, "
    "granted_at TIMESTAMP, withdrawn_at TIMESTAMP)",
)


class UserStoreBusyError(RuntimeError):
    pass


class ProfileNotFoundError(LookupError):
    pass


class GrantNotFoundError(LookupError):
    pass


@dataclass
class StoredProfile:
    id: str
    created_at: datetime
    profile: AptitudeProfile
    embedding: np.ndarray | None
    embedding_model: str | None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_profile_id() -> str:
    """Random, never derived from the profile's content."""
    return "p_" + secrets.token_urlsafe(12)


class UserStore:
    def __init__(self, path: Path, fernet: Fernet) -> None:
        self.path = path
        self._fernet = fernet
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise UserStoreBusyError(
                    f"the user store {path} is in use by another process (normally the running API, `ippo serve`); "
                    "use the API (POST /v1/profiles, /v1/feedback, DELETE /v1/profiles/{id}) or stop it and retry"
                ) from None
            raise UserStoreBusyError(f"the user store {path} cannot be opened ({type(exc).__name__})") from None
        for statement in _SCHEMA:
            self._con.execute(statement)

    @classmethod
    def open(cls, home: Path, key: str | None = None) -> UserStore:
        """The store under home, encrypted with key (None: the key file under home; see ranker.users.key)."""
        return cls(home / "users.duckdb", load_fernet(home, key))

    def close(self) -> None:
        with self._lock:
            self._con.close()

    def __enter__(self) -> UserStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- encryption helpers -------------------------------------------------------------
    def _seal(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def _open(self, token: bytes | None) -> bytes | None:
        return None if token is None else decrypt(self._fernet, bytes(token))

    def _seal_vector(self, vector: np.ndarray | None) -> bytes | None:
        return None if vector is None else self._seal(np.asarray(vector, dtype=np.float32).tobytes())

    def _open_vector(self, token: bytes | None) -> np.ndarray | None:
        raw = self._open(token)
        return None if raw is None else np.frombuffer(raw, dtype=np.float32).copy()

    # -- profiles -----------------------------------------------------------------------
    def add_profile(
        self, profile: AptitudeProfile, embedding: np.ndarray | None = None, embedding_model: str | None = None,
        owner: str | None = None,
    ) -> str:
        """Store a profile; owner is who may reach it through the API (None: only an admin key)."""
        profile_id = new_profile_id()
        payload = self._seal(profile.model_dump_json().encode())
        with self._lock:
            self._con.execute(
                "INSERT INTO profiles (id, created_at, payload, embedding, embedding_model, owner) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [profile_id, _now(), payload, self._seal_vector(embedding),
                 embedding_model if embedding is not None else None, owner],
            )
        return profile_id

    def get(self, profile_id: str) -> StoredProfile:
        with self._lock:
            found = self._con.execute(
                "SELECT created_at, payload, embedding, embedding_model FROM profiles WHERE id = ?", [profile_id]
            ).fetchall()
        if not found:
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        created_at, payload, embedding, model = found[0]
        raw = self._open(payload)
        assert raw is not None
        profile = parse_profile(json.loads(raw), origin=f"stored profile {profile_id}")
        return StoredProfile(profile_id, created_at, profile, self._open_vector(embedding), model)

    def set_embedding(self, profile_id: str, embedding: np.ndarray, embedding_model: str) -> None:
        with self._lock:
            self._con.execute(
                "UPDATE profiles SET embedding = ?, embedding_model = ? WHERE id = ?",
                [self._seal_vector(embedding), embedding_model, profile_id],
            )

    def list_profiles(self) -> list[dict[str, Any]]:
        """Ids and counts only: listing profiles never decrypts them."""
        with self._lock:
            rows = self._con.execute(
                "SELECT p.id, p.created_at, p.embedding IS NOT NULL, count(f.id), p.owner FROM profiles p "
                "LEFT JOIN feedback f ON f.profile_id = p.id GROUP BY ALL ORDER BY p.created_at, p.id"
            ).fetchall()
        return [{"id": r[0], "created_at": r[1].isoformat(), "embedding_cached": bool(r[2]), "feedback": int(r[3]),
                 "owner": r[4]} for r in rows]

    def exists(self, profile_id: str) -> bool:
        with self._lock:
            return bool(self._con.execute("SELECT count(*) FROM profiles WHERE id = ?", [profile_id]).fetchall()[0][0])

    def export(self, profile_id: str) -> dict[str, Any]:
        """Everything stored about one profile, decrypted (the person's right of access)."""
        stored = self.get(profile_id)
        return {
            "id": stored.id,
            "created_at": stored.created_at.isoformat(),
            "profile": json.loads(stored.profile.model_dump_json()),
            "embedding": {
                "model": stored.embedding_model,
                "dimension": None if stored.embedding is None else len(stored.embedding),
                "vector": None if stored.embedding is None else [round(float(v), 6) for v in stored.embedding],
            },
            "feedback": [
                {k: v for k, v in item.items() if k != "vector"} | {"has_vector": item.get("vector") is not None}
                for item in self._feedback_rows(profile_id)
            ],
            "owner": self.owner_of(profile_id),
            "grants": self.grants(profile_id),
        }

    def delete(self, profile_id: str) -> dict[str, int]:
        """Erase the profile, its feedback and its cached embedding."""
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                feedback = self._con.execute(
                    "DELETE FROM feedback WHERE profile_id = ? RETURNING id", [profile_id]).fetchall()
                self._con.execute("DELETE FROM grants WHERE profile_id = ?", [profile_id])
                profiles = self._con.execute("DELETE FROM profiles WHERE id = ? RETURNING id", [profile_id]).fetchall()
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("CHECKPOINT")
        return {"profiles": len(profiles), "feedback": len(feedback)}

    # -- ownership and counselor grants ---------------------------------------------------
    def owner_of(self, profile_id: str) -> str | None:
        """Who owns the profile ('org:<org>' or 'key:<key id>'; None: stored before API keys)."""
        with self._lock:
            found = self._con.execute("SELECT owner FROM profiles WHERE id = ?", [profile_id]).fetchall()
        if not found:
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        return found[0][0]

    def set_owner(self, profile_id: str, owner: str) -> None:
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        with self._lock:
            self._con.execute("UPDATE profiles SET owner = ? WHERE id = ?", [owner, profile_id])

    def owned_by(self, owner: str) -> list[dict[str, Any]]:
        """Ids and creation times of the profiles an owner holds (nothing decrypted)."""
        with self._lock:
            rows = self._con.execute("SELECT id, created_at FROM profiles WHERE owner = ? ORDER BY created_at, id",
                                     [owner]).fetchall()
        return [{"id": r[0], "created_at": r[1].isoformat()} for r in rows]

    def unowned(self) -> list[dict[str, Any]]:
        """Ids and creation times of the profiles without an owner (stored before API keys)."""
        with self._lock:
            rows = self._con.execute("SELECT id, created_at FROM profiles WHERE owner IS NULL "
                                     "ORDER BY created_at, id").fetchall()
        return [{"id": r[0], "created_at": r[1].isoformat()} for r in rows]

    def add_grant(self, profile_id: str, counselor_key_id: str, granted_by: str) -> dict[str, Any]:
        """Let a counselor key see the profile (given with the person's consent); granting again keeps
        the first grant."""
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                active = self._con.execute(
                    "SELECT count(*) FROM grants WHERE profile_id = ? AND counselor_key_id = ? "
                    "AND withdrawn_at IS NULL", [profile_id, counselor_key_id]).fetchall()[0][0]
                if not active:
                    self._con.execute("INSERT INTO grants VALUES (?, ?, ?, ?, NULL)",
                                      [profile_id, counselor_key_id, granted_by, _now()])
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise
        return next(g for g in self.grants(profile_id)
                    if g["counselor_key_id"] == counselor_key_id and g["withdrawn_at"] is None)

    def withdraw_grant(self, profile_id: str, counselor_key_id: str) -> dict[str, Any]:
        """Withdraw a counselor's access; the grant stays, marked withdrawn, as the record of consent."""
        with self._lock:
            withdrawn = self._con.execute(
                "UPDATE grants SET withdrawn_at = ? WHERE profile_id = ? AND counselor_key_id = ? "
                "AND withdrawn_at IS NULL RETURNING granted_at, withdrawn_at",
                [_now(), profile_id, counselor_key_id]).fetchall()
        if not withdrawn:
            raise GrantNotFoundError(f"profile {profile_id} has no active grant for key {counselor_key_id}")
        return next(g for g in reversed(self.grants(profile_id)) if g["counselor_key_id"] == counselor_key_id)

    def grants(self, profile_id: str) -> list[dict[str, Any]]:
        """Every grant of the profile, withdrawn ones included, oldest first."""
        with self._lock:
            rows = self._con.execute(
                "SELECT counselor_key_id, granted_by, granted_at, withdrawn_at FROM grants WHERE profile_id = ? "
                "ORDER BY granted_at, counselor_key_id", [profile_id]).fetchall()
        return [{"counselor_key_id": r[0], "granted_by": r[1], "granted_at": r[2].isoformat(),
                 "withdrawn_at": None if r[3] is None else r[3].isoformat()} for r in rows]

    def has_grant(self, profile_id: str, counselor_key_id: str) -> bool:
        with self._lock:
            return bool(self._con.execute(
                "SELECT count(*) FROM grants WHERE profile_id = ? AND counselor_key_id = ? AND withdrawn_at IS NULL",
                [profile_id, counselor_key_id]).fetchall()[0][0])

    def granted_to(self, counselor_key_id: str) -> list[dict[str, Any]]:
        """Ids and creation times of the profiles with an active grant for a counselor key."""
        with self._lock:
            rows = self._con.execute(
                "SELECT p.id, p.created_at FROM profiles p JOIN grants g ON g.profile_id = p.id "
                "WHERE g.counselor_key_id = ? AND g.withdrawn_at IS NULL ORDER BY p.created_at, p.id",
                [counselor_key_id]).fetchall()
        return [{"id": r[0], "created_at": r[1].isoformat()} for r in rows]

    # -- feedback -----------------------------------------------------------------------
    def add_feedback(
        self, profile_id: str, listing_id: str, action: str, title: str = "", vector: np.ndarray | None = None
    ) -> dict[str, Any]:
        if action not in ACTIONS:
            raise ValueError(f"unknown feedback action; use one of: {', '.join(ACTIONS)}")
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        record = {"listing_id": listing_id, "action": action, "title": title,
                  "created_at": datetime.now(UTC).replace(tzinfo=None).isoformat()}
        feedback_id = "f_" + secrets.token_urlsafe(9)
        with self._lock:
            self._con.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?)",
                [feedback_id, profile_id, _now(),
                 self._seal(json.dumps(record, ensure_ascii=False).encode()), self._seal_vector(vector)],
            )
        return {"id": feedback_id, **record}

    def _feedback_rows(self, profile_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._con.execute(
                "SELECT id, payload, vector FROM feedback WHERE profile_id = ? ORDER BY created_at, id", [profile_id]
            ).fetchall()
        out = []
        for feedback_id, payload, vector in rows:
            raw = self._open(payload)
            assert raw is not None
            out.append({"id": feedback_id, **json.loads(raw), "vector": self._open_vector(vector)})
        return out

    def feedback_signals(self, profile_id: str) -> FeedbackSignals:
        """The latest action per listing decides: saving a listing after dismissing it brings it back."""
        latest: dict[str, dict[str, Any]] = {}
        for item in self._feedback_rows(profile_id):
            latest[item["listing_id"]] = item
        dismissed = frozenset(lid for lid, item in latest.items() if item["action"] == "dismissed")
        liked = [LikedListing(lid, item.get("title") or lid, item["action"], item.get("vector"))
                 for lid, item in latest.items() if item["action"] in ("saved", "applied")]
        return FeedbackSignals(dismissed=dismissed, liked=liked)

"""Stored profiles and feedback: $IPPO_HOME/users.duckdb, separate from the warehouse.

Profiles are special-care personal data (APPI 要配慮個人情報, GDPR Art. 9), so:
- every profile, its query embedding and every feedback record are encrypted with the user
  key (ranker.users.key) before they reach the file; only random ids, timestamps and the
  embedding model's name are stored in the clear;
- nothing here logs a profile or puts one in an exception message;
- ``delete`` erases the profile, its feedback and its cached embedding in one transaction and
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
)


class UserStoreBusyError(RuntimeError):
    pass


class ProfileNotFoundError(LookupError):
    pass


@dataclass
class StoredProfile:
    id: str
    created_at: datetime
    profile: AptitudeProfile
    embedding: np.ndarray | None
    embedding_model: str | None


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
        self, profile: AptitudeProfile, embedding: np.ndarray | None = None, embedding_model: str | None = None
    ) -> str:
        profile_id = new_profile_id()
        payload = self._seal(profile.model_dump_json().encode())
        with self._lock:
            self._con.execute(
                "INSERT INTO profiles VALUES (?, ?, ?, ?, ?)",
                [profile_id, datetime.now(UTC).replace(tzinfo=None), payload, self._seal_vector(embedding),
                 embedding_model if embedding is not None else None],
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
                "SELECT p.id, p.created_at, p.embedding IS NOT NULL, count(f.id) FROM profiles p "
                "LEFT JOIN feedback f ON f.profile_id = p.id GROUP BY ALL ORDER BY p.created_at, p.id"
            ).fetchall()
        return [{"id": r[0], "created_at": r[1].isoformat(), "embedding_cached": bool(r[2]), "feedback": int(r[3])}
                for r in rows]

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
                profiles = self._con.execute("DELETE FROM profiles WHERE id = ? RETURNING id", [profile_id]).fetchall()
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("CHECKPOINT")
        return {"profiles": len(profiles), "feedback": len(feedback)}

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
                [feedback_id, profile_id, datetime.now(UTC).replace(tzinfo=None),
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

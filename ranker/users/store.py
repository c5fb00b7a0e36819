"""Stored profiles and feedback: $IPPO_HOME/users.duckdb, separate from the warehouse.

Profiles are special-care personal data (APPI 要配慮個人情報, GDPR Art. 9), so:
- each profile, its query embedding and its feedback records are encrypted with the profile's own
  random data key before they reach the file; the data key is kept wrapped by the master key in
  the data-key file (ranker.users.data_keys), with the id of that master key. Only random ids,
  timestamps, the embedding model's name, the profile's owner (an organisation name or an API
  key id) and the counselor grants (API key ids and times) are stored in the clear;
- the master key lives outside $IPPO_HOME (ranker.users.key); a store whose data keys were
  wrapped by a key that is not loaded is refused, with both key ids named;
- ``delete`` erases the profile's rows and destroys its data key, then checkpoints the file:
  what DuckDB keeps of the rows in free blocks can no longer be decrypted (crypto-shredding);
- nothing here logs a profile or puts one in an exception message: errors name the profile id
  and the problem only.

A store written before data keys (values encrypted with the master key directly) is converted
when opened: each profile gets a data key and its values are re-encrypted, then the file is
rewritten so that the old values do not linger in its free blocks.

DuckDB lets one process write a file at a time. While the API serves, it is the only writer;
the CLI gets a ``UserStoreBusyError`` that says so instead of a lock traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from ranker.feedback import ACTIONS, FeedbackSignals, LikedListing
from ranker.profile import AptitudeProfile, parse_profile
from ranker.users.data_keys import DataKeyRing, data_keys_path
from ranker.users.key import MasterKey, MasterKeys, UserKeyError, load_master_keys, split_keys

if TYPE_CHECKING:
    from ippo.config import Settings

log = logging.getLogger("ippo.users")

# How a profile's values are sealed: NULL for stores written before data keys (the master key
# itself), DATA_KEY for the profile's own data key.
DATA_KEY = "data_key"

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
    "ALTER TABLE profiles ADD COLUMN IF NOT EXISTS sealed_with VARCHAR",
    # A counselor's notes on a profile granted to them, sealed with the profile's data key; only that
    # counselor key reads them (the web page's counselor view), and erasure removes them.
    "CREATE TABLE IF NOT EXISTS counselor_notes (id VARCHAR PRIMARY KEY, profile_id VARCHAR, "
    "counselor_key_id VARCHAR, created_at TIMESTAMP, payload BLOB)",
)

KeyLoader = Callable[[bool], MasterKeys]


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


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise UserStoreBusyError(
                f"the user store {path} is in use by another process (normally the running API, `ippo serve`); "
                "use the API (POST /v1/profiles, /v1/feedback, DELETE /v1/profiles/{id}) or stop it and retry"
            ) from None
        raise UserStoreBusyError(f"the user store {path} cannot be opened ({type(exc).__name__})") from None


class UserStore:
    def __init__(self, path: Path, keys: KeyLoader, data_keys: Path | None = None) -> None:
        """The store in path; keys(create) gives the master keys (create: the store is empty, so a
        new key may be made); data_keys: the data-key file (default: keys/ beside path)."""
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._con = _connect(path)
        self._ring: DataKeyRing | None = None
        try:
            for statement in _SCHEMA:
                self._con.execute(statement)
            self._ring = DataKeyRing(data_keys or data_keys_path(path.parent))
            self._master = keys(self._is_empty())
            self._check_master_key_ids()
            self._drop_orphan_data_keys()
            self._convert_legacy_profiles()
        except BaseException:
            self.close()
            raise

    @classmethod
    def open(cls, home: Path, key: str | None = None, key_file: Path | None = None,
             previous_keys: Iterable[str] = ()) -> UserStore:
        """The store under home. key: the master key itself (IPPO_MASTER_KEY); key_file: where it is
        kept (None: the default place outside home); previous_keys: older keys accepted for reading
        during a rotation. See ranker.users.key."""
        loader = functools.partial(load_master_keys, home, key, key_file, tuple(previous_keys))
        return cls(home / "users.duckdb", lambda create: loader(create=create))

    @classmethod
    def from_settings(cls, settings: Settings) -> UserStore:
        """The store as the settings configure it (home, master key, key file, previous keys)."""
        return cls.open(settings.home, settings.master_key_value(), settings.master_key_file,
                        split_keys(settings.master_key_previous_value()))

    @property
    def master_keys(self) -> MasterKeys:
        return self._master

    def close(self) -> None:
        with self._lock:
            self._con.close()
            if self._ring is not None:
                self._ring.close()

    def __enter__(self) -> UserStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening: key checks and conversion of older stores ------------------------------
    def _is_empty(self) -> bool:
        assert self._ring is not None
        rows = self._con.execute("SELECT count(*) FROM profiles").fetchall()[0][0]
        return rows == 0 and not self._ring.profile_ids()

    def _check_master_key_ids(self) -> None:
        """Refuse a store whose data keys were wrapped by a key that is not loaded."""
        assert self._ring is not None
        for key_id, count in self._ring.count_by_master_key().items():
            if key_id not in self._master.accepted_ids:
                raise self._master.mismatch(key_id, f"the user store {self.path}: {count} profile data key(s)")

    def _drop_orphan_data_keys(self) -> None:
        """Data keys without a profile are left by an erasure that stopped halfway: destroy them."""
        assert self._ring is not None
        stored = {row[0] for row in self._con.execute("SELECT id FROM profiles").fetchall()}
        for profile_id in self._ring.profile_ids() - stored:
            self._ring.delete(profile_id)

    def _convert_legacy_profiles(self) -> None:
        legacy = [row[0] for row in self._con.execute(
            "SELECT id FROM profiles WHERE sealed_with IS NULL ORDER BY created_at, id").fetchall()]
        if not legacy:
            return
        old = self._master.legacy_fernet()
        for profile_id in legacy:
            self._convert_one(profile_id, old)
        self._rewrite_file()
        log.info("gave %d stored profile(s) their own data keys and rewrote %s", len(legacy), self.path)

    def _convert_one(self, profile_id: str, old: MultiFernet) -> None:
        """Re-encrypt one profile of an older store under a new data key (key first, so a stop
        halfway leaves the profile readable with the master key, to be converted next time)."""
        assert self._ring is not None
        payload, embedding = self._con.execute(
            "SELECT payload, embedding FROM profiles WHERE id = ?", [profile_id]).fetchall()[0]
        feedback = self._con.execute(
            "SELECT id, payload, vector FROM feedback WHERE profile_id = ?", [profile_id]).fetchall()

        def reseal(token: bytes | None) -> bytes | None:
            if token is None:
                return None
            try:
                return cipher.encrypt(old.decrypt(bytes(token)))
            except InvalidToken:
                raise UserKeyError(
                    f"profile {profile_id} (stored before data keys) cannot be decrypted with the master key "
                    f"from {self._master.origin} ({self._master.current.id}); load the key it was written with"
                ) from None

        data_key = Fernet.generate_key()
        cipher = Fernet(data_key)
        sealed = (reseal(payload), reseal(embedding), [(fid, reseal(p), reseal(v)) for fid, p, v in feedback])
        self._ring.put(profile_id, *self._master.wrap(data_key))
        self._con.execute("BEGIN TRANSACTION")
        try:
            self._con.execute("UPDATE profiles SET payload = ?, embedding = ?, sealed_with = ? WHERE id = ?",
                              [sealed[0], sealed[1], DATA_KEY, profile_id])
            for feedback_id, item_payload, vector in sealed[2]:
                self._con.execute("UPDATE feedback SET payload = ?, vector = ? WHERE id = ?",
                                  [item_payload, vector, feedback_id])
            self._con.execute("COMMIT")
        except BaseException:
            self._con.execute("ROLLBACK")
            raise

    def _rewrite_file(self) -> None:
        """Copy the database into a new file and put it in place of the old one, whose free blocks
        may still hold values encrypted with the master key itself."""
        fresh = self.path.with_name(self.path.name + ".rewrite")
        fresh.unlink(missing_ok=True)
        name = self._con.execute("SELECT current_database()").fetchall()[0][0]
        self._con.execute("CHECKPOINT")
        self._con.execute(f"ATTACH '{fresh}' AS rewrite")
        self._con.execute(f'COPY FROM DATABASE "{name}" TO rewrite')
        self._con.execute("DETACH rewrite")
        self._con.close()
        os.chmod(fresh, 0o600)
        os.replace(fresh, self.path)
        self._con = _connect(self.path)

    # -- encryption helpers -------------------------------------------------------------
    def _cipher(self, profile_id: str) -> Fernet:
        """The profile's data key (callers hold the lock)."""
        assert self._ring is not None
        found = self._ring.get(profile_id)
        if found is None:
            raise UserKeyError(f"profile {profile_id} has no data key in {self._ring.path}, so it cannot be "
                               "decrypted; restore that file from the backup made with users.duckdb")
        return Fernet(self._master.unwrap(found[1], found[0], profile_id))

    @staticmethod
    def _open(cipher: Fernet, token: bytes | None, profile_id: str) -> bytes | None:
        if token is None:
            return None
        try:
            return cipher.decrypt(bytes(token))
        except InvalidToken:
            raise UserKeyError(f"a value of profile {profile_id} does not open with its data key; "
                               "the user store may be damaged") from None

    @staticmethod
    def _seal_vector(cipher: Fernet, vector: np.ndarray | None) -> bytes | None:
        return None if vector is None else cipher.encrypt(np.asarray(vector, dtype=np.float32).tobytes())

    def _open_vector(self, cipher: Fernet, token: bytes | None, profile_id: str) -> np.ndarray | None:
        raw = self._open(cipher, token, profile_id)
        return None if raw is None else np.frombuffer(raw, dtype=np.float32).copy()

    # -- master key rotation ------------------------------------------------------------
    def rotate_master_key(self, new: MasterKey) -> dict[str, Any]:
        """Re-wrap every data key under `new` (all or none), reading with the keys loaded now;
        `new` then wraps new data keys and the old keys stay accepted while this store is open."""
        assert self._ring is not None
        ring = self._ring
        with self._lock:
            before = ring.count_by_master_key()

            def rewrap(profile_id: str, key_id: str, wrapped: bytes) -> tuple[str, bytes] | None:
                if key_id == new.id:
                    return None
                return new.id, new.fernet.encrypt(self._master.unwrap(wrapped, key_id, profile_id))

            changed = ring.rewrap(rewrap)
            old = [key for key in (self._master.current, *self._master.previous) if key.id != new.id]
            self._master = MasterKeys(new, self._master.origin, tuple(old), self._master.file)
        return {"rewrapped": changed, "master_key_id": new.id,
                "previous_master_key_ids": sorted(k for k in before if k != new.id)}

    # -- profiles -----------------------------------------------------------------------
    def add_profile(
        self, profile: AptitudeProfile, embedding: np.ndarray | None = None, embedding_model: str | None = None,
        owner: str | None = None,
    ) -> str:
        """Store a profile; owner is who may reach it through the API (None: only an admin key)."""
        assert self._ring is not None
        profile_id = new_profile_id()
        data_key = Fernet.generate_key()
        cipher = Fernet(data_key)
        payload = cipher.encrypt(profile.model_dump_json().encode())
        with self._lock:
            self._ring.put(profile_id, *self._master.wrap(data_key))
            try:
                self._con.execute(
                    "INSERT INTO profiles (id, created_at, payload, embedding, embedding_model, owner, sealed_with) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [profile_id, _now(), payload, self._seal_vector(cipher, embedding),
                     embedding_model if embedding is not None else None, owner, DATA_KEY],
                )
            except BaseException:
                self._ring.delete(profile_id)
                raise
        return profile_id

    def get(self, profile_id: str) -> StoredProfile:
        with self._lock:
            found = self._con.execute(
                "SELECT created_at, payload, embedding, embedding_model FROM profiles WHERE id = ?", [profile_id]
            ).fetchall()
            if not found:
                raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
            cipher = self._cipher(profile_id)
        created_at, payload, embedding, model = found[0]
        raw = self._open(cipher, payload, profile_id)
        assert raw is not None
        profile = parse_profile(json.loads(raw), origin=f"stored profile {profile_id}")
        return StoredProfile(profile_id, created_at, profile, self._open_vector(cipher, embedding, profile_id), model)

    def set_embedding(self, profile_id: str, embedding: np.ndarray, embedding_model: str) -> None:
        with self._lock:
            if not self._con.execute("SELECT count(*) FROM profiles WHERE id = ?", [profile_id]).fetchall()[0][0]:
                return  # erased meanwhile
            self._con.execute(
                "UPDATE profiles SET embedding = ?, embedding_model = ? WHERE id = ?",
                [self._seal_vector(self._cipher(profile_id), embedding), embedding_model, profile_id],
            )

    def replace_profile(self, profile_id: str, profile: AptitudeProfile, embedding: np.ndarray | None,
                        embedding_model: str | None) -> None:
        """Replace a profile's content and cached embedding, sealed with its own data key."""
        with self._lock:
            if not self._con.execute("SELECT count(*) FROM profiles WHERE id = ?", [profile_id]).fetchall()[0][0]:
                raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
            cipher = self._cipher(profile_id)
            self._con.execute(
                "UPDATE profiles SET payload = ?, embedding = ?, embedding_model = ? WHERE id = ?",
                [cipher.encrypt(profile.model_dump_json().encode()), self._seal_vector(cipher, embedding),
                 embedding_model if embedding is not None else None, profile_id],
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
        """Erase the profile, its feedback, its grants and its cached embedding, and destroy its
        data key, so that no copy of its rows left in the file can be decrypted."""
        assert self._ring is not None
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        with self._lock:
            self._con.execute("BEGIN TRANSACTION")
            try:
                feedback = self._con.execute(
                    "DELETE FROM feedback WHERE profile_id = ? RETURNING id", [profile_id]).fetchall()
                self._con.execute("DELETE FROM grants WHERE profile_id = ?", [profile_id])
                self._con.execute("DELETE FROM counselor_notes WHERE profile_id = ?", [profile_id])
                profiles = self._con.execute("DELETE FROM profiles WHERE id = ? RETURNING id", [profile_id]).fetchall()
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise
            # The rows are gone: now the key (a stop in between leaves a key without a profile,
            # destroyed at the next open). Then rewrite the file's blocks and drop its WAL.
            self._ring.delete(profile_id)
            self._con.execute("CHECKPOINT")
            self._con.execute("VACUUM")
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

    # -- counselor notes ----------------------------------------------------------------
    def add_note(self, profile_id: str, counselor_key_id: str, text: str) -> str:
        """Keep a counselor's note on a profile, encrypted with the profile's data key."""
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        note_id = "n_" + secrets.token_urlsafe(9)
        with self._lock:
            cipher = self._cipher(profile_id)
            self._con.execute("INSERT INTO counselor_notes VALUES (?, ?, ?, ?, ?)",
                              [note_id, profile_id, counselor_key_id, _now(), cipher.encrypt(text.encode())])
        return note_id

    def notes(self, profile_id: str, counselor_key_id: str) -> list[dict[str, Any]]:
        """One counselor's notes on a profile, oldest first, decrypted."""
        with self._lock:
            rows = self._con.execute(
                "SELECT id, created_at, payload FROM counselor_notes WHERE profile_id = ? AND counselor_key_id = ? "
                "ORDER BY created_at, id", [profile_id, counselor_key_id]).fetchall()
            cipher = self._cipher(profile_id) if rows else None
        out = []
        for note_id, created_at, payload in rows:
            assert cipher is not None
            raw = self._open(cipher, payload, profile_id)
            out.append({"id": note_id, "created_at": created_at.isoformat(), "text": (raw or b"").decode()})
        return out

    # -- feedback -----------------------------------------------------------------------
    def add_feedback(
        self, profile_id: str, listing_id: str, action: str, title: str = "", vector: np.ndarray | None = None,
        reason: str | None = None,
    ) -> dict[str, Any]:
        """Record an action on a listing; ``reason``: why the person dismissed it, when they said
        (kept encrypted in the record like the rest)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown feedback action; use one of: {', '.join(ACTIONS)}")
        if not self.exists(profile_id):
            raise ProfileNotFoundError(f"no stored profile with id {profile_id}")
        record = {"listing_id": listing_id, "action": action, "title": title,
                  "created_at": datetime.now(UTC).replace(tzinfo=None).isoformat()}
        if reason:
            record["reason"] = reason
        feedback_id = "f_" + secrets.token_urlsafe(9)
        with self._lock:
            cipher = self._cipher(profile_id)
            self._con.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?)",
                [feedback_id, profile_id, _now(),
                 cipher.encrypt(json.dumps(record, ensure_ascii=False).encode()), self._seal_vector(cipher, vector)],
            )
        return {"id": feedback_id, **record}

    def _feedback_rows(self, profile_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._con.execute(
                "SELECT id, payload, vector FROM feedback WHERE profile_id = ? ORDER BY created_at, id", [profile_id]
            ).fetchall()
            cipher = self._cipher(profile_id) if rows else None
        out = []
        for feedback_id, payload, vector in rows:
            assert cipher is not None
            raw = self._open(cipher, payload, profile_id)
            assert raw is not None
            out.append({"id": feedback_id, **json.loads(raw), "vector": self._open_vector(cipher, vector, profile_id)})
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

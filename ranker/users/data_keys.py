"""Per-profile data keys, wrapped by the master key: $IPPO_HOME/keys/user_data_keys.sqlite3.

Each stored profile (with its feedback and cached embedding) is encrypted with its own random
Fernet key. That key is kept here, encrypted ("wrapped") by the master key, beside the id of the
master key that wrapped it. Erasing a profile deletes its row, and with it the only copy of the
key: whatever DuckDB leaves of the profile in free blocks of users.duckdb can no longer be
decrypted, by anyone, with any key (crypto-shredding).

That only holds if the deleted row itself leaves no trace, which is why the keys are not in the
DuckDB file: SQLite with ``secure_delete`` overwrites deleted and updated rows with zeros, and its
rollback journal (``journal_mode=DELETE``) is removed at each commit. The file is mode 0600.

Only the process holding users.duckdb (one writer at a time) opens this file, so one connection,
guarded by the store's lock, is enough.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ranker.users.private_files import make_private_file

_SCHEMA = ("CREATE TABLE IF NOT EXISTS data_keys (profile_id TEXT PRIMARY KEY, master_key_id TEXT NOT NULL, "
           "wrapped BLOB NOT NULL, created_at TEXT NOT NULL)")


class DataKeyRingError(RuntimeError):
    """The data-key file cannot be used; the message names the file and what to do."""


def data_keys_path(home: Path) -> Path:
    return home / "keys" / "user_data_keys.sqlite3"


def _prepare_file(path: Path) -> None:
    """A private folder and a 0600 file, made once."""
    make_private_file(path, "the data-key file", DataKeyRingError)


class DataKeyRing:
    """Wrapped data keys by profile id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _prepare_file(path)
        try:
            # mode=rw: never create the file here (it is made private once, above).
            self._con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, isolation_level=None,
                                        check_same_thread=False)
            self._con.execute("PRAGMA secure_delete = ON")
            self._con.execute("PRAGMA journal_mode = DELETE")
            self._con.execute(_SCHEMA)
        except sqlite3.Error as exc:
            raise DataKeyRingError(f"the data-key file {path} cannot be opened ({exc}); restore it from the "
                                   "backup made with users.duckdb") from None

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def put(self, profile_id: str, master_key_id: str, wrapped: bytes) -> None:
        self._con.execute("INSERT OR REPLACE INTO data_keys VALUES (?, ?, ?, ?)",
                          [profile_id, master_key_id, wrapped, datetime.now(UTC).isoformat()])

    def get(self, profile_id: str) -> tuple[str, bytes] | None:
        """The master key id and the wrapped data key of a profile, or None."""
        row = self._con.execute("SELECT master_key_id, wrapped FROM data_keys WHERE profile_id = ?",
                                [profile_id]).fetchone()
        return None if row is None else (row[0], bytes(row[1]))

    def delete(self, profile_id: str) -> bool:
        return self._con.execute("DELETE FROM data_keys WHERE profile_id = ?", [profile_id]).rowcount > 0

    def profile_ids(self) -> set[str]:
        return {row[0] for row in self._con.execute("SELECT profile_id FROM data_keys")}

    def count_by_master_key(self) -> dict[str, int]:
        return dict(self._con.execute("SELECT master_key_id, count(*) FROM data_keys GROUP BY 1 ORDER BY 1"))

    def rewrap(self, rewrap_one: Callable[[str, str, bytes], tuple[str, bytes] | None]) -> int:
        """Replace each wrapped key by rewrap_one(profile id, master key id, wrapped) unless it
        returns None; all rows or none (one transaction). Returns how many changed."""
        rows = self._con.execute("SELECT profile_id, master_key_id, wrapped FROM data_keys").fetchall()
        changed = 0
        with self.transaction():
            for profile_id, key_id, wrapped in rows:
                new = rewrap_one(profile_id, key_id, bytes(wrapped))
                if new is not None:
                    self._con.execute("UPDATE data_keys SET master_key_id = ?, wrapped = ? WHERE profile_id = ?",
                                      [new[0], new[1], profile_id])
                    changed += 1
        return changed

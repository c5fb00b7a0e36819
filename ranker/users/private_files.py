"""Files only their owner may read: the master key, the wrapped data keys, the API key database
and the page identity file. Each is created 0600 (its folder 0700) and refused once group or
others can read or write it, with the chmod to run."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def refuse_shared(path: Path, what: str, error: type[Exception]) -> None:
    """Raise ``error`` naming ``what`` when group or others may read or write ``path``."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise error(f"{what} {path} is open to other users (mode {mode:o}); run: chmod 600 {path}")


def private_folder(path: Path) -> None:
    """The folder of a private file, made 0700."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def make_private_file(path: Path, what: str, error: type[Exception]) -> None:
    """An empty 0600 file in a 0700 folder, made once; an existing one must still be private."""
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        refuse_shared(path, what, error)


@contextmanager
def private_sqlite(path: Path, what: str, error: type[Exception], timeout: float = 5.0,
                   keep_locked: bool = False) -> Iterator[sqlite3.Connection]:
    """A short autocommit connection to the private SQLite file ``path`` (made by make_private_file;
    mode=rw never creates it). SQLite errors become ``error`` naming ``what``; with ``keep_locked``
    a 'database is locked' error is raised as is, for a caller that retries."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise error(f"{what} {path} cannot be opened ({exc})") from None
    try:
        yield con
    except sqlite3.DatabaseError as exc:
        if keep_locked and isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        raise error(f"{what} {path} cannot be used ({exc})") from None
    finally:
        con.close()

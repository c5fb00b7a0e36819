"""Files only their owner may read: the master key, the wrapped data keys and the API key
database. Each is created 0600 (its folder 0700) and refused once group or others can read or
write it, with the chmod to run."""

from __future__ import annotations

import os
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

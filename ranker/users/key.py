"""The key that encrypts stored profiles and feedback at rest (Fernet: AES-128-CBC + HMAC-SHA256).

Where the key comes from, in order:
1. the key given by the caller: the setting user_key (IPPO_USER_KEY), a Fernet key (32
   url-safe base64 bytes, e.g. from a secrets manager);
2. $IPPO_HOME/keys/users.key, created on first use with mode 0600 in a 0700 folder.

The key never leaves this module in a message or a log line. Losing it makes the stored
profiles unreadable (by design, nothing else can read them either).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

# The environment variable of the setting user_key, for messages.
ENV_KEY = "IPPO_USER_KEY"


class UserKeyError(RuntimeError):
    """The key is missing, malformed or does not open the stored data (message safe to show)."""


def key_path(home: Path) -> Path:
    return home / "keys" / "users.key"


def _create_key_file(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = Fernet.generate_key()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    return key


def load_fernet(home: Path, key: str | None = None) -> Fernet:
    """The Fernet of the given key, else of the key file under home (created on first use)."""
    raw = key
    origin = f"{ENV_KEY} (the setting user_key)"
    if not raw:
        path = key_path(home)
        origin = f"the key file {path}"
        if path.exists():
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                raise UserKeyError(f"{origin} is readable by other users (mode {mode:o}); run chmod 600 on it")
            raw_bytes = path.read_bytes().strip()
        else:
            raw_bytes = _create_key_file(path)
    else:
        raw_bytes = raw.strip().encode()
    try:
        return Fernet(raw_bytes)
    except (ValueError, TypeError):
        raise UserKeyError(
            f"{origin} does not hold a valid key (32 url-safe base64-encoded bytes; "
            "make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        ) from None


def decrypt(fernet: Fernet, token: bytes) -> bytes:
    try:
        return fernet.decrypt(token)
    except InvalidToken:
        raise UserKeyError(
            "the stored user data cannot be decrypted with the current key; set IPPO_USER_KEY (or restore "
            "$IPPO_HOME/keys/users.key) to the key it was written with"
        ) from None

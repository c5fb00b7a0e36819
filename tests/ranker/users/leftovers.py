"""Looking for what a store leaves on disk: every file under a folder, every Fernet token in them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_TOKEN_START = re.compile(rb"gAAAAA")  # version byte 0x80 and the first timestamp bytes, base64
_BASE64 = re.compile(rb"[A-Za-z0-9_=-]+")
_LONGEST = 16_384  # characters: more than any value the tests store


def every_file(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def all_bytes(folder: Path) -> bytes:
    return b"\0".join(path.read_bytes() for path in every_file(folder))


def _token_lengths(limit: int) -> Iterator[int]:
    """Lengths of base64 Fernet tokens: 57 bytes of framing plus whole 16-byte blocks."""
    blocks = 1
    while (length := 4 * -(-(57 + 16 * blocks) // 3)) <= limit:
        yield length
        blocks += 1


def candidate_tokens(raw: bytes) -> Iterator[bytes]:
    """Every prefix of every base64 run starting like a Fernet token that has a token's length
    (stored tokens may sit back to back with no separator)."""
    for start in _TOKEN_START.finditer(raw):
        run = _BASE64.match(raw, start.start(), start.start() + _LONGEST)
        assert run is not None
        text = run.group()
        for length in _token_lengths(len(text)):
            yield text[:length]


def decryptable(raw: bytes, keys: Iterable[Fernet | MultiFernet]) -> list[bytes]:
    """The plaintext of every token in raw that one of the keys opens."""
    keys = list(keys)
    found = []
    for token in candidate_tokens(raw):
        for key in keys:
            try:
                found.append(key.decrypt(token))
            except InvalidToken:
                continue
    return found

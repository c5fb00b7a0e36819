"""The master key of the user store, kept outside $IPPO_HOME.

Each stored profile is encrypted with its own random data key (see ranker.users.data_keys);
the master key only wraps (encrypts) those data keys. Where the master key comes from, in order:

1. a key given by the caller: the setting master_key (IPPO_MASTER_KEY, or its older name
   IPPO_USER_KEY), a Fernet key (32 url-safe base64 bytes, e.g. from a secrets manager);
2. the key file set by the operator: the setting master_key_file (IPPO_MASTER_KEY_FILE);
3. a key file left inside the home by an older version (``$IPPO_HOME/keys/users.key``): still
   used, so that no stored profile is lost, with a warning saying how to move it out;
4. the default key file ``$XDG_CONFIG_HOME/ippo/master.key`` (``~/.config/ippo/master.key``),
   outside $IPPO_HOME.

A new key file (mode 0600, ``O_CREAT | O_EXCL``) is made only for a store that holds nothing yet:
a missing key is never replaced by a new one under existing data. A key file that group or others
can read is refused. Keys accepted for reading only (the setting master_key_previous) let a store
be read while ``ippo profiles rotate-key`` re-wraps its data keys under the new key.

Every key has an id, a short fingerprint of it (``mk-`` + 12 hex digits of a SHA-256), recorded
with each wrapped data key: a store written under another key is refused with both ids named.
Neither a key nor anything it protects ever appears in a message or a log line.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from ippo.config import default_master_key_file
from ranker.users.private_files import refuse_shared

log = logging.getLogger("ippo.users")

# The environment variables of the key settings, for messages.
ENV_KEY = "IPPO_MASTER_KEY"
ENV_KEY_FILE = "IPPO_MASTER_KEY_FILE"
ENV_PREVIOUS = "IPPO_MASTER_KEY_PREVIOUS"
_MAKE_KEY = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


class UserKeyError(RuntimeError):
    """The key is missing, malformed or does not open the stored data (message safe to show)."""


class MasterKeyMismatchError(UserKeyError):
    """Stored data keys were wrapped by a master key that is not loaded."""


def legacy_key_path(home: Path) -> Path:
    """Where versions before the key moved out of $IPPO_HOME kept it."""
    return home / "keys" / "users.key"


def master_key_id(raw_key: bytes) -> str:
    """A short fingerprint naming a key in rows and messages; the key cannot be derived from it."""
    return "mk-" + hashlib.sha256(b"ippo master key id\0" + raw_key.strip()).hexdigest()[:12]


@dataclass(frozen=True)
class MasterKey:
    id: str
    fernet: Fernet


@dataclass
class MasterKeys:
    """The key that wraps new data keys, the older keys still accepted for unwrapping, and
    where the current key came from (for messages: a variable or a path, never the key)."""

    current: MasterKey
    origin: str
    previous: tuple[MasterKey, ...] = ()
    file: Path | None = None
    warning: str | None = field(default=None)

    @property
    def accepted_ids(self) -> tuple[str, ...]:
        return (self.current.id, *(key.id for key in self.previous))

    def wrap(self, data_key: bytes) -> tuple[str, bytes]:
        """The current key's id and the data key encrypted with it."""
        return self.current.id, self.current.fernet.encrypt(data_key)

    def unwrap(self, wrapped: bytes, key_id: str, profile_id: str) -> bytes:
        """The data key of a profile; refused when its key id is not one of the loaded keys."""
        key = next((k for k in (self.current, *self.previous) if k.id == key_id), None)
        if key is None:
            raise self.mismatch(key_id, f"the data key of profile {profile_id}")
        try:
            return key.fernet.decrypt(wrapped)
        except InvalidToken:
            raise UserKeyError(f"the data key of profile {profile_id} does not open with master key {key_id} "
                               f"although the ids match; the user store may be damaged") from None

    def mismatch(self, found_id: str, what: str) -> MasterKeyMismatchError:
        accepted = ", ".join(self.accepted_ids)
        staged = self.file.with_name(self.file.name + ".new") if self.file is not None else None
        hint = (f"; a rotation that stopped halfway left the new key in {staged}: move it to {self.file}"
                if staged is not None and staged.exists() else "")
        return MasterKeyMismatchError(
            f"{what} was wrapped by master key {found_id}, but the key loaded from {self.origin} is "
            f"{self.current.id} (accepted: {accepted}); set {ENV_KEY} or {ENV_KEY_FILE} to the key with id "
            f"{found_id}, or put it in {ENV_PREVIOUS} and run `ippo profiles rotate-key`{hint}")

    def legacy_fernet(self) -> MultiFernet:
        """All loaded keys, for values that older versions encrypted with the master key directly."""
        return MultiFernet([self.current.fernet, *(k.fernet for k in self.previous)])


def parse_key(raw: bytes, origin: str) -> MasterKey:
    try:
        fernet = Fernet(raw.strip())
    except (ValueError, TypeError):
        raise UserKeyError(f"{origin} does not hold a valid key (32 url-safe base64-encoded bytes; "
                           f"make one with: {_MAKE_KEY})") from None
    return MasterKey(master_key_id(raw), fernet)


def check_private(path: Path) -> None:
    """Refuse a key file that group or others may read or write."""
    refuse_shared(path, "the master key file", UserKeyError)


def read_key_file(path: Path) -> MasterKey:
    check_private(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserKeyError(f"the master key file {path} cannot be read ({exc.strerror})") from None
    return parse_key(raw, f"the master key file {path}")


def write_key_file(path: Path, raw_key: bytes) -> None:
    """Write a key to a new file, mode 0600 from the start; an existing file is never overwritten."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw_key.strip() + b"\n")
        handle.flush()
        os.fsync(handle.fileno())


def _create_key_file(path: Path) -> MasterKey:
    with contextlib.suppress(FileExistsError):  # another process created it first
        write_key_file(path, Fernet.generate_key())
    log.info("made a new master key file %s", path)
    return read_key_file(path)


def _inside(path: Path, home: Path) -> bool:
    return path.resolve().is_relative_to(home.resolve())


def _home_warning(path: Path, home: Path, target: Path) -> str:
    return (f"the master key file {path} is inside IPPO_HOME ({home}), so one copy of that folder holds the "
            f"data and its key; run `ippo profiles rotate-key` to make a new key at {target} and re-wrap every "
            f"data key under it, or move this one out: mkdir -p {target.parent} && mv {path} {target} "
            f"(or set {ENV_KEY_FILE} / {ENV_KEY})")


def load_master_keys(
    home: Path, key: str | None = None, key_file: Path | None = None, previous: Iterable[str] = (),
    create: bool = True,
) -> MasterKeys:
    """The master keys of the store under home, from the first source that has one (see above).

    key_file: a key file chosen by the operator (None: the default place, after the older in-home
    file). create: make a new key file when there is none (the caller allows it only for an empty store).
    """
    previous_keys = _previous(previous)
    if key:
        origin = f"{ENV_KEY} (the setting master_key)"
        return MasterKeys(parse_key(key.encode(), origin), origin, previous_keys)
    chosen = _key_file_in_use(home, key_file)
    if chosen is None:
        target = key_file or default_master_key_file()
        if not create:
            raise UserKeyError(
                f"the user store under {home} holds encrypted profiles but no master key was found: neither "
                f"{ENV_KEY} nor the key file {target} ({ENV_KEY_FILE}) is set; restore the key it was written "
                "with (a new key would not open them)")
        return MasterKeys(_create_key_file(target), f"the master key file {target}", previous_keys, target)
    warning = _home_warning(chosen, home, default_master_key_file() if chosen == key_file else
                            (key_file or default_master_key_file())) if _inside(chosen, home) else None
    legacy = legacy_key_path(home)
    if chosen != legacy and legacy.exists():
        # Profiles an older version wrote with it can still be read (and are then re-wrapped).
        previous_keys = (*previous_keys, read_key_file(legacy))
        warning = (f"an older master key file {legacy} is still inside IPPO_HOME; once `ippo profiles list` and "
                   f"`ippo profiles show` work without it, move it out of the folder or delete it")
    if warning:
        log.warning("%s", warning)
    return MasterKeys(read_key_file(chosen), f"the master key file {chosen}", previous_keys, chosen, warning)


def _key_file_in_use(home: Path, key_file: Path | None) -> Path | None:
    """The operator's key file; else the key file an older version left in the home (the key its
    profiles were written with); else the default one; None when none exists yet."""
    candidates = (key_file, legacy_key_path(home)) if key_file is not None else \
        (legacy_key_path(home), default_master_key_file())
    return next((path for path in candidates if path.exists()), None)


def _previous(values: Iterable[str]) -> tuple[MasterKey, ...]:
    keys = [parse_key(value.encode(), f"{ENV_PREVIOUS} (the setting master_key_previous)")
            for value in values if value.strip()]
    return tuple(dict((k.id, k) for k in keys).values())


def split_keys(text: str | None) -> Sequence[str]:
    """Keys given as one comma-separated value."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]

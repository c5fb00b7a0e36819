"""Which signal tagger tagged what: two short fingerprints stored with every run of the warehouse
(``raw_runs.vocabulary`` and ``raw_runs.tagger``).

- ``vocabulary``: the signal vocabulary as the tagger parsed it (pipeline/vocab/signals.toml with
  every pipeline/vocab/signals/<tag>.toml merged in). Comments and layout do not count; a changed,
  added or removed pattern does.
- ``tagger``: the code the text is read with: the signals package (tagger, negation, schedule
  figures, boilerplate, supportiveness) and the text package it folds and searches through.

Two runs with the same pair tagged alike; after a change of either, ``ippo retag`` brings the
stored listings up to date.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pipeline import VOCAB_DIR
from pipeline.signals.vocabulary import vocabulary

_PIPELINE_DIR = VOCAB_DIR.parent
# The packages whose code decides what the text tagger raises and how supportive a listing scores.
TAGGER_PACKAGES = ("signals", "text")
_DIGITS = 12


@dataclass(frozen=True)
class TaggerFingerprint:
    vocabulary: str
    tagger: str

    def __str__(self) -> str:
        return f"vocabulary {self.vocabulary}, tagger {self.tagger}"


def vocabulary_fingerprint() -> str:
    """Fingerprint of the parsed signal vocabulary (the very tables the tagger compiled)."""
    blob = json.dumps(vocabulary(), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:_DIGITS]


def tagger_code_files() -> list[Path]:
    """The code files the tagger fingerprint covers."""
    return [p for package in TAGGER_PACKAGES for p in sorted((_PIPELINE_DIR / package).glob("*.py"))]


def tagger_code_fingerprint() -> str:
    """Fingerprint of the tagger's source files, each named by its package and file name."""
    digest = hashlib.sha1()
    for path in tagger_code_files():
        digest.update(f"{path.parent.name}/{path.name}\x00".encode())
        digest.update(path.read_bytes())
        digest.update(b"\x00")
    return digest.hexdigest()[:_DIGITS]


def tagger_fingerprint() -> TaggerFingerprint:
    return TaggerFingerprint(vocabulary=vocabulary_fingerprint(), tagger=tagger_code_fingerprint())

"""The signal vocabulary (pipeline/vocab/signals.toml): which tags exist and of which kind.

Read once. The tagger (pipeline.signals.tagger) compiles the patterns of every tag; the
profile (ranker.profile) accepts as needs the "supportive" tags and as things to avoid the
"constraint" tags, both listed from here so a tag added to the vocabulary is known everywhere
at once. Serving reads only the snapshot and never imports the tagger; this module imports nothing
of the tagger's, so the profile can validate against these tags at request time.
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any, Literal, get_args

from pipeline import VOCAB_DIR

__all__ = ["ALL_TAGS", "CONSTRAINT_TAGS", "SUPPORTIVE_TAGS", "TagKind", "VocabularyError", "signal_tags", "vocabulary"]

VOCAB_FILE = "signals.toml"
TagKind = Literal["supportive", "constraint"]
KINDS: tuple[TagKind, ...] = get_args(TagKind)


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the tag and what is wrong."""


@cache
def vocabulary() -> dict[str, Any]:
    """The parsed vocabulary file, every tag's kind checked."""
    text = (VOCAB_DIR / VOCAB_FILE).read_text(encoding="utf-8")
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"pipeline/vocab/{VOCAB_FILE}: not valid TOML: {exc}") from exc
    for tag, spec in parsed.get("tags", {}).items():
        if spec.get("kind") not in KINDS:
            raise VocabularyError(
                f"pipeline/vocab/{VOCAB_FILE}: tag {tag!r} has kind {spec.get('kind')!r}; use one of {', '.join(KINDS)}"
            )
    return parsed


def signal_tags(kind: TagKind | None = None) -> tuple[str, ...]:
    """The tags of the vocabulary in file order, only those of ``kind`` when given."""
    return tuple(tag for tag, spec in vocabulary()["tags"].items() if kind is None or spec["kind"] == kind)


SUPPORTIVE_TAGS: tuple[str, ...] = signal_tags("supportive")
CONSTRAINT_TAGS: tuple[str, ...] = signal_tags("constraint")
ALL_TAGS: tuple[str, ...] = SUPPORTIVE_TAGS + CONSTRAINT_TAGS

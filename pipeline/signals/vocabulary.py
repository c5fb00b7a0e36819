"""The signal vocabulary: which tags exist and of which kind (pipeline/vocab/signals.toml), and
each tag's patterns (pipeline/vocab/signals/<tag>.toml, merged into the tag's table).

Read once. The tagger (pipeline.signals.tagger) compiles the patterns of every tag; the
profile (ranker.profile) accepts as needs the "supportive" tags and as things to avoid the
"constraint" tags, both listed from here so a tag added to the vocabulary is known everywhere
at once. Serving reads only the snapshot and never imports the tagger; this module imports nothing
of the tagger's, so the profile can validate against these tags at request time.

Kinds: "supportive" (listing tags a person may need), "constraint" (facts a person may avoid)
and "policy" (what stock legal text states, e.g. ``accommodation_policy``: a tag of the tag's
``stands_for`` raised inside an equal-opportunity or legal paragraph; never a need).
"""

from __future__ import annotations

import tomllib
from functools import cache
from typing import Any, Literal, get_args

from pipeline import VOCAB_DIR

__all__ = [
    "ALL_TAGS",
    "CONSTRAINT_TAGS",
    "POLICY_TAGS",
    "SUPPORTIVE_TAGS",
    "TagKind",
    "VocabularyError",
    "policy_of",
    "signal_tags",
    "vocabulary",
]

VOCAB_FILE = "signals.toml"
PATTERNS_DIR = "signals"
# What a tag's pattern file may hold: trigger stems and raise / against patterns per language.
PATTERN_KEYS = frozenset(
    f"{lang}{suffix}" for lang in ("ja", "en") for suffix in ("", "_against", "_triggers")
)
TagKind = Literal["supportive", "constraint", "policy"]
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
    tags = parsed.get("tags", {})
    _merge_pattern_files(tags)
    for tag, spec in tags.items():
        if spec.get("kind") not in KINDS:
            raise VocabularyError(
                f"pipeline/vocab/{VOCAB_FILE}: tag {tag!r} has kind {spec.get('kind')!r}; use one of {', '.join(KINDS)}"
            )
        for stood_for in spec.get("stands_for", []):
            if tags.get(stood_for, {}).get("kind") != "supportive":
                raise VocabularyError(
                    f"pipeline/vocab/{VOCAB_FILE}: policy tag {tag!r} stands for {stood_for!r}, "
                    "which is not a supportive tag of the file"
                )
    return parsed


def _merge_pattern_files(tags: dict[str, Any]) -> None:
    """Add each tag's patterns from signals/<tag>.toml to its table; a file for a tag the
    vocabulary does not name, or a key other than PATTERN_KEYS, is an error."""
    for path in sorted((VOCAB_DIR / PATTERNS_DIR).glob("*.toml")):
        where = f"pipeline/vocab/{PATTERNS_DIR}/{path.name}"
        tag = path.stem
        if tag not in tags:
            raise VocabularyError(f"{where}: no tag {tag!r} in pipeline/vocab/{VOCAB_FILE}; add it there with its kind")
        try:
            patterns = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise VocabularyError(f"{where}: not valid TOML: {exc}") from exc
        unknown = sorted(set(patterns) - PATTERN_KEYS)
        if unknown:
            allowed = ", ".join(sorted(PATTERN_KEYS))
            raise VocabularyError(f"{where}: unknown key(s) {', '.join(unknown)}; use {allowed}")
        tags[tag].update(patterns)


def signal_tags(kind: TagKind | None = None) -> tuple[str, ...]:
    """The tags of the vocabulary in file order, only those of ``kind`` when given."""
    return tuple(tag for tag, spec in vocabulary()["tags"].items() if kind is None or spec["kind"] == kind)


def policy_of() -> dict[str, str]:
    """Supportive tag -> the policy tag it becomes inside boilerplate (accommodations -> accommodation_policy)."""
    return {
        stood_for: tag
        for tag, spec in vocabulary()["tags"].items()
        if spec["kind"] == "policy"
        for stood_for in spec.get("stands_for", [])
    }


SUPPORTIVE_TAGS: tuple[str, ...] = signal_tags("supportive")
CONSTRAINT_TAGS: tuple[str, ...] = signal_tags("constraint")
POLICY_TAGS: tuple[str, ...] = signal_tags("policy")
# The tags the text tagger raises with patterns and a profile may name (needs and things to avoid).
ALL_TAGS: tuple[str, ...] = SUPPORTIVE_TAGS + CONSTRAINT_TAGS

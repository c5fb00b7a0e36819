"""The profile accepts exactly the tags of the signal vocabulary, read from the file itself."""

from __future__ import annotations

import tomllib

from pipeline import VOCAB_DIR
from ranker.profile import AVOIDABLE, LISTING_NEEDS, SENSITIVE_NEEDS, parse_profile


def _vocabulary_tags() -> dict[str, str]:
    """tag -> kind, straight from pipeline/vocab/signals.toml (not through any module)."""
    parsed = tomllib.loads((VOCAB_DIR / "signals.toml").read_text(encoding="utf-8"))
    return {tag: spec["kind"] for tag, spec in parsed["tags"].items()}


def test_every_supportive_tag_of_the_vocabulary_is_a_need_the_profile_accepts() -> None:
    supportive = [tag for tag, kind in _vocabulary_tags().items() if kind == "supportive"]
    assert supportive
    assert set(LISTING_NEEDS) == set(supportive)
    for tag in supportive:
        profile = parse_profile({"summary": "office work", "needs": [tag], "consent": {"sensitive_needs": True}})
        assert profile.needs == [tag]


def test_every_constraint_tag_of_the_vocabulary_can_be_avoided() -> None:
    constraints = [tag for tag, kind in _vocabulary_tags().items() if kind == "constraint"]
    assert constraints
    assert set(AVOIDABLE) == set(constraints)
    for tag in constraints:
        assert parse_profile({"summary": "office work", "avoid": [tag]}).avoid == [tag]


def test_sensitive_needs_are_tags_of_the_vocabulary() -> None:
    assert set(LISTING_NEEDS) >= SENSITIVE_NEEDS

"""What the tagger says of a text, as two sets of tags: those it raises and those it speaks
against (shared by the vocabulary tests)."""

from __future__ import annotations

from pipeline.signals.tagger import tag_text_detailed


def tag_sides(text: str) -> tuple[set[str], set[str]]:
    """(tags raised, tags spoken against) by the text, language detected."""
    result = tag_text_detailed(text)
    return {s["tag"] for s in result["raised"]}, {s["tag"] for s in result["against"]}


def raised_tags(text: str) -> set[str]:
    return tag_sides(text)[0]

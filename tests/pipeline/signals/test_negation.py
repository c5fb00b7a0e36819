"""Negation scope: a supportive phrase inside a negated clause counts against its tag, a
negation that says yes does not, and unscoped tags keep their own patterns. Sentences written
for these tests."""

from __future__ import annotations

import pytest

from pipeline.signals.tagger import tag_text_detailed


def _sides(text: str, lang: str) -> tuple[set[str], dict[str, str]]:
    result = tag_text_detailed(text, lang)
    return {s["tag"] for s in result["raised"]}, {s["tag"]: s["evidence"] for s in result["against"]}


@pytest.mark.parametrize(("text", "lang", "tag", "evidence"), [
    ("テレワークは実施しておりません。", "ja", "remote_ok", "テレワークは実施しておりません"),
    ("時短勤務の制度はございません", "ja", "short_hours", "時短勤務の制度はございません"),
    ("障害者雇用の対象外の求人です", "ja", "disability_employment", None),
    ("在宅で作業することはなく、毎日出社します", "ja", "remote_ok", None),
    ("時短勤務は難しい職場です", "ja", "short_hours", None),
    ("研修制度がないため、即戦力の方を募集します", "ja", "training_provided", "研修制度がない"),
    ("We don't offer remote work for this team.", "en", "remote_ok", None),
    ("Telecommuting is not available for this role.", "en", "remote_ok", None),
    ("Part-time applications will not be considered.", "en", "short_hours", None),
])
def test_a_negated_clause_speaks_against_the_tag(text: str, lang: str, tag: str, evidence: str | None) -> None:
    raised, against = _sides(text, lang)
    assert tag not in raised
    assert tag in against
    if evidence is not None:
        assert against[tag] == evidence


@pytest.mark.parametrize(("text", "lang", "tag"), [
    ("在宅勤務OK、交通費は支給しません", "ja", "remote_ok"),
    ("在宅勤務でも問題ありません", "ja", "remote_ok"),
    ("研修があるので不安がない", "ja", "training_provided"),
    ("Remote work is possible; relocation is not required.", "en", "remote_ok"),
    ("No commute: the job is fully remote.", "en", "remote_ok"),
    ("Not only remote work but also flexible hours.", "en", "remote_ok"),
    ("We are hybrid, but we can't offer relocation.", "en", "remote_ok"),
    ("You don't need a degree - we offer paid training.", "en", "training_provided"),
])
def test_a_negation_elsewhere_or_one_that_says_yes_leaves_the_tag_raised(text: str, lang: str, tag: str) -> None:
    raised, against = _sides(text, lang)
    assert tag in raised
    assert tag not in against


def test_tags_with_their_own_negation_are_not_scoped() -> None:
    raised, _ = _sides("No experience needed, we will train you.", "en")
    assert "no_experience_ok" in raised

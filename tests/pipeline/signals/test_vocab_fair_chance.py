"""`fair_chance` phrasings beyond the stock words, records as a task or a requirement that must
not raise it, and a clean record asked for as evidence against it."""

from __future__ import annotations

import pytest

from pipeline.signals.tagger import negated_tags
from tests.pipeline.signals.tag_sides import raised_tags as _raised

TAG = "fair_chance"



@pytest.mark.parametrize("text", [
    "犯罪歴のある方も、面接でお話を聞かせてください。",
    "前科の有無は問いません。",
    "刑務所を出所した方の採用に取り組んでいます。",
    "仮釈放者の受け入れ実績があります。",
    "更生を目指す方を全力で応援します。",
    "当社は職親プロジェクトに参加しています。",
    "We welcome applicants with unspent convictions.",
    "Our kitchen hires people with criminal records and pays them a living wage.",
    "Prison leavers are encouraged to apply.",
    "We will never ask about your criminal record on the application.",
    "Convictions are assessed on a case-by-case basis.",
    "Background checks are carried out only after a conditional offer.",
])
def test_raises(text: str) -> None:
    assert TAG in _raised(text)


@pytest.mark.parametrize("text", [
    "少年院では、少年院から出た後の帰住先の確保を支援する。",
    "民間企業での前歴がある方は、経験年数に応じて給与を加算します。",
    "会社更生法の手続きに関する業務です。",
    "Maintain arrest records and file court documents.",
    "Senior Reentry Program Manager - San Jose",
    "Provide counselling to the elderly, the homeless or ex-offenders.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _raised(text)


@pytest.mark.parametrize("text", [
    "Applicants must hold a clean criminal record.",
    "A clear background check is required before the first shift.",
])
def test_clean_record_required_is_against(text: str) -> None:
    assert TAG not in _raised(text)
    assert TAG in {s["tag"] for s in negated_tags(text)}

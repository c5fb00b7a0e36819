"""`gradual_start` phrasings beyond the stock words, full hours from the first day, and steps
that are not a start at work (prices raised 段階的に, an ordinary probation)."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "gradual_start"



@pytest.mark.parametrize("text", [
    "トライアル併用求人です。",
    "いきなり週5日ではなく、週2日からスタートできます。",
    "体調に合わせて勤務時間を少しずつ延ばしていけます。",
    "まずは半日勤務から始めましょう。",
    "1日だけの職場体験も受け付けています。",
    "体験入社制度があります。",
    "採用前に3日間働いてみることができます。",
    "就労実習を経て本採用となります。",
    "段階的な勤務時間の延長が可能です。",
    "Our returner programme restarts careers after a break.",
    "You can build up your hours over time.",
    "Shifts start short, increasing as you feel ready.",
    "We ease new starters in with half days.",
    "Come in for a paid taster day before you decide.",
    "Try the role for a week before committing.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "入社初日からフルタイムでの勤務となります。",
    "New hires start full-time from day one.",
    "We do not offer work placements.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "段階的に価格を改定しています。",
    "試用期間は3か月です。",
    "A six-month probationary period applies.",
    "Run clinical trials for new therapies.",
    "ユーザー体験の向上に取り組むUXデザイナーを募集します。",
    "ぜひ一緒に働いてみませんか。",
    "Internal tools team.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "障害者試行雇用を活用しています。",
    "最初の2週間は慣らし勤務です。",
    "休職明けはリハビリ出勤から始められます。",
    "短時間勤務からスタートできます。",
    "少しずつ任せる仕事を増やしていきます。",
    "A graduated return is agreed with each new starter.",
    "Start on reduced hours and build up to a full week.",
    "Paid job try-outs before an offer.",
    "Software Developer Co-op position, Fall term.",
    "Veterinary student externship.",
])
def test_raises_other_wordings(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "慣れたら少しずつ日数を増やせます。",
    "Take on more shifts when you feel ready.",
    "There is no pressure to go full-time straight away.",
])
def test_raises_when_implied(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "勤務時間は体調を見ながら徐々に延ばせます。",
    "はじめは短い時間で大丈夫です。",
    "見学・体験からスタートできます。",
    "Start with two days a week and work up to full time.",
    "A gentle start with plenty of support.",
])
def test_raises_in_more_words(text: str) -> None:
    assert TAG in _sides(text)[0]


def test_more_of_something_else_is_not_a_start() -> None:
    assert TAG not in _sides("店舗数を徐々に増やしています。")[0]

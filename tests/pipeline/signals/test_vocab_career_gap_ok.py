"""`career_gap_ok` phrasings beyond the stock words, restrictions to people in work now, and
other people's 社会復帰 (patients, inmates) that care and correction work supports."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "career_gap_ok"



@pytest.mark.parametrize("text", [
    "ブランクの長さは問いません。",
    "5年以上のブランクがある方も活躍しています。",
    "ブランク明けの方もゆっくり慣れていけます。",
    "履歴書に空白期間があっても気にしません。",
    "出産を機に看護の現場を離れていた方も歓迎します。",
    "しばらく働いていなかった方も大丈夫です。",
    "15年ぶりに仕事に復帰したスタッフもいます。",
    "子育てが一段落した方におすすめです。",
    "復職を目指す方を応援します。",
    "ブランクから職場復帰したい方へ。",
    "We welcome people returning to the workforce after caring for family.",
    "Employment gaps will not be held against anyone.",
    "Breaks on your CV are completely normal here.",
    "Open to candidates coming back after an extended absence.",
    "If you have stepped away from work for several years, this role is for you.",
    "Relaunch your career with a supportive team.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "現在就業中の方に限ります。",
    "ブランクのある方はご遠慮ください。",
    "直近2年以内に就業経験のない方は対象外です。",
    "Applicants must have been continuously employed for three years.",
    "We require no gaps of more than six months in your employment history.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "患者さまの社会復帰を支援する精神科病棟です。",
    "受刑者の円滑な社会復帰に向けた指導を行います。",
    "ブランク材の加工を担当していただきます。",
    "Take a break whenever you need one.",
    "You will help clients returning to the workforce after illness write their CVs.",
    "Lunch break of one hour.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "ブランク有OK",
    "主婦の方の再就職を応援します。",
    "子育てで一度退職した方も多く活躍中です。",
    "離職中の方も歓迎します。",
    "潜在看護師さん向けの復帰支援研修があります。",
    "臨床復帰を目指す方を応援します。",
    "A career hiatus is nothing to explain here.",
    "Returning parents are encouraged to apply.",
    "Took time out to raise a family? We'd love to hear from you.",
    "We welcome long-term unemployed applicants.",
    "Resume gaps are completely fine.",
])
def test_raises_other_wordings(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "You will support long-term unemployed clients into work.",
    "再就職支援会社でキャリアカウンセラーとして働きます。",
    "Returning customers get a discount.",
])
def test_does_not_raise_on_other_wordings(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "ブランクのある方は応募をご遠慮ください。",
    "現在働いていない方は対象外です。",
    "Candidates with employment gaps will not be considered.",
    "All gaps in your employment history must be explained.",
])
def test_speaks_against_in_other_words(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "しばらく仕事をお休みしていた方も歓迎です。",
    "もう一度看護師として働きたい方を応援します。",
    "復帰を考えている方はご相談ください。",
    "前の職場を辞めてから数年経つ方も大丈夫です。",
    "Been out of work for a year? Apply anyway.",
    "It doesn't matter when you last worked.",
    "Ideal for parents coming back to work.",
])
def test_raises_in_more_words(text: str) -> None:
    assert TAG in _sides(text)[0]

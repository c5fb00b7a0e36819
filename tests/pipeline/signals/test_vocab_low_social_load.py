"""`low_social_load` phrasings beyond the stock words (little talk with customers, no counter or
phone work, behind the scenes, alone, in writing), phrases that look alike but are not low
contact, and customer-centred jobs that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "low_social_load"



@pytest.mark.parametrize("text", [
    "電話対応や来客対応は一切ありません。",
    "人と話すのが苦手な方も歓迎します。",
    "人との関わりは少なめです。",
    "お客様と接する機会はほとんどない、倉庫での仕分けです。",
    "一人で黙々と入力作業を進めます。",
    "You won't need to talk to customers.",
    "Minimal customer interaction; mostly data entry.",
    "Behind-the-scenes role in our warehouse.",
    "Restocking happens after the library is closed to the public.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "営業時間は10時〜19時です。日曜営業なし。",
    "ノルマなしの営業職です。",
    "一人で悩まず、先輩に相談できます。",
    "新人が一人で作業することはありません。",
    "お客様と話すことが好きな方歓迎！",
    "No phone calls or agencies, please.",
    "You will never work alone: a colleague is always on shift.",
    "Back office of a busy hotel reception: answer guest phone calls.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "窓口でのお客様対応が主な業務です。",
    "1日100人以上のお客様と接するお仕事です。",
    "This is a customer-facing role in our flagship store.",
    "You are the first point of contact for every visitor.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against and TAG not in raised

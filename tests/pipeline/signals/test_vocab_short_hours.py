"""`short_hours` words beyond the stock ones (短い時間, 午前中のみ, half-days, school hours; figures
of hours are tested in test_schedule.py), words that look alike but are not short hours, and
full-time-only restrictions that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "short_hours"



@pytest.mark.parametrize("text", [
    "1日数時間だけ働きたい方にぴったりです。",
    "午前中のみの勤務もOKです。",
    "スキマ時間で働けるお仕事です。",
    "半日勤務から始められます。",
    "お子さまのお迎えに間に合う時間に終わります。",
    "This is a job share position.",
    "Hours fit around school hours.",
    "A shorter working week is available.",
    "The post is half-time, on Tuesdays and Wednesdays.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "時短レシピの企画・編集のお仕事です。",
    "業務効率化による時短に貢献していただきます。",
    "Summer half-day Fridays for all full-time staff.",
    "The half-time show production crew.",
    "Part of a small, friendly team.",
    "We ease you in with short shifts during your first month.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "フルタイムで勤務できる方のみ募集しています。",
    "フルタイム勤務が必須です。",
    "This is a full-time only position.",
    "Candidates must be available full-time.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against and TAG not in raised

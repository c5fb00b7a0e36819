"""Short hours read from the figures of a schedule, with the listing's words as evidence.
Sentences written for these tests."""

from __future__ import annotations

import pytest

from pipeline.signals.schedule import schedule_spans
from pipeline.signals.tagger import tag_text_detailed
from pipeline.text.fold import fold


def _read(text: str) -> list[tuple[bool, str]]:
    folded = fold(text).lower()
    return [(against, folded[start:end]) for _, against, start, end in schedule_spans(folded)]


@pytest.mark.parametrize(("text", "evidence"), [
    ("就業時間 13時〜17時(休憩なし)", "就業時間 13時~17時"),
    ("シフト 8:30~12:30", "シフト 8:30~12:30"),
    ("10:00~14:30のお仕事", "10:00~14:30"),
    ("1日4.5時間のみ", "1日4.5時間"),
    ("各3時間の入力作業", "各3時間"),
    ("Working hours: 10am to 2pm", "working hours: 10am to 2pm"),
    ("We need someone for four hours a day.", "four hours a day"),
    ("Two 4-hour sessions each week.", "4-hour sessions"),
    ("Up to 16 hours per week.", "16 hours per week"),
    ("The post is 0.6 FTE.", "0.6 fte"),
    ("早朝の3時間だけの清掃です", "3時間だけ"),
])
def test_a_short_day_or_week_raises_short_hours(text: str, evidence: str) -> None:
    assert (False, evidence) in _read(text)


@pytest.mark.parametrize("text", [
    "休憩 12:00~13:00",
    "受付時間 9:00~12:00",
    "営業時間 10:00~14:00",
    "Experience: 10-12 years",
    "勤務時間 9:00~18:00",
    "Open 2024-2025",
    "8 hours a day on site",
    "残業は10時間のみ",
    "休憩は1日1時間",
    "研修は1日3時間です",
])
def test_breaks_opening_hours_long_days_and_other_ranges_raise_nothing(text: str) -> None:
    assert not any(not against for against, _ in _read(text))


@pytest.mark.parametrize(("text", "evidence"), [
    ("This is a 40 hours per week role.", "40 hours per week"),
    ("1日8時間・週5日の勤務です", "1日8時間・週5日の勤務です"),
])
def test_a_full_week_speaks_against_short_hours(text: str, evidence: str) -> None:
    assert _read(text) == [(True, evidence)]


def test_a_range_reaching_under_thirty_hours_is_short() -> None:
    assert _read("20-40 hours a week") == [(False, "20-40 hours a week")]


def test_the_tagger_quotes_the_schedule_from_the_original_text() -> None:
    result = tag_text_detailed("勤務時間：１０時～１４時（週３日）", "ja")
    assert [(s["tag"], s["evidence"]) for s in result["raised"]] == [("short_hours", "勤務時間：１０時～１４時")]


def test_a_pattern_that_already_said_short_hours_keeps_its_evidence() -> None:
    result = tag_text_detailed("1日4時間～、週3日からOK", "ja")
    assert {s["tag"]: s["evidence"] for s in result["raised"]}["short_hours"] == "1日4時間～"

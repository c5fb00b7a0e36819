"""`flexible_schedule` phrasings beyond the stock words (days and hours to the worker's plans,
shifts the worker asks for or books), schedules the employer sets that must not raise it, and
fixed-schedule restrictions and negations that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "flexible_schedule"



@pytest.mark.parametrize("text", [
    "出勤日は自由に選べます。",
    "シフトは2週間ごとの希望制です。",
    "勤務時間はご家庭の事情に合わせて調整できます。",
    "子育ての予定に合わせてシフトを組めます。",
    "Pick your own days each week.",
    "Shifts are booked through our app: choose the ones that suit you.",
    "We build the rota around your other commitments.",
    "Flexible start and finish times.",
    "There are no core hours.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "シフトは店長が決めます。",
    "勤務時間は会社が決めた時間になります。",
    "お客様のご都合に合わせて訪問時間を調整します。",
    "勤務時間は業務の都合に合わせて変更することがあります。",
    "週4日～の勤務が可能な方",
    "The manager will set the schedule each week.",
    "Set hours: 9am-5pm, Monday to Friday.",
    "You must be flexible and adaptable.",
    "Flexible spending account and commuter benefits.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "シフトは固定制です。",
    "土日祝を含めて毎日出勤できる方に限ります。",
    "勤務日の変更はできません。",
    "Working hours are fixed by the rota team.",
    "You cannot choose your shifts in this role.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against and TAG not in raised

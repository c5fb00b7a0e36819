"""Hours per week from real working-hours text and the listed shapes."""

from __future__ import annotations

import pytest

from pipeline.fields.hours import parse_hours_per_week

# workHours of the real cme-pharmacist.html JobPosting (Japanese JSON-LD page).
CME_WORK_HOURS = (
    "月火木金曜日　9：00～20：00（休憩60分）<br />\n土曜日　9：00～13：00<br />\n<br />\n上記営業時間内で週44時間制"
)
# 勤務時間 / 勤務日数 of the real supernurse.html description.
SUPERNURSE_HOURS = (
    "【勤務時間】日勤　09:00～18:00(休憩60分) 早出　08:00～17:00(休憩60分) 遅出　12:00～21:00(休憩60分) "
    "【勤務日数】週5日 夜勤月平均2回"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("週20時間", (20, 20)),
        ("週20～30時間", (20, 30)),
        ("週２０〜３０時間", (20, 30)),
        ("1日4時間×週3日", (12, 12)),
        ("1日4時間～ 週3日～", (12, None)),
        ("1日4～6時間、週3～5日", (12, 30)),
        ("20 hours per week", (20, 20)),
        ("20-30 hrs/week", (20, 30)),
        ("up to 20 hours per week", (None, 20)),
        ("at least 15 hours a week", (15, None)),
        ("週20時間以上", (20, None)),
        ("週30時間以内", (None, 30)),
        (CME_WORK_HOURS, (44, 44)),
        ("9:00～13:00 週3日", (12, 12)),
        ("９：００～１３：００、週３～５日", (12, 20)),
        (SUPERNURSE_HOURS, (40, 40)),
        ("22:00～6:00（休憩60分） 週2日", (14, 14)),
        ("4 hours a day, 3 days a week", (12, 12)),
    ],
)
def test_stated_hours(text: str, expected: tuple) -> None:
    result = parse_hours_per_week(text)
    assert result is not None
    assert (result["min"], result["max"]) == expected


@pytest.mark.parametrize(
    "text",
    [
        "（1）\n08時00分〜17時00分 08時00分〜17時00分",  # Hello Work: a shift but no days per week
        "週休2日",
        "1日8時間",
        "シフト制",
        "完全週休2日制（土日祝）",
        "週200時間",
        "",
        "   ",
    ],
)
def test_not_stated(text: str) -> None:
    assert parse_hours_per_week(text) is None


@pytest.mark.parametrize("bad", [None, 40, 3.5, ["週20時間"], {"hours": 20}, b"20 hours per week"])
def test_bad_input_never_raises(bad: object) -> None:
    assert parse_hours_per_week(bad) is None  # type: ignore[arg-type]


def test_weekly_figure_after_other_mentions_of_week_and_day() -> None:
    # "week" and "day" occur many times before the figure; only the phrase that ends with
    # "hours per week" / "days a week" counts, wherever it is and in any case.
    text = (
        "Weekly team meetings, a four-day week in summer and a weekday schedule. " * 5
        + "Our İstanbul office: WORK 3 DAYS A WEEK, 4.5 HRS PER DAY."
    )
    assert parse_hours_per_week(text) == {"min": 13.5, "max": 13.5}
    assert parse_hours_per_week("Every week, every day.\n" * 40 + "About 25 hours/week") == {"min": 25.0, "max": 25.0}

"""`youth_friendly` phrasings beyond the stock words, and work WITH young people or descriptions
of an age mix that do not aim a job at young workers."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "youth_friendly"



@pytest.mark.parametrize("text", [
    "若年者トライアル併用求人です。",
    "既卒者の方も応募いただけます。",
    "新卒・既卒問わず歓迎します。",
    "卒業後2年以内の方も新卒扱いで選考します。",
    "社会人2年目のスタッフが活躍中。",
    "20代のスタッフが多数活躍しています。",
    "大学生も歓迎！",
    "高校中退の方も歓迎します。",
    "35歳以下（長期キャリア形成のため）",
    "初めてのバイトでも安心です。",
    "A paid traineeship aimed at young adults not in work.",
    "Open to people aged 18-24 who are not in education.",
    "Kick-start your career with our trainee scheme.",
    "Perfect if you're just starting out.",
    "Care leavers are especially welcome.",
    "Students are welcome to apply for weekend shifts.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "Not suitable for school leavers or recent graduates.",
    "60歳以上の方を対象とした募集です。",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against
    assert TAG not in raised


@pytest.mark.parametrize("text", [
    "若年性認知症の方のケアを担当します。",
    "20代~60代まで幅広い年代が活躍中です。",
    "若年者から中高年齢者まで幅広く働いています。",
    "Youth worker supporting young people in care.",
    "Teach students aged 14-18 in a secondary school.",
    "Restart your career after a break.",
    "This is the first position of its kind in our company.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "学生アルバイト大歓迎！",
    "社会人デビューを応援します。",
    "来春卒業見込みの方も応募可。",
    "Open to young people not in education, employment or training.",
    "Fresh graduates are encouraged to apply.",
    "Software Engineer, Class of 2027",
    "For students graduating in spring 2026.",
    "Weekend jobs for students near campus.",
    "Apprentices aged 16-18 join our workshop.",
])
def test_raises_other_wordings(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "若手社員の育成に力を入れています。",
    "30歳未満の方を募集します。",
    "A scheme for under-25s looking for work.",
])
def test_raises_when_implied(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "若い力を求めています！",
    "学校を卒業したばかりの方も歓迎です。",
    "初めて就職する方も安心してください。",
    "新社会人を応援します。",
    "Perfect for anyone fresh out of college.",
    "If you're 18-24 and looking for work, apply now.",
    "First-time jobseekers welcome.",
    "Your first step on the career ladder.",
])
def test_raises_in_more_words(text: str) -> None:
    assert TAG in _sides(text)[0]


def test_young_consumers_are_not_young_workers() -> None:
    assert TAG not in _sides("若い世代を中心に新聞離れが進んでいる。")[0]

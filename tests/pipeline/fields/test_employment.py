"""Employment types from real structured values (ATS payloads, JSON-LD) and Japanese text."""

from __future__ import annotations

import json

import pytest

from pipeline.fields.employment import normalize_employment_types
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Full-time", ["FULL_TIME"]),  # Lever categories.commitment, USAJOBS PositionSchedule
        ("FULL_TIME", ["FULL_TIME"]),  # JSON-LD
        (["FULL_TIME"], ["FULL_TIME"]),
        ("full time", ["FULL_TIME"]),
        ("FullTime", ["FULL_TIME"]),  # Ashby employmentType
        ("PartTime", ["PART_TIME"]),
        ("Permanent / Full Time", ["FULL_TIME"]),
        ("Contract", ["CONTRACTOR"]),
        ("Temporary", ["TEMPORARY"]),
        ("Intern", ["INTERN"]),
        ({"id": "intern", "label": "Intern"}, ["INTERN"]),  # SmartRecruiters typeOfEmployment
        ([{"Name": "Full-time", "Code": "1"}], ["FULL_TIME"]),  # USAJOBS PositionSchedule
        (["FULL_TIME", "PART_TIME", "FULL_TIME"], ["FULL_TIME", "PART_TIME"]),
        ("Intermittent", ["PER_DIEM"]),
        ("Shift work", ["OTHER"]),
        ("Permanent", []),
        ("正社員", ["FULL_TIME"]),
        ("正職員", ["FULL_TIME"]),
        ("常勤", ["FULL_TIME"]),
        ("常勤（正職員）", ["FULL_TIME"]),
        ("正社員(常勤)", ["FULL_TIME"]),
        ("契約社員", ["TEMPORARY"]),
        ("パート・アルバイト", ["PART_TIME"]),
        ("アルバイト・パート", ["PART_TIME"]),
        ("非常勤", ["PART_TIME"]),
        ("派遣", ["TEMPORARY"]),
        ("常用型派遣／", ["TEMPORARY"]),  # Hello Work 2012 table
        ("業務委託", ["CONTRACTOR"]),
        ("インターン", ["INTERN"]),
        ("正社員以外", ["OTHER"]),  # Hello Work: "not regular staff"
        ("正社員以外／", ["OTHER"]),
        ("ボランティア", ["VOLUNTEER"]),
    ],
)
def test_structured_values(value: object, expected: list[str]) -> None:
    assert normalize_employment_types(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【雇用形態】：常勤", ["FULL_TIME"]),  # mc-nurse description
        ("常勤（正職員）", ["FULL_TIME"]),  # supernurse description
        ("アルバイト（正社員登用あり）", ["PART_TIME"]),
        ("契約社員または派遣社員", ["TEMPORARY"]),
        ("非常勤 パート", ["PART_TIME"]),
        ("業務委託（フリーランス）", ["CONTRACTOR"]),
        ("This is a part-time internship", ["PART_TIME", "INTERN"]),
        ("特になし", []),
    ],
)
def test_text(text: str, expected: list[str]) -> None:
    assert normalize_employment_types(None, text) == expected


def test_structured_value_wins_over_text() -> None:
    assert normalize_employment_types("FULL_TIME", "アルバイト") == ["FULL_TIME"]
    assert normalize_employment_types("Permanent", "アルバイト") == ["PART_TIME"]


@pytest.mark.parametrize(
    "bad", [None, 42, True, 3.5, {}, [], [None, 7], {"x": {"y": [1]}}, b"FULL_TIME", [[[[["FULL_TIME"]]]]]]
)
def test_bad_input_never_raises(bad: object) -> None:
    assert normalize_employment_types(bad, None) in ([], ["FULL_TIME"])
    assert normalize_employment_types(None, bad) == []  # type: ignore[arg-type]


def test_real_ats_payloads() -> None:
    if not DATA.exists():
        pytest.skip(f"shared data not found at {DATA}")
    ats = DATA / "ats_api_responses"
    lever = json.loads((ats / "lever_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))
    assert {tuple(normalize_employment_types(p["categories"]["commitment"])) for p in lever} == {("FULL_TIME",)}
    ashby = json.loads((ats / "ashby_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))["jobs"]
    assert [normalize_employment_types(j["employmentType"]) for j in ashby] == [["FULL_TIME"], ["FULL_TIME"]]
    smart = json.loads(
        (DATA / "ats_payloads_extra" / "smartrecruiters_aboutyou_postings_plin-code.json").read_text(encoding="utf-8")
    )["content"]
    assert [normalize_employment_types(p.get("typeOfEmployment")) for p in smart] == [["INTERN"], ["INTERN"], []]
    usajobs = json.loads((ats / "usajobs_search_response_2022_chipembere_usagovjobs.json").read_text(encoding="utf-8"))
    schedules = [
        normalize_employment_types(item["MatchedObjectDescriptor"]["PositionSchedule"])
        for item in usajobs["SearchResult"]["SearchResultItems"]
    ]
    assert schedules == [["FULL_TIME"], ["FULL_TIME"]]


def test_real_hellowork_employment_column() -> None:
    path = DATA / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    if not path.exists():
        pytest.skip(f"{path} not found")
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        values = [row["employment_type"] for row in csv.DictReader(handle)]
    mapped = {value: normalize_employment_types(value) for value in values}
    assert mapped == {"正社員": ["FULL_TIME"], "正社員以外": ["OTHER"]}


@pytest.mark.parametrize(
    "text",
    [
        "時計エキスパート",  # a job title: a watch specialist
        "パートナーアカウントマネージャー",  # a job title: partner account manager
        "株式会社パートナー",  # an employer name (Hello Work)
        "グリーン物流パートナーズ株式会社",  # an employer name
        "電通オペレーション・パートナーズ",  # an employer name after ・
        "アパート・マンションの清掃",
        "デパートの化粧品売場",
        "レパートリーを広げる",
        "パーティー会場の設営",
        "ＭＯＳ　Ｅｘｃｅｌエキスパート",  # a certificate named in a description
    ],
)
def test_part_inside_another_word_is_not_part_time(text: str) -> None:
    assert normalize_employment_types(None, text) == []
    assert "PART_TIME" not in normalize_employment_types(text)


@pytest.mark.parametrize(
    "text",
    [
        "パート",
        "パート・アルバイト",
        "アルバイト・パート",
        "パート/アルバイト",
        "パート／アルバイト",
        "パートタイム",
        "パートタイマー",
        "パート社員",
        "パート勤務",
        "パートスタッフ募集",
        "介護職員（パート）",
        "【未経験OK】一般事務（パート）",
        "ﾊﾟｰﾄ",  # half-width katakana, folded
        "ママパート歓迎",
        "時計エキスパート（パート）",  # the word after a look-alike
    ],
)
def test_part_as_a_word_is_part_time(text: str) -> None:
    assert normalize_employment_types(None, text) == ["PART_TIME"]
    assert normalize_employment_types(text) == ["PART_TIME"]


def test_employer_named_partner_keeps_the_stated_type() -> None:
    assert normalize_employment_types(None, "株式会社パートナー　正社員募集") == ["FULL_TIME"]
    assert normalize_employment_types(None, "パートナーアカウントマネージャー（契約社員）") == ["TEMPORARY"]

"""Reasons speak the page's language: a Japanese profile reads every reason in Japanese, an
English one reads the English it always did. Hand-built listings (their text is written for
these tests); each case is ranked twice, once per stated language, on the same listings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pytest

from pipeline.canonical import EMPLOYMENT_TYPES, SENIORITY_LEVELS, SUSPICIOUS_REASONS
from pipeline.signals.vocabulary import CONSTRAINT_TAGS, SUPPORTIVE_TAGS
from ranker.feedback import FeedbackSignals, LikedListing
from ranker.listing_features import RIASEC
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from ranker.wording import LANGUAGES, NAMES, TEMPLATES, Names, grouped, say

NOW = datetime(2026, 11, 26)
TOKYO = [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}]
JOBTAG_CLERK = {"taxonomy": "jobtag", "code": "428", "title": "一般事務", "confidence": 0.9}
CLERK_INTERESTS = {"R": 3.1, "I": 2.8, "A": 2.6, "S": 3.2, "E": 2.9, "C": 3.3}
CARE_INTERESTS = {"R": 3.0, "I": 2.0, "A": 2.0, "S": 4.8, "E": 2.5, "C": 1.5}
# English that must never reach a Japanese reason.
ENGLISH_WORDS = re.compile(r"\b(?:does|not|fits?|listing|meets?|says|mentions|asks|your|you|the|pay|hours|role)\b",
                           re.IGNORECASE)


def _row(i: int, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"w{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": TOKYO, "remote": "onsite", "employment_types": ["PART_TIME"],
        "hours_per_week": {"min": 10.0, "max": 20.0},
        "salary": {"min": 1200.0, "max": None, "currency": "JPY", "unit": "HOUR", "text": None},
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title, "against": [],
    }
    row.update(extra)
    return row


def _signal(tag: str, evidence: str) -> dict[str, str]:
    return {"tag": tag, "evidence": evidence, "source": "text"}


@dataclass
class Case:
    """One reason: the listing it is about, the profile that asks for it, which reason (kind,
    tag), words its Japanese must carry, and its English exactly as it always read."""

    name: str
    row: dict[str, Any]
    profile: dict[str, Any]
    kind: str
    tag: str | None
    ja_words: tuple[str, ...]
    en_text: str
    ascii_ok: frozenset[str] = field(default_factory=frozenset)  # the person's or a source's own words
    nth: int | None = None  # which of several reasons of that kind and tag (None: there is one)


CASES = [
    Case("title", _row(0, "データ入力スタッフ"), {"desired_titles": ["データ入力"]}, "relevance", None,
         ("タイトル", "データ入力"), "the title matches what you are looking for: データ入力"),
    Case("similar", _row(0, "データ入力業務 担当者"), {"desired_titles": ["データ入力担当"]}, "relevance", None,
         ("プロフィール", "近い"), "the job's title and description resemble your profile"),
    Case("skills", _row(0, "一般事務", description="一般事務。ExcelとWordを使います。"),
         {"desired_titles": ["一般事務"], "skills": ["Excel", "Word"]}, "relevance", None,
         ("スキル", "Excel、Word"), "uses your skills: Excel, Word", frozenset({"Excel", "Word"}), nth=1),
    Case("far", _row(0, "倉庫内軽作業"), {"desired_titles": ["データ入力"]}, "misses", "relevance",
         ("近くない",), "not close to what you asked for: it shares little with your titles, skills and summary"),
    Case("interest", _row(0, "一般事務", occupation=JOBTAG_CLERK, occupation_interests=CLERK_INTERESTS),
         {"desired_titles": ["一般事務"], "interests": {"C": 5, "R": 1, "I": 1, "A": 1, "S": 1, "E": 1}},
         "interest", "interest_fit", ("慣習的", "共通", "一般事務", "相性"),
         "your strongest interests C (Conventional) share C with this occupation's C (Conventional), S (Social) "
         "(一般事務; job tag 職業興味; fit 0.79)", frozenset({"job", "tag"})),
    Case("interest_apart", _row(0, "一般事務", occupation=JOBTAG_CLERK, occupation_interests=CARE_INTERESTS),
         {"desired_titles": ["一般事務"], "interests": {"C": 5, "R": 1, "I": 1, "A": 1, "S": 1, "E": 1}},
         "lacks", "interest_fit", ("社会的", "慣習的", "異なります"),
         "this occupation's strongest interests are S (Social), R (Realistic); yours are C (Conventional) "
         "(一般事務; job tag 職業興味; fit 0.26)", frozenset({"job", "tag"})),
    Case("interest_unknown", _row(0, "一般事務"), {"desired_titles": ["一般事務"], "interests": {"C": 5, "R": 1}},
         "caveat", "interest_fit", ("職業", "判断していません"),
         "the occupation of this listing is not known, so interest fit was not judged"),
    Case("need_met", _row(0, "一般事務", signals=[_signal("career_gap_ok", "ブランクOK")]),
         {"desired_titles": ["一般事務"], "needs": ["career_gap_ok"]}, "need", "career_gap_ok",
         ("ご希望に合う", "ブランク"), "meets your need: a gap in work history is welcome"),
    Case("need_against", _row(0, "一般事務", against=[_signal("no_experience_ok", "経験者のみ")]),
         {"desired_titles": ["一般事務"], "needs": ["no_experience_ok"]}, "lacks", "no_experience_ok",
         ("反対", "未経験"), "says the opposite of: no experience needed"),
    Case("need_unstated", _row(0, "一般事務"), {"desired_titles": ["一般事務"], "needs": ["low_social_load"]},
         "lacks", "low_social_load", ("書かれていません", "接客や電話"),
         "does not say: little customer or phone contact"),
    Case("hours_meets", _row(0, "一般事務"),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 20}}, "constraint", "hours",
         ("満たしています", "週20時間"), "fits your limit: at most 20 hours a week"),
    Case("type_meets", _row(0, "一般事務"),
         {"desired_titles": ["一般事務"], "constraints": {"employment_types": ["PART_TIME", "FULL_TIME"]}},
         "constraint", "employment_type", ("パート・アルバイト", "正社員・フルタイム"),
         "fits your limit: employment type PART_TIME/FULL_TIME"),
    Case("pay_meets", _row(0, "一般事務"),
         {"desired_titles": ["一般事務"], "constraints": {"min_salary": {"amount": 1100, "currency": "JPY",
                                                                         "unit": "HOUR"}}},
         "constraint", "min_salary", ("時給1,100円以上",), "fits your limit: pay of at least 1100 JPY per hour"),
    Case("remote_meets", _row(0, "一般事務", remote="remote"),
         {"desired_titles": ["一般事務"], "constraints": {"remote": "required"}}, "constraint", "remote",
         ("完全在宅勤務",), "fits your limit: fully remote work"),
    Case("location_remote", _row(0, "一般事務", remote="remote", locations=[], remote_regions=["JP"]),
         {"desired_titles": ["一般事務"], "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}},
         "constraint", "location", ("東京都", "在宅勤務", "日本に住んでいる人"),
         "fits your limit: work in 東京都 (remote, open to residents of JP)"),
    Case("hours_unknown", _row(0, "一般事務", hours_per_week=None),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 20}}, "unknown", "hours",
         ("勤務時間が書かれていません",), "does not say its hours"),
    Case("hours_assumed", _row(0, "一般事務", hours_per_week=None, employment_types=["FULL_TIME"]),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 40}}, "unknown", "hours",
         ("勤務時間が書かれていません", "週35時間"), "does not say its hours (full-time, taken as about 35 a week)"),
    Case("type_unknown", _row(0, "一般事務", employment_types=[]),
         {"desired_titles": ["一般事務"], "constraints": {"employment_types": ["PART_TIME"]}}, "unknown",
         "employment_type", ("雇用形態が書かれていません",), "does not say its employment type"),
    Case("where_unknown", _row(0, "一般事務", locations=[]),
         {"desired_titles": ["一般事務"], "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}},
         "unknown", "location", ("勤務地が書かれていません",), "does not say where"),
    Case("remote_where_unknown", _row(0, "一般事務", remote="remote", locations=[]),
         {"desired_titles": ["一般事務"], "constraints": {"locations": [{"country": "JP", "region": "東京都"}]}},
         "unknown", "location", ("在宅勤務", "どこから働けるか"), "remote, does not say from where"),
    Case("pay_unknown", _row(0, "一般事務", salary=None),
         {"desired_titles": ["一般事務"], "constraints": {"min_salary": {"amount": 1100, "currency": "JPY",
                                                                         "unit": "HOUR"}}},
         "unknown", "min_salary", ("給与が書かれていません",), "does not say its pay"),
    Case("pay_currency", _row(0, "一般事務", salary={"min": 20.0, "max": None, "currency": "USD", "unit": "HOUR",
                                                    "text": None}),
         {"desired_titles": ["一般事務"], "constraints": {"min_salary": {"amount": 1100, "currency": "JPY",
                                                                         "unit": "HOUR"}}},
         "unknown", "min_salary", ("米ドル", "比べていません"), "pays in USD, not compared with your minimum"),
    Case("remote_unknown", _row(0, "一般事務", remote=None),
         {"desired_titles": ["一般事務"], "constraints": {"remote": "avoid"}}, "unknown", "remote",
         ("在宅勤務", "書かれていません"), "does not say whether it is done remotely or on site"),
    Case("hours_misses", _row(0, "一般事務", hours_per_week={"min": 30.0, "max": 40.0}),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 20}}, "misses", "hours",
         ("合いません", "週20時間"), "does not meet: at most 20 hours a week"),
    Case("hours_required", _row(0, "一般事務", hours_per_week=None),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 20, "require_stated": ["hours"]}},
         "misses", "hours", ("合いません", "勤務時間が書かれていません", "書かれている求人だけ"),
         "does not meet: at most 20 hours a week (does not say its hours, and you asked for it to be stated)"),
    Case("hours_caveat", _row(0, "一般事務", hours_per_week=None, employment_types=["FULL_TIME"]),
         {"desired_titles": ["一般事務"], "constraints": {"max_hours_per_week": 20}}, "caveat", None,
         ("フルタイム", "週35時間"), "hours not stated; full-time assumed to be about 35 a week"),
    Case("avoid_mentioned", _row(0, "一般事務", signals=[_signal("night_shift", "夜勤あり")]),
         {"desired_titles": ["一般事務"], "avoid": ["night_shift"]}, "lacks", "night_shift",
         ("夜勤について書かれています",), "mentions night shift"),
    Case("avoid_misses", _row(0, "一般事務", signals=[_signal("night_shift", "夜勤あり")]),
         {"desired_titles": ["一般事務"], "avoid": ["night_shift", "sales_quota"]}, "misses", "avoid",
         ("避けたいこと", "夜勤、ノルマ"), "does not meet: none of: night_shift, sales_quota"),
    Case("level", _row(0, "一般事務", seniority="senior"),
         {"desired_titles": ["一般事務"], "experience": {"level": "entry"}}, "lacks", "experience",
         ("経験豊富な人向け", "初心者"), "a senior role; you describe your level as entry"),
    Case("level_beginner", _row(0, "一般事務", seniority="lead"),
         {"desired_titles": ["一般事務"], "needs": ["no_experience_ok"]}, "lacks", "experience",
         ("リーダーや管理職向け", "未経験"), "a lead role; you asked for work open to people without experience"),
    Case("years", _row(0, "一般事務", experience_years_min=5.0),
         {"desired_titles": ["一般事務"], "experience": {"years": 1}}, "lacks", "experience",
         ("経験5年以上", "1年"), "asks for 5+ years of experience; you have 1"),
    Case("years_none", _row(0, "一般事務", experience_years_min=3.0),
         {"desired_titles": ["一般事務"], "experience": {"level": "none"}}, "lacks", "experience",
         ("経験3年以上", "これから"), "asks for 3+ years of experience; you have none"),
    Case("commission", _row(0, "法人営業", suspicious=["commission_only"]), {"desired_titles": ["法人営業"]},
         "lacks", "commission_only", ("完全歩合制",), "pay is commission only"),
    Case("pay_to_start", _row(0, "法人営業", suspicious=["pay_to_start"]), {"desired_titles": ["法人営業"]},
         "lacks", "pay_to_start", ("お金を払う",), "asks you to pay before you start"),
]


def _reason(case: Case, language: str) -> dict[str, str]:
    profile = parse_profile({**case.profile, "language": language})
    page = recommend(ServingIndex.build("t", [case.row], None), profile, k=1, now=NOW)
    found = [r for r in page.results[0].reasons if r["kind"] == case.kind and r.get("tag") == case.tag]
    if case.nth is not None:
        return found[case.nth]
    assert len(found) == 1, (case.name, page.results[0].reasons)
    return found[0]


def _assert_japanese(text: str, allowed: frozenset[str] = frozenset()) -> None:
    assert re.search(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]", text), text
    assert ENGLISH_WORDS.search(text) is None, text
    assert set(re.findall(r"[A-Za-z]+", text)) <= allowed, text


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_japanese_profile_reads_the_reason_in_japanese(case: Case) -> None:
    reason = _reason(case, "ja")
    _assert_japanese(reason["text"], case.ascii_ok)
    for word in case.ja_words:
        assert word in reason["text"], (word, reason["text"])


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_an_english_profile_reads_the_reason_as_before(case: Case) -> None:
    assert _reason(case, "en")["text"] == case.en_text


def test_unknown_is_never_said_to_fit() -> None:
    for case in CASES:
        if case.kind == "unknown":
            text = _reason(case, "ja")["text"]
            assert "合っています" not in text and "満たしています" not in text and "合います" not in text


def test_evidence_stays_in_the_listings_words() -> None:
    need = next(case for case in CASES if case.name == "need_met")
    against = next(case for case in CASES if case.name == "need_against")
    for language in LANGUAGES:
        assert _reason(need, language)["evidence"] == "ブランクOK"
        assert _reason(need, language)["source"] == "text"
        assert _reason(against, language)["evidence"] == "経験者のみ"


@pytest.mark.parametrize(("language", "same", "similar"), [
    ("ja", "保存した求人です", "保存した求人に似ています：一般事務 0（似ている度合い 0.80）"),
    ("en", "you saved this job", "similar to a job you saved: 一般事務 0 (similarity 0.80)"),
])
def test_feedback_reasons_follow_the_page_language(language: str, same: str, similar: str) -> None:
    rows = [_row(i, f"一般事務 {i}") for i in range(3)]
    vectors = np.eye(3, 4, dtype=np.float32)
    vectors[2] = vectors[0] * 0.8 + vectors[1] * 0.6
    liked = FeedbackSignals(liked=[LikedListing("w00", "一般事務 0", "saved", vectors[0])])
    page = recommend(ServingIndex.build("t", rows, vectors), parse_profile({"desired_titles": ["一般事務"],
                                                                           "language": language}),
                     k=3, now=NOW, feedback=liked)
    feedback = {r.listing["id"]: [x["text"] for x in r.reasons if x["kind"] == "feedback"] for r in page.results}
    assert feedback["w00"] == [same] and feedback["w02"] == [similar]


def test_a_profile_without_a_stated_language_reads_its_own() -> None:
    case = next(case for case in CASES if case.name == "hours_unknown")
    english = {**case.profile, "desired_titles": ["Office assistant"]}
    rows = [{**case.row, "title": "Office assistant", "description": "Office assistant", "language": "en"}]
    for profile, text in ((case.profile, "勤務時間が書かれていません"), (english, "does not say its hours")):
        page = recommend(ServingIndex.build("t", rows, None), parse_profile(profile), k=1, now=NOW)
        assert {"kind": "unknown", "tag": "hours", "text": text} in page.results[0].reasons


def test_every_template_and_name_exists_in_both_languages() -> None:
    assert set(TEMPLATES["en"]) == set(TEMPLATES["ja"])
    for tag in SUPPORTIVE_TAGS:
        assert tag in NAMES["en"]["need"] and tag in NAMES["ja"]["need"], tag
    for tag in CONSTRAINT_TAGS:
        assert tag in NAMES["ja"]["avoid"], tag
    for reason in SUSPICIOUS_REASONS:
        assert reason in NAMES["en"]["suspicious"] and reason in NAMES["ja"]["suspicious"], reason
    assert set(NAMES["ja"]["employment_type"]) == set(EMPLOYMENT_TYPES)
    assert set(NAMES["ja"]["listing_level"]) == set(SENIORITY_LEVELS)
    assert set(NAMES["en"]["interest"]) == set(NAMES["ja"]["interest"]) == set(RIASEC)
    for template in TEMPLATES["ja"].values():
        words = re.sub(r"\{[^}]*\}", "", template)
        if words:
            _assert_japanese(words, frozenset({"job", "tag", "O", "NET", "ippo", "refresh"}))


def test_names_and_figures_read_naturally() -> None:
    types = Names.of("employment_type", ["PART_TIME", "FULL_TIME"], "/")
    assert types.render("ja") == "パート・アルバイト、正社員・フルタイム"
    assert types.render("en") == "PART_TIME/FULL_TIME"
    assert Names.of("interest", ["S", "C"]).render("ja") == "社会的・慣習的"
    assert Names.of("region", ["JP", "XX"]).render("ja") == "日本、XX"  # an unnamed code is shown as it is
    assert grouped(1100.0) == "1,100" and grouped(3_000_000.0) == "3,000,000" and grouped(12.5) == "12.5"
    assert say("ja", "wish.hours", limit=20.0) == "勤務時間（週20時間まで）"
    with pytest.raises(KeyError, match="no 'ja' template 'nothing'"):
        say("ja", "nothing")
    with pytest.raises(KeyError, match="needs the value 'limit'"):
        say("en", "wish.hours")

"""Worked examples of the supportive-signal tagger, in Japanese and English."""

from __future__ import annotations

import pytest

from pipeline.signals.tagger import (
    ALL_TAGS,
    CONSTRAINT_TAGS,
    SUPPORTIVE_TAGS,
    detect_lang,
    merge_signals,
    negated_tags,
    tag_structured,
    tag_text,
    tag_text_detailed,
)


def tags(text: str, lang: str | None = None) -> set[str]:
    return {s["tag"] for s in tag_text(text, lang)}


def against(text: str, lang: str | None = None) -> set[str]:
    return {s["tag"] for s in negated_tags(text, lang)}


def test_tag_tuples_cover_the_documented_tags() -> None:
    assert SUPPORTIVE_TAGS == (
        "no_experience_ok",
        "career_gap_ok",
        "remote_ok",
        "short_hours",
        "flexible_schedule",
        "training_provided",
        "gradual_start",
        "disability_employment",
        "accommodations",
        "on_the_job_support",
        "low_social_load",
        "neurodiversity",
        "fair_chance",
        "youth_friendly",
        "income_cap_friendly",
    )
    assert CONSTRAINT_TAGS == ("night_shift", "rotating_shift", "sales_quota", "heavy_overtime", "relocation")
    assert ALL_TAGS == SUPPORTIVE_TAGS + CONSTRAINT_TAGS


JA_EXAMPLES = [
    ("no_experience_ok", "☆未経験OK", "未経験OK"),
    ("no_experience_ok", "警備などの経験は必要ありません！", "経験は必要ありません"),
    ("career_gap_ok", "ブランクのある方、経験の浅い方も安心の研修制度", "ブランクのある方"),
    ("remote_ok", "・リモートワーク可能なシステム設計・開発業務のお仕事です。", "リモート"),
    ("short_hours", "1日4時間～、週3日からOK", "1日4時間～"),
    ("flexible_schedule", "週2回～OK!六本木ヒルズの駐車場警備管理", "週2回～"),
    ("training_provided", "【主な仕事内容】※機器の使い方は先輩が教えます。", "先輩が教え"),
    ("gradual_start", "トライアル雇用を経て正社員登用", "トライアル雇用"),
    ("disability_employment", "障がい者雇用枠での募集です", "障がい者雇用"),
    ("accommodations", "通院への配慮があります", "通院への配慮"),
    ("on_the_job_support", "ジョブコーチが定期的に訪問します", "ジョブコーチ"),
    ("low_social_load", "接客なし・電話対応なしのお仕事", "接客なし"),
    ("neurodiversity", "発達障害のある方も活躍中", "発達障害"),
    ("fair_chance", "当社は協力雇用主として登録しています", "協力雇用主"),
    ("youth_friendly", "第二新卒歓迎 技術系総合職", "第二新卒"),
    ("income_cap_friendly", "扶養内勤務OK", "扶養内"),
    ("night_shift", "・勤務体制：日勤・夜勤", "夜勤"),
    ("rotating_shift", "2交替制の勤務です", "2交替"),
    ("sales_quota", "個人ノルマあり", "ノルマ"),
    ("heavy_overtime", "残業月45時間程度", "残業月45時間"),
    ("relocation", "全国転勤あり", "全国転勤"),
]

EN_EXAMPLES = [
    ("no_experience_ok", "Entry Level Crypto Market Specialist", "Entry Level"),
    ("career_gap_ok", "Our returnship is for people returning after a career break.", "returnship"),
    ("remote_ok", "All of our roles are 100% remote so you'll be able to work from home.", "remote"),
    ("short_hours", "Available 8 to 20 hours per week", "8 to 20 hours per week"),
    ("flexible_schedule", "Flexible working hours", "Flexible working hours"),
    (
        "training_provided",
        "Participate in weekly training and mentorship sessions",
        "training and mentorship",
    ),
    ("gradual_start", "Internship dates: June 1, 2026 - August 14, 2026", "Internship"),
    (
        "disability_employment",
        "Veterans and persons with disabilities are encouraged to apply.",
        "persons with disabilities are encouraged",
    ),
    (
        "accommodations",
        "Reasonable accommodations are available for this assessment.",
        "Reasonable accommodations",
    ),
    ("on_the_job_support", "- Employee Assistance Program", "Employee Assistance"),
    ("low_social_load", "Back office role with no customer contact.", "Back office"),
    ("neurodiversity", "We run a neurodiversity hiring program.", "neurodiversity"),
    ("fair_chance", "Pursuant to the San Francisco Fair Chance Ordinance, we consider all.", "Fair Chance"),
    ("youth_friendly", "Customer Experience Associate, Pathways - New Graduates", "New Graduates"),
    ("income_cap_friendly", "Hours can stay within benefit earnings limits.", "benefit earnings limits"),
    ("night_shift", "Mechatronics Technician I - 3rd Shift", "3rd Shift"),
    ("rotating_shift", "This role works rotating shifts.", "rotating shifts"),
    ("sales_quota", "You will be expected to meet monthly sales quotas.", "meet monthly sales quotas"),
    ("heavy_overtime", "Mandatory overtime during peak season.", "Mandatory overtime"),
    ("relocation", "Relocation required to our Denver office.", "Relocation required"),
]


@pytest.mark.parametrize(("tag", "text", "evidence"), JA_EXAMPLES + EN_EXAMPLES)
def test_worked_example_raises_tag_with_evidence(tag: str, text: str, evidence: str) -> None:
    found = {s["tag"]: s for s in tag_text(text)}
    assert tag in found
    assert found[tag]["evidence"] == evidence
    assert found[tag]["source"] == "text"


def test_every_tag_has_a_worked_example_in_both_languages() -> None:
    ja_tags = {t for t, _, _ in JA_EXAMPLES}
    en_tags = {t for t, _, _ in EN_EXAMPLES}
    assert en_tags == set(ALL_TAGS)
    assert ja_tags == set(ALL_TAGS)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("未経験不可", "no_experience_ok"),
        ("経験者のみ募集しています。", "no_experience_ok"),
        ("要経験3年以上", "no_experience_ok"),
        ("在宅勤務不可", "remote_ok"),
        ("研修なし", "training_provided"),
        ("提案営業／ノルマなし／年間休日120日", "sales_quota"),
        ("駅近・転勤なしで三重県で長く働いてい...", "relocation"),
        ("※原則として、残業はありません", "heavy_overtime"),
        ("no remote", "remote_ok"),
        ("On-site only.", "remote_ok"),
        ("Must have 5+ years of experience in retail.", "no_experience_ok"),
        ("This is not a remote position.", "remote_ok"),
    ],
)
def test_negated_phrase_is_evidence_against_and_does_not_raise(text: str, tag: str) -> None:
    assert tag not in tags(text)
    assert tag in against(text)


def test_detailed_result_keeps_both_sides() -> None:
    result = tag_text_detailed("未経験歓迎。ただし夜勤なし、在宅勤務不可。")
    assert [s["tag"] for s in result["raised"]] == ["no_experience_ok"]
    assert {s["tag"]: s["evidence"] for s in result["against"]} == {
        "night_shift": "夜勤なし",
        "remote_ok": "在宅勤務不可",
    }


def test_traps_from_real_listings_raise_nothing() -> None:
    # 在宅 in a pharmacy listing is home-visit care, not remote work.
    assert tags("管理薬剤師、調剤、監査、投薬、薬歴管理、在宅") == set()
    # Benefits and EEO statements mention disability without being disability employment.
    assert tags("100% employer-paid medical, dental and disability, with vision option") == set()
    # Mentoring others is not being mentored; clinical trials are not work trials.
    assert tags("Lead and mentor a small engineering team through code reviews") == set()
    assert tags("Mural Health makes clinical trials easier for participants.") == set()
    assert tags("Able to travel including travelling to remote sites.") == set()


def test_width_folding_and_spelling_variants_are_equivalent() -> None:
    assert tags("未経験ＯＫ") == tags("未経験OK") == {"no_experience_ok"}
    assert tags("週２・３日～ＯＫ") == tags("週2・3日~OK") == tags("週2・3日〜OK") == {"flexible_schedule"}
    for spelling in ("障害者雇用", "障がい者雇用", "障碍者雇用"):
        assert tags(spelling) == {"disability_employment"}
    assert tags("残業月４５時間") == {"heavy_overtime"}
    assert tags("ﾘﾓｰﾄﾜｰｸ可") == {"remote_ok"}  # half-width katakana


def test_evidence_is_the_original_span_even_after_folding() -> None:
    text = "【急募】未経験ＯＫ！週２・３日～ＯＫ、障がい者雇用枠"
    found = {s["tag"]: s["evidence"] for s in tag_text(text)}
    assert found == {
        "no_experience_ok": "未経験ＯＫ",
        "flexible_schedule": "週２・３日～",
        "disability_employment": "障がい者雇用",
    }
    for evidence in found.values():
        assert evidence in text


def test_evidence_offsets_survive_length_changing_characters() -> None:
    # ㈱ folds to three characters and ﾃﾞ to one: spans must still come from the original.
    text = "㈱サンプル ﾃﾞｰﾀ入力 ①未経験ＯＫ ②在宅勤務可"
    found = {s["tag"]: s["evidence"] for s in tag_text(text)}
    assert found == {"no_experience_ok": "未経験ＯＫ", "remote_ok": "在宅勤務"}


def test_language_detection_and_override() -> None:
    assert detect_lang("未経験OK") == "ja"
    assert detect_lang("Entry level") == "en"
    assert tags("Entry level", lang="ja") == set()
    with pytest.raises(ValueError, match="lang 'fr'"):
        tag_text("x", lang="fr")


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match="expected text"):
        tag_text(None)  # type: ignore[arg-type]
    assert tag_text("") == []


def test_structured_fields() -> None:
    assert tag_structured(
        {"jobLocationType": "TELECOMMUTE", "employmentType": ["FULL_TIME", "PART_TIME"]}
    ) == [
        {"tag": "remote_ok", "evidence": "jobLocationType: TELECOMMUTE", "source": "structured"},
        {"tag": "short_hours", "evidence": "employmentType: PART_TIME", "source": "structured"},
    ]
    # Japanese パート often means full days, so PART_TIME is no evidence of short hours there.
    assert tag_structured({"title": "駐車場スタッフ", "employmentType": "PART_TIME"}) == []
    assert tag_structured({"workplaceType": "hybrid"})[0]["evidence"] == "workplaceType: hybrid"
    assert tag_structured({"workplaceType": "OnSite", "isRemote": False}) == []
    usajobs = {"MatchedObjectDescriptor": {"UserArea": {"Details": {"HiringPath": ["public", "disability"]}}}}
    assert tag_structured(usajobs) == [
        {
            "tag": "disability_employment",
            "evidence": "UserArea.Details.HiringPath: disability",
            "source": "structured",
        }
    ]
    with pytest.raises(TypeError, match="posting object"):
        tag_structured("TELECOMMUTE")  # type: ignore[arg-type]


def test_merge_prefers_structured_and_keeps_order() -> None:
    text = tag_text("未経験OK・在宅勤務可")
    structured = tag_structured({"jobLocationType": "TELECOMMUTE"})
    merged = merge_signals(text, structured)
    assert [s["tag"] for s in merged] == ["no_experience_ok", "remote_ok"]
    assert merged[1]["source"] == "structured"
    assert merge_signals() == []


def test_half_width_kana_with_sound_marks_match_and_keep_their_evidence() -> None:
    result = tag_text_detailed("ﾌﾞﾗﾝｸOK！未経験歓迎", "ja")
    assert {s["tag"]: s["evidence"] for s in result["raised"]} == {
        "career_gap_ok": "ﾌﾞﾗﾝｸOK", "no_experience_ok": "未経験歓迎"}


def test_mojibake_is_matched_repaired_and_cut_from_the_original() -> None:
    text = "Freelance | 8\u00e2\u0080\u009320 hrs/week, remote"
    evidence = {s["tag"]: s["evidence"] for s in tag_text_detailed(text, "en")["raised"]}
    assert evidence["short_hours"] == "8\u00e2\u0080\u009320 hrs/week"

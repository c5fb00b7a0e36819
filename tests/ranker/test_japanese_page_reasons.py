"""A whole page for a Japanese profile, end to end: listings written as a serving snapshot (the
publish writer), loaded as the API and CLI load it, ranked for the evaluation profile
ja_data_entry_tokyo.json, and every reason read in Japanese. Hand-built listings (their text is
written for this test)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.generated_snapshot import write_snapshot
from ranker.feedback import FeedbackSignals, LikedListing
from ranker.present import page_to_dict, page_to_text
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.conftest import ROOT

NOW = datetime(2026, 11, 26)
PROFILE = ROOT / "benchmarks" / "data" / "recommend_eval" / "profiles" / "ja_data_entry_tokyo.json"
TOKYO = [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}]
CLERK = {"taxonomy": "jobtag", "code": "428", "title": "一般事務", "confidence": 0.9}
KINDS = {"relevance", "interest", "need", "feedback", "constraint", "unknown", "caveat", "misses", "lacks"}
# The profile's own words (skills) and a source's name may stay in Latin letters; nothing else.
OWN_WORDS = {"Excel", "Word", "job", "tag"}


def _row(i: int, title: str, description: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"j{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"株式会社テスト{i}", "normalized_name": f"テスト{i}", "registry_tags": []},
        "locations": TOKYO, "remote": "onsite", "employment_types": ["PART_TIME"],
        "hours_per_week": {"min": 10.0, "max": 20.0},
        "salary": {"min": 1200.0, "max": None, "currency": "JPY", "unit": "HOUR", "text": None},
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": CLERK, "duplicate_of": None, "description": description,
    }
    row.update(extra)
    return row


def _signal(tag: str, evidence: str) -> dict[str, str]:
    return {"tag": tag, "evidence": evidence, "source": "text"}


ROWS = [
    _row(0, "データ入力スタッフ", "データ入力のお仕事です。Excelとタイピングを使います。ブランクOK。",
         signals=[_signal("career_gap_ok", "ブランクOK")]),
    _row(1, "一般事務（経験者のみ）", "一般事務。経験者のみ募集します。夜勤あり。",
         signals=[_signal("night_shift", "夜勤あり")], hours_per_week=None, employment_types=["FULL_TIME"],
         seniority="senior"),
    _row(2, "事務補助", "事務補助のお仕事です。", locations=[], employment_types=[], hours_per_week=None,
         occupation=None),
    _row(3, "データ入力（在宅）", "データ入力の在宅ワークです。", remote="remote", locations=[], remote_regions=["JP"]),
    _row(4, "倉庫内軽作業", "倉庫で荷物を仕分けます。", occupation=None),
]


def _page(tmp_path: Path) -> Any:
    vectors = np.eye(len(ROWS), 8, dtype=np.float32)
    vectors[3] = vectors[0] * 0.8 + vectors[4] * 0.6  # the remote listing resembles the saved one
    snapshot = write_snapshot(ROWS, vectors, tmp_path / "serving", version="20261126T000000Z")
    index = ServingIndex.from_snapshot(snapshot, cache_root=tmp_path / "cache")
    profile = parse_profile(json.loads(PROFILE.read_text(encoding="utf-8")))
    saved = FeedbackSignals(liked=[LikedListing("j00", "データ入力スタッフ", "saved", vectors[0])])
    return recommend(index, profile, k=5, now=NOW, feedback=saved)


def test_every_reason_on_a_japanese_page_is_japanese(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert len(page.results) == len(ROWS)
    reasons = [reason for result in page.results for reason in result.reasons]
    assert {reason["kind"] for reason in reasons} == KINDS  # every kind is on this page
    for reason in reasons:
        text = reason["text"]
        assert re.search(r"[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff]", text), reason
        assert set(re.findall(r"[A-Za-z]+", text)) <= OWN_WORDS, reason
    # The listing's own words stay as the listing wrote them.
    by_tag = {(result.listing["id"], reason.get("tag")): reason for result in page.results
              for reason in result.reasons}
    assert by_tag[("j00", "career_gap_ok")]["evidence"] == "ブランクOK"
    assert by_tag[("j01", "night_shift")]["evidence"] == "夜勤あり"
    assert by_tag[("j01", "no_experience_ok")]["evidence"] == "経験者のみ"  # tagged at publish
    assert by_tag[("j02", "hours")]["text"] == "勤務時間が書かれていません"
    assert by_tag[("j03", "location")]["text"] == (
        "ご希望の条件を満たしています：勤務地（東京都）。在宅勤務で、日本に住んでいる人が対象です")


def test_the_api_shape_and_the_cli_text_carry_the_japanese_reasons(tmp_path: Path) -> None:
    page = _page(tmp_path)
    shown = page_to_dict(page)
    first = shown["results"][0]
    assert all(set(reason) <= {"kind", "tag", "text", "evidence", "source"} for reason in first["reasons"])
    text = page_to_text(page)
    assert "- [unknown] 勤務時間が書かれていません" in text
    assert "- [constraint] ご希望の条件を満たしています：雇用形態（パート・アルバイト）" in text
    assert "does not" not in text and "fits your limit" not in text

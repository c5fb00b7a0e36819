"""What one result shows, from the API's result dict: signs with the listing's words, the
employer's recognitions apart, hours in the listing's unit, and distance and support nearby only
when the result carries them."""

from __future__ import annotations

from api.page.catalogue import Words
from api.page.results import result_view

RESULT = {
    "rank": 3, "id": "p01", "title": "データ入力", "employer": None, "location": "東京都 新宿区",
    "salary": {"min": 1100, "max": 1300, "currency": "JPY", "unit": "HOUR"}, "hours_per_week": {"min": 10, "max": 10},
    "employment_types": ["PART_TIME"],
    "signals": [{"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "text"},
                {"tag": "cert_monisu", "evidence": "もにす認定", "source": "registry"}],
    "reasons": [{"kind": "need", "text": "ブランクがあっても歓迎", "evidence": "ブランクOK"},
                {"kind": "unknown", "text": "給与の単位が書かれていません"}],
}


def test_a_result_shows_its_signs_recognitions_and_what_it_does_not_say() -> None:
    shown = result_view(RESULT, Words("ja"))
    gap = "働いていない期間（ブランク）があっても歓迎"
    assert [(s.label, s.evidence) for s in shown.signs] == [(gap, "ブランクOK")]
    assert [(s.label, s.evidence) for s in shown.certifications] == [("障害者雇用（もにす認定）", "もにす認定")]
    assert [s.label for s in shown.why] == ["ブランクがあっても歓迎"]
    assert [s.label for s in shown.worth_knowing] == ["給与の単位が書かれていません"]
    assert shown.employer == "企業名の記載なし" and shown.hours == "週10時間"
    assert shown.employment == "パート・アルバイト"
    assert shown.commute is None and shown.support_nearby == []


def test_distance_and_support_nearby_are_shown_when_the_result_has_them() -> None:
    office = {"name": "ハローワーク新宿", "service_type": "hellowork", "distance_km": 1.2}
    shown = result_view(RESULT | {"commute_km": 3.24, "support_nearby": [office]}, Words("en"))
    assert shown.commute == "About 3.2 km from your home (approximate, in a straight line)"
    assert len(shown.support_nearby) == 1 and "ハローワーク新宿" in shown.support_nearby[0]
    assert shown.hours == "10 hours a week"

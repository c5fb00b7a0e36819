"""Commission-only, pay-to-start and MLM listings: hidden from people who did not ask for sales
work (also from the nearest matches), shown with the reason to those who did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from pipeline.warehouse.serving_columns import with_serving_fields
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from ranker.suspicious import asks_for_sales

NOW = datetime(2026, 11, 26)


def _row(i: int, title: str, suspicious: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"s{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None, "salary": None,
        "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0, "language": "ja",
        "occupation": None, "duplicate_of": None, "description": title, "suspicious": suspicious or [],
    }
    row.update(extra)
    return with_serving_fields([row])[0]


ROWS = [
    _row(0, "法人営業スタッフ（完全歩合制）", ["commission_only"]),
    _row(1, "法人営業スタッフ"),
    _row(2, "一般事務スタッフ（在宅・初期費用あり）", ["pay_to_start", "mlm"]),
    _row(3, "一般事務スタッフ"),
    _row(4, "警備員"),
]


def _page(titles: list[str], k: int = 5, **profile: Any) -> Any:
    return recommend(ServingIndex.build("t", ROWS, None), parse_profile({"desired_titles": titles, **profile}),
                     k=k, now=NOW)


def _ids(page: Any) -> list[str]:
    return [r.listing["id"] for r in page.results]


def test_never_shown_without_a_sales_title_not_even_as_nearest() -> None:
    page = _page(["一般事務"])
    assert "s02" not in _ids(page) and "s00" not in _ids(page)
    assert len(page.results) == 3  # the page is short rather than padded with them
    assert page.candidates == 3
    hidden = sum(1 for row in ROWS if row.get("suspicious"))
    assert f"マルチ商法のように見える求人{hidden}件は表示していません" in " ".join(page.notes)
    english = _page(["Office assistant"], language="en")
    assert any(f"{hidden} listing(s) that look like commission-only" in note for note in english.notes)


def test_never_shown_as_a_nearest_match_under_a_tight_constraint() -> None:
    page = _page(["一般事務"], constraints={"max_hours_per_week": 10, "require_stated": ["hours"]})
    assert page.matching == 0 and page.results
    assert {"s00", "s02"}.isdisjoint(_ids(page))


def test_shown_with_the_reason_to_someone_asking_for_sales() -> None:
    page = _page(["法人営業"])
    assert "s00" in _ids(page)
    flagged = next(r for r in page.results if r.listing["id"] == "s00")
    commission = "給与が完全歩合制です（成果がなければ収入がありません）"
    assert {"kind": "lacks", "tag": "commission_only", "text": commission} in flagged.reasons
    clean = next(r for r in page.results if r.listing["id"] == "s01")
    assert not [r for r in clean.reasons if r.get("tag") in ("commission_only", "pay_to_start", "mlm")]
    assert page.candidates == 5


def test_every_reason_is_named() -> None:
    page = _page(["営業", "一般事務"])
    flagged = next(r for r in page.results if r.listing["id"] == "s02")
    texts = [r["text"] for r in flagged.reasons if r["kind"] == "lacks"]
    assert "働き始める前にお金を払うよう求めています" in texts
    assert "マルチ商法（人を勧誘して収入を得る仕組み）のようです" in texts


@pytest.mark.parametrize(
    ("titles", "sales"),
    [
        (["営業"], True),
        (["法人営業"], True),
        (["販売スタッフ"], True),
        (["ｾｰﾙｽ"], True),  # half-width, folded
        (["保険外交員"], True),
        (["Inside Sales Representative"], True),
        (["sales"], True),
        (["Account Executive"], True),
        (["Business Development Manager"], True),
        (["一般事務", "Sales associate"], True),
        (["営業事務"], False),  # office work supporting sales
        (["営業アシスタント"], False),
        (["Sales Support Specialist"], False),
        (["Salesforce Administrator"], False),
        (["一般事務", "data entry"], False),
        (["看護師"], False),
    ],
)
def test_asks_for_sales(titles: list[str], sales: bool) -> None:
    assert asks_for_sales(parse_profile({"desired_titles": titles})) is sales


def test_a_summary_mentioning_sales_does_not_count() -> None:
    profile = parse_profile({"desired_titles": ["一般事務"], "summary": "前職は営業でした"})
    assert not asks_for_sales(profile)

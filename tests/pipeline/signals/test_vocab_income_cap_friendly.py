"""`income_cap_friendly` phrasings beyond the stock words (扶養 kept, income walls kept under,
work alongside a benefit), allowances and salary talk that must not raise it, and negated offers
that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "income_cap_friendly"



@pytest.mark.parametrize("text", [
    "扶養を外れない範囲で勤務できます。",
    "配偶者控除内で働きたい方も歓迎。",
    "年収106万円を超えないよう調整できます。",
    "障害年金を受給しながら働いている方もいます。",
    "We can work within your benefits earnings limits.",
    "Flexible hours for people working while claiming Universal Credit.",
    "Hours can be capped to protect your benefit entitlement.",
    "We keep your pay below the work allowance if you ask.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "扶養手当・家族手当あり",
    "年収103万円の壁についての相談窓口業務です。",
    "経験・能力を考慮し、年収を調整します。",
    "昇給・給与調整年1回",
    "Great benefits package including health, dental and vision.",
    "We pay 100% of premiums for your benefits.",
    "Remote work allowance of $500 a year.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "扶養内での勤務はお受けできません。",
    "We are unable to keep hours within benefit earnings limits.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against and TAG not in raised

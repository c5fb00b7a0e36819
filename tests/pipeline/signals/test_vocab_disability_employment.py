"""`disability_employment` phrasings beyond the stock words, and care work FOR disabled people
that must not raise it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import raised_tags as _raised

TAG = "disability_employment"



@pytest.mark.parametrize("text", [
    "障がい者向けの求人です。データ入力をお任せします。",
    "精神障害者保健福祉手帳をお持ちの方が対象です。",
    "手帳の種別は問いません。",
    "知的障害のある方が働きやすいよう、作業を細かく分けています。",
    "障害をオープンにして働きたい方を募集します。",
    "当社は特例子会社として清掃業務を行っています。",
    "就労継続支援A型事業所からのご応募も歓迎します。",
    "This is a ring-fenced role for candidates with a declared disability.",
    "We hire adults with intellectual disabilities as café staff.",
    "Disabled graduates are particularly encouraged to apply.",
    "We offer an interview to all disabled applicants who meet the essentials.",
    "The bakery recruits blind and visually impaired workers for its packing line.",
])
def test_raises(text: str) -> None:
    assert TAG in _raised(text)


@pytest.mark.parametrize("text", [
    "障害のある方の生活支援をお願いします。",
    "障がいのある方が通う施設で、利用者の送迎を担当します。",
    "身体障害者手帳をお持ちのお客様の送迎をお願いします。",
    "就労支援員、作業指導員を募集しています。",
    "Support adults with learning disabilities to live independently in their own homes.",
    "Collaborate with agencies to run programs for persons with disabilities.",
    "Supported employment officer: help clients find work.",
    "Short- and long-term disability insurance.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _raised(text)

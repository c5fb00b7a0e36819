"""`remote_ok` phrasings beyond the stock words (work from one's own home, no commute or office,
work tied to no place), care at home and far-away things that must not raise it, and office-every-
day restrictions that speak against it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import tag_sides as _sides

TAG = "remote_ok"



@pytest.mark.parametrize("text", [
    "ご自宅でできるデータ入力のお仕事です。",
    "通勤ゼロ！自宅から働けます。",
    "出社の必要は基本的にありません。",
    "出社は月1回の全体会議のみです。",
    "勤務地：自宅（全国どこでも可）",
    "ハイブリッドワークを導入しています。",
    "This role can be based anywhere in the UK.",
    "We are a fully distributed team across 12 countries.",
    "Work from the comfort of your own home.",
    "This is a home-based position covering the northeast.",
    "Your desk at home is your office: we send the equipment.",
])
def test_raises(text: str) -> None:
    assert TAG in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "在宅介護サービスを提供する事業所での訪問介護のお仕事です。",
    "利用者様のご自宅での作業となります。",
    "在宅で療養中の患者さんを訪問し、看護を行うお仕事です。",
    "自宅から通勤可能な方を募集します。",
    "リモート監視システムの運用保守。",
    "テレワーク導入支援のコンサルティング営業です。",
    "Drive from home to client sites across the region.",
    "Time away from home: up to 2 weeks per month.",
    "Provide care to patients at home.",
    "Home-based care services for elderly clients.",
    "Repair and program remote controls.",
    "Distributed systems experience required.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _sides(text)[0]


@pytest.mark.parametrize("text", [
    "週5日の出社をお願いしています。",
    "原則出社での勤務です。",
    "The team works in-person 5 days a week in our Austin office.",
    "This position is 100% on-site at our plant.",
])
def test_speaks_against(text: str) -> None:
    raised, against = _sides(text)
    assert TAG in against and TAG not in raised

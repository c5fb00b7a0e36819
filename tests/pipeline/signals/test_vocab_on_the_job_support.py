"""`on_the_job_support` phrasings beyond the stock words, and job titles or customer help desks
that must not raise it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import raised_tags as _raised

TAG = "on_the_job_support"



@pytest.mark.parametrize("text", [
    "仕事の悩みはいつでも相談できる先輩がいます。",
    "体調面について気軽に相談できる体制です。",
    "保健師による定期的な面談があります。",
    "支援機関の担当者が月に1回職場を訪問します。",
    "入社後も、専任スタッフが定期的に面談を行います。",
    "社内相談窓口を設置しています。",
    "Your support worker is welcome to join you on site.",
    "You will get support from a dedicated job coach during your first year.",
    "Our wellbeing officer is available every Thursday.",
    "Monthly check-ins with a named mentor about how you are settling in.",
    "Free confidential counselling for all staff.",
    "Trained mental health first aiders in every office.",
])
def test_raises(text: str) -> None:
    assert TAG in _raised(text)


@pytest.mark.parametrize("text", [
    "お客様の相談窓口として電話対応をお任せします。",
    "地域住民の悩み事について相談を受ける仕事です。",
    "入社後は研修でしっかりサポートします。",
    "Job Coach - Manchester",
    "Support worker needed for a residential care home.",
    "As a job coach you will support clients into work.",
    "Animal welfare officers investigate reports of cruelty.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _raised(text)

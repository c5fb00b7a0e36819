"""`neurodiversity` phrasings beyond the stock words, and care or teaching FOR autistic children
that must not raise it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import raised_tags as _raised

TAG = "neurodiversity"



@pytest.mark.parametrize("text", [
    "ASDの特性をお持ちの方も歓迎します。",
    "アスペルガー症候群のあるスタッフが在籍しています。",
    "学習障害の特性を踏まえて、作業手順を図で示します。",
    "自閉スペクトラム症の方を対象とした採用プログラムです。",
    "神経の多様性を尊重するチームです。",
    "発達の凸凹を強みに変えられる職場です。",
    "Neurodivergent applicants are warmly invited to apply.",
    "Our neurodiversity employment programme runs twice a year.",
    "Autistic and dyslexic professionals make up half of our QA team.",
    "We especially welcome candidates with ADHD or dyspraxia.",
    "Talent on the autism spectrum is at the heart of our data team.",
])
def test_raises(text: str) -> None:
    assert TAG in _raised(text)


@pytest.mark.parametrize("text", [
    "発達障害のお子さまへの療育をお願いします。",
    "児童発達支援事業所での保育士のお仕事です。",
    "ADHDや自閉スペクトラム症のお子さまの特性に合わせた支援を行います。",
    "発達障害に関する研修会があります。",
    "Teach students with autism in a special-education classroom.",
    "Provide behavioural therapy to children with ADHD.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _raised(text)

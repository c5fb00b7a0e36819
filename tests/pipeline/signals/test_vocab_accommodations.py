"""`accommodations` phrasings beyond the stock words, and the same words used for customers,
protective equipment or building work that must not raise it."""

from __future__ import annotations

import pytest

from tests.pipeline.signals.tag_sides import raised_tags as _raised

TAG = "accommodations"



@pytest.mark.parametrize("text", [
    "通院日のお休みは事前に申請いただければ取得できます。",
    "症状に合わせて業務量を調整します。",
    "服薬のための休憩もとれます。",
    "長時間の立ち仕事がつらい方は、座ってできる作業への調整も可能です。",
    "光に過敏な方には、窓から離れた席を用意します。",
    "ノイズキャンセリングヘッドホンの使用もOKです。",
    "指示は口頭だけでなく、チャットでも残します。",
    "オフィスは全フロアバリアフリーです。",
    "面接は手話通訳をつけて行うこともできます。",
    "面接に支援機関の方が同席しても大丈夫です。",
    "Interviews can be held in a quiet room on request.",
    "We'll send the interview questions in advance.",
    "Paid time off for medical appointments.",
    "The office has step-free access and accessible toilets.",
    "Assistive technology is provided from your first day.",
])
def test_raises(text: str) -> None:
    assert TAG in _raised(text)


@pytest.mark.parametrize("text", [
    "食材のにおいに敏感であることが求められる。",
    "作業中は耳栓とヘルメットを着用します。",
    "建物のバリアフリー化の工事を担当します。",
    "お客様に必要な配慮を行い、搭乗を案内します。",
    "Drive a wheelchair accessible vehicle for our patients.",
    "Train clients to use adaptive equipment, such as large print and reading stands.",
    "Confer with users about data access needs.",
])
def test_does_not_raise(text: str) -> None:
    assert TAG not in _raised(text)

"""Repairing UTF-8 read as Latin-1, on the forms the real feeds send."""

from __future__ import annotations

import json

import pytest

from pipeline.text.mojibake import has_mojibake, repair_mojibake, repair_mojibake_with_offsets
from tests.conftest import FIXTURES


def test_whole_text_is_redecoded() -> None:
    assert repair_mojibake("Substack\u00e2\u0080\u0099s range is \u00c2\u00a357,000") == "Substack’s range is £57,000"
    assert repair_mojibake("Gda\u00c5\u0084sk, Poland") == "Gdańsk, Poland"
    assert repair_mojibake("\u00e6\u009d\u00b1\u00e4\u00ba\u00ac") == "東京"
    assert repair_mojibake("\u00f0\u009f\u0092\u00bc Remote") == "\U0001f4bc Remote"


def test_mixed_text_gets_the_pieces_fixed() -> None:
    assert repair_mojibake("東京 \u00e2\u0080\u0093 大阪") == "東京 - 大阪"
    assert repair_mojibake("東京 \u00c3\u00a9") == "東京 \u00c3\u00a9"  # not one of the pieces: left alone


def test_clean_text_is_unchanged() -> None:
    for text in ("São Paulo", "café » crème", "plain", "", "東京 – 大阪", "Zürich © 2026"):
        assert not has_mojibake(text)
        assert repair_mojibake(text) == text
        assert repair_mojibake_with_offsets(text) == (text, None)


@pytest.mark.parametrize(
    "text",
    [
        "Gda\u00c5\u0084sk \u00e2\u0080\u0093 x",
        "東京 \u00e2\u0080\u0093 大阪 \u00c2\u00a3",
        "\u00f0\u009f\u0092\u00bc!",
    ],
)
def test_offsets_point_at_the_first_broken_character(text: str) -> None:
    repaired, repair_map = repair_mojibake_with_offsets(text)
    assert repaired == repair_mojibake(text)
    assert repair_map is not None
    offsets = repair_map.map_sorted(list(range(len(repaired) + 1)))
    assert offsets[-1] == len(text)
    for char, offset in zip(repaired, offsets, strict=False):
        if char.isascii() and char.isalnum():
            assert text[offset] == char


def test_real_remoteok_payload_is_repaired() -> None:
    jobs = json.loads((FIXTURES / "payloads" / "remoteok_api_2026-03-16_first12.json").read_text(encoding="utf-8"))
    descriptions = [job["description"] for job in jobs[1:] if has_mojibake(job.get("description", ""))]
    assert descriptions
    for description in descriptions:
        assert not has_mojibake(repair_mojibake(description))

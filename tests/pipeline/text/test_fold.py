"""Folding: one spelling per character, exact NFKC on the parts that need it, and offsets that
point back into the original text."""

from __future__ import annotations

import random
import unicodedata

import pytest

from pipeline.text import fold as folding
from pipeline.text.fold import fold, fold_key, fold_with_offsets

TRICKY = [
    "か\u3099き\u309aく",  # hiragana + combining voiced / semi-voiced marks
    "ﾎﾟｽﾄ ｶﾞｲﾄﾞ ﾊﾟｰﾄ",  # half-width katakana with half-width sound marks
    "\u1100\u1161\u11a8 \uac00\u11a8 \u1104\u1172",  # conjoining jamo that compose by rule
    "e\u0301 a\u0328\u0301 \u1e9b\u0323",  # combining marks that reorder and compose
    "（未経験ＯＫ）：週３日～！\u3000１日４時間",  # full-width forms common in listings
    "\u2460 \u3300 \ufb01 \u00a0 \u2026 \u00b8 \u00af \u0130",  # expand to several characters
    "\U0001d400\U000110ab \U00011099\U000110ba",  # outside the BMP, one pair composing
    "㈱ゼロ\u200bワン – 時給１２００円〜",  # expands, vanishes, dashes
    "Gda\u00c5\u0084sk \u00e2\u0080\u0093 \u00c2\u00a357,000",  # mojibake
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月給２５万円〜", "月給25万円~"),
        ("時給１，２００円～", "時給1,200円~"),
        ("ｶﾞｲﾄﾞ", "ガイド"),
        ("９：００～１３：００", "9:00~13:00"),
        ("$150,000 – $175,000", "$150,000 - $175,000"),
        ("データ入力　スタッフ", "データ入力 スタッフ"),
        ("コーヒー", "コーヒー"),  # the long vowel mark is a letter, not a dash
        ("plain ascii", "plain ascii"),
        ("($150,000 \u00e2\u0080\u0093 $175,000)", "($150,000 - $175,000)"),  # RemoteOK mojibake
        ("未経験\u200b歓迎", "未経験歓迎"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_key_compares_names_in_one_form() -> None:
    assert fold_key(" Ｔｏｋｙｏ ") == fold_key("tokyo") == "tokyo"
    assert fold_key("Straße") == "strasse"
    assert fold_key("東京都\u3000港区") == "東京都 港区"
    assert fold_key(None) == fold_key("") == ""


@pytest.mark.parametrize("bad", [None, 5, b"x", ["a"]])
def test_bad_input(bad: object) -> None:
    assert fold(bad) == ""  # type: ignore[arg-type]
    folded, fold_map = fold_with_offsets(bad)  # type: ignore[arg-type]
    assert folded == "" and fold_map.offsets() == [0]


def test_fold_normalizes_only_the_lines_that_need_it() -> None:
    # A line of half-width kana with voiced marks, a line of full-width punctuation and digits,
    # plain lines in between: each must come out as whole-text NFKC gives it.
    text = "ｶﾞｲﾄﾞ募集\n東京（本社）：月給２５万円～\n在宅勤務あり\nAPI – Python\u00a0Engineer"
    assert fold(text) == "ガイド募集\n東京(本社):月給25万円~\n在宅勤務あり\nAPI - Python Engineer"


def test_chunked_nfkc_equals_whole_text_nfkc_on_tricky_text() -> None:
    for text in TRICKY:
        for prefix in ("", "a", "か", "\u3099"):
            sample = prefix + text
            assert folding._nfkc(sample) == unicodedata.normalize("NFKC", sample), repr(sample)
            assert folding._nfkc_with_offsets(sample)[0] == unicodedata.normalize("NFKC", sample), repr(sample)


def _random_samples(count: int) -> list[str]:
    rng = random.Random(20260517)
    pool = [*"".join(TRICKY), *"abc 日本語\n"]
    pool += [chr(c) for c in (*range(0x300, 0x370), *range(0x1100, 0x1200), *range(0xFF00, 0xFFF0))]
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 10))) for _ in range(count)]


def test_chunked_nfkc_equals_whole_text_nfkc_on_random_text() -> None:
    for sample in _random_samples(20_000):
        assert folding._nfkc(sample) == unicodedata.normalize("NFKC", sample), repr(sample)


def test_no_character_outside_the_searched_range_composes_into_the_bmp() -> None:
    """_composing_seconds reads decompositions below _COMPOSITES_BELOW only; a canonical pair
    above it whose second half is in the BMP would make a BMP character wrongly stable."""
    for code in range(folding._COMPOSITES_BELOW, 0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            assert int(parts[1], 16) > 0xFFFF or int(parts[1], 16) in folding._composing_seconds()


def test_fold_with_offsets_gives_the_folded_text() -> None:
    for sample in TRICKY + _random_samples(5_000):
        folded, fold_map = fold_with_offsets(sample)
        assert folded == fold(sample), repr(sample)
        offsets = fold_map.offsets()
        assert len(offsets) == len(folded) + 1 and offsets[-1] == len(sample)
        assert offsets == sorted(offsets), repr(sample)
        lowered, lower_map = fold_with_offsets(sample, lower=True)
        assert lowered == fold(sample).lower(), repr(sample)
        assert len(lower_map.offsets()) == len(lowered) + 1


def test_offsets_point_back_into_the_original() -> None:
    original = "ｶﾞｲﾄﾞ：時給１２００円～"
    folded, fold_map = fold_with_offsets(original)
    assert folded == "ガイド:時給1200円~"
    start = folded.index("1200")
    assert original[slice(*fold_map.span(start, start + 4))] == "１２００"
    assert original[slice(*fold_map.span(0, 3))] == "ｶﾞｲﾄﾞ"
    assert original[slice(*fold_map.span(0, 1))] == "ｶﾞ"
    assert fold_map.offsets()[:4] == [0, 2, 3, 5]


def test_spans_cover_whole_characters_that_expand_or_were_mojibake() -> None:
    original = "㈱ゼロ 8\u00e2\u0080\u009320 hrs/week İstanbul"
    folded, fold_map = fold_with_offsets(original, lower=True)
    assert folded == "(株)ゼロ 8-20 hrs/week i̇stanbul"
    assert original[slice(*fold_map.span(1, 2))] == "㈱"  # 株 alone: the whole ㈱
    start = folded.index("8-20")
    assert original[slice(*fold_map.span(start, start + 4))] == "8\u00e2\u0080\u009320"
    start = folded.index("i̇stanbul")
    assert original[slice(*fold_map.span(start, start + 9))] == "İstanbul"

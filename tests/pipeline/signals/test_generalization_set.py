"""The generalization set of the signal tagger: its shape, its frozen split, its sources, and
the scoring helpers that read it."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from pipeline.signals.evaluate import (
    KINDS,
    NAIVE_KEYWORD_BASELINE,
    SUPPORTIVE_TAGS,
    baseline_prediction,
    by_field,
    frozen_split,
    load_generalization,
    load_labelled,
    score,
)
from tests.conftest import FIXTURES, shared_data
from tests.pipeline.signals.source_text import normalized, source_text

SET = FIXTURES / "signals" / "generalization.jsonl"


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_generalization(SET)


def _key(text: str) -> str:
    """Text compared for duplicates: NFKC, lower case, without spaces and punctuation."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def test_the_set_is_large_and_bilingual(items: list[dict]) -> None:
    assert len(items) >= 800
    langs = Counter(item["lang"] for item in items)
    assert set(langs) == {"ja", "en"}
    assert min(langs.values()) >= 0.4 * len(items)


def test_every_supportive_tag_has_positives_and_every_kind_occurs(items: list[dict]) -> None:
    positives = Counter(tag for item in items for tag in item["tags"])
    thin = {tag: positives[tag] for tag in SUPPORTIVE_TAGS if positives[tag] < 25}
    assert not thin, f"tags with fewer than 25 positives: {thin}"
    assert {item["kind"] for item in items} == set(KINDS)
    negations = [item for item in items if item["kind"] == "negation"]
    assert all(item["against"] and not item["tags"] for item in negations)
    assert all(not item["tags"] and not item["against"] for item in items if item["kind"] == "none")


def test_the_test_split_is_frozen_by_the_text_hash(items: list[dict]) -> None:
    splits = {item["id"]: item["split"] for item in items}
    assert sum(split == "test" for split in splits.values()) == 283
    assert [splits[i] for i in ("g527036c0", "g3d4bb102", "g53acb61d")] == ["test"] * 3
    assert [splits[i] for i in ("gf803a45e", "g79ab799f")] == ["tune"] * 2
    assert frozen_split("No prior industry experience is required.") == "test"
    # NFKC first: the full-width form of a text falls in the same split
    assert frozen_split("ＯＫ") == frozen_split("OK")


def test_a_stored_split_that_disagrees_with_the_hash_is_refused(tmp_path: Path) -> None:
    line = json.loads(SET.read_text(encoding="utf-8").splitlines()[0])
    line["split"] = "tune" if line["split"] == "test" else "test"
    moved = tmp_path / "moved.jsonl"
    moved.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="frozen by the text's hash"):
        load_generalization(moved)


def test_no_item_repeats_the_tagger_s_own_labelled_set_or_another_item(items: list[dict]) -> None:
    own = {_key(item["text"]) for item in load_labelled(FIXTURES / "signals" / "labelled.jsonl")}
    keys = [_key(item["text"]) for item in items]
    assert not own & set(keys)
    assert len(set(keys)) == len(keys)


def test_real_items_occur_in_the_file_their_origin_names(items: list[dict]) -> None:
    real = [item for item in items if item["origin"] != "written"]
    assert len(real) >= 150
    by_origin = by_field(real, "origin")
    for origin, group in by_origin.items():
        text = source_text(shared_data(origin))
        missing = [item["id"] for item in group if normalized(item["text"]) not in text]
        assert not missing, f"{origin}: {missing} not found in the file"


def test_score_counts_raised_and_against_tags() -> None:
    items = [
        {"id": "a", "kind": "plain", "lang": "en", "text": "remote", "tags": ["remote_ok"], "against": []},
        {"id": "b", "kind": "negation", "lang": "en", "text": "no remote", "tags": [], "against": ["remote_ok"]},
        {"id": "c", "kind": "none", "lang": "en", "text": "x", "tags": [], "against": []},
    ]
    answers = {"remote": ({"remote_ok"}, set()), "no remote": ({"remote_ok"}, set()), "x": (set(), {"fair_chance"})}
    report = score(items, lambda text, lang: answers[text])
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 1, 0)
    assert (report.against.tp, report.against.fp, report.against.fn) == (0, 1, 1)
    assert report.per_tag["remote_ok"].precision == 0.5
    assert [err["id"] for err in report.errors] == ["b", "c"]


def test_the_naive_baseline_matches_keywords_and_ignores_negation() -> None:
    assert set(NAIVE_KEYWORD_BASELINE) == set(SUPPORTIVE_TAGS)
    assert baseline_prediction("We do not offer remote work.", "en") == ({"remote_ok"}, set())
    assert baseline_prediction("未経験ＯＫ", "ja")[0] == {"no_experience_ok"}
    assert baseline_prediction("Competitive salary.", "en") == (set(), set())

"""The tagger on real data: the labelled set's targets, and untriggered-scan equivalence."""

from __future__ import annotations

import json
import re

import pytest

import pipeline.signals.tagger as signals
from pipeline.signals.evaluate import evaluate, load_labelled, subsets
from pipeline.text.fold import fold_with_offsets
from tests.conftest import FIXTURES, SHARED_DATA

DATA = SHARED_DATA


def test_labelled_set_meets_targets() -> None:
    items = load_labelled(FIXTURES / "signals" / "labelled.jsonl")
    assert len(items) >= 150
    assert {i["lang"] for i in items} == {"ja", "en"}
    for name, subset in subsets(items).items():
        report = evaluate(subset)
        assert report.micro.precision >= 0.9, name
        assert report.micro.recall >= 0.8, name


def test_labelled_evidence_is_a_substring_of_the_input() -> None:
    for item in load_labelled(FIXTURES / "signals" / "labelled.jsonl"):
        result = signals.tag_text_detailed(item["text"], item["lang"])
        for s in result["raised"] + result["against"]:
            assert s["evidence"] and s["evidence"] in item["text"], item["id"]


def _every_regex(folded: str, lang: str) -> list[tuple[str, bool, int, int]]:
    """Every tag regex over the whole folded text, ignoring triggers and windows."""
    return [
        (matcher.tag, m.lastgroup == "against", *m.span())
        for matcher in signals._matchers(lang)
        for m in matcher.regex.finditer(folded)
    ]


def _untriggered(text: str, lang: str) -> set[tuple[str, bool, str]]:
    """What the tagger finds when its patterns are scanned without triggers and windows (the
    later stages, schedule figures, negation scope and boilerplate demotion, as the tagger runs
    them)."""
    folded, fold_map = fold_with_offsets(text, lower=True)
    out = set()
    for tag, against, start, end in signals._read(folded, lang, scan=_every_regex):
        s, e = fold_map.span(start, end)
        out.add((tag, against, text[s:e]))
    return out


def _fast(text: str, lang: str) -> set[tuple[str, bool, str]]:
    return {(tag, a, text[s:e]) for tag, a, s, e in signals._spans(text, lang)}


def test_triggers_cover_every_match_on_the_labelled_set() -> None:
    for item in load_labelled(FIXTURES / "signals" / "labelled.jsonl"):
        assert _fast(item["text"], item["lang"]) == _untriggered(item["text"], item["lang"]), item["id"]


def test_triggers_cover_every_match_on_real_listing_texts() -> None:
    remoteok = DATA / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json"
    if not remoteok.exists():
        pytest.skip(f"real data not found at {remoteok}")
    for job in json.loads(remoteok.read_text(encoding="utf-8"))[1:]:
        text = re.sub(r"<[^>]+>", "\n", job.get("description", ""))
        assert _fast(text, "en") == _untriggered(text, "en"), job.get("id")


def test_real_kyujinbox_detail_listing() -> None:
    page = (
        DATA
        / "ja_jobs_kyujinbox_2026_pages"
        / "kyujinbox_detail_mitsuifudosan-facilities_osaki_2026-05-14.html"
    )
    if not page.exists():
        pytest.skip(f"real data not found at {page}")
    html = page.read_text(encoding="utf-8")
    start, end = html.index("【お仕事内容】"), html.index("＜熱中症対策＞")
    body = re.sub(r"<[^>]+>", "\n", html[start:end])
    result = signals.tag_text_detailed(body)
    assert {s["tag"] for s in result["raised"]} == {"no_experience_ok", "training_provided"}
    assert {s["tag"]: s["evidence"] for s in result["against"]} == {"training_provided": "研修なし"}

"""Precision and recall of the signal tagger on a labelled set (JSON lines; the project's own
labelled sets are kept with the tests and passed in by them and by benchmarks/eval_signals.py).

Two sets are read here:
- the tagger's own labelled set (``load_labelled``, ``evaluate``, ``subsets``);
- the generalization set (``load_generalization``, ``score``, ``by_field``): snippets the
  tagger was not written against, each with a ``kind`` (plain, paraphrase, implication,
  negation, trap, none) and a split frozen by a hash of its text (``frozen_split``). Its test
  part is for aggregate figures only: nothing is ever tuned on it.

Kept as small pure functions so that the benchmark script prints the figures and a test
asserts the targets from the same code.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.signals.tagger import ALL_TAGS, POLICY_TAGS, SUPPORTIVE_TAGS, tag_text_detailed
from pipeline.text.fold import fold


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set[str], predicted: set[str]) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


@dataclass
class Report:
    items: int = 0
    per_tag: dict[str, Counts] = field(default_factory=dict)
    micro: Counts = field(default_factory=Counts)
    against: Counts = field(default_factory=Counts)
    errors: list[dict[str, Any]] = field(default_factory=list)


def load_labelled(path: Path) -> list[dict[str, Any]]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not valid JSON: {exc}") from exc
            for key in ("text", "lang", "tags", "split", "origin"):
                if key not in item:
                    raise ValueError(f"{path}:{lineno}: missing field {key!r}")
            unknown = set(item["tags"]) - set(ALL_TAGS) - set(POLICY_TAGS)
            if unknown:
                raise ValueError(f"{path}:{lineno}: unknown tags {sorted(unknown)}")
            items.append(item)
    return items


def evaluate(items: Iterable[dict[str, Any]]) -> Report:
    """Score raised tags per tag and micro-averaged; against-evidence is scored separately."""
    report = Report(per_tag={tag: Counts() for tag in ALL_TAGS + POLICY_TAGS})
    for item in items:
        report.items += 1
        result = tag_text_detailed(item["text"], item["lang"])
        predicted = {s["tag"] for s in result["raised"]}
        gold = set(item["tags"])
        for tag in predicted | gold:
            counts = report.per_tag[tag]
            if tag in predicted and tag in gold:
                counts.tp += 1
                report.micro.tp += 1
            elif tag in predicted:
                counts.fp += 1
                report.micro.fp += 1
            else:
                counts.fn += 1
                report.micro.fn += 1
        gold_against = set(item.get("against", []))
        pred_against = {s["tag"] for s in result["against"]}
        report.against.tp += len(gold_against & pred_against)
        report.against.fn += len(gold_against - pred_against)
        if predicted != gold:
            report.errors.append(
                {
                    "id": item.get("id"),
                    "split": item["split"],
                    "text": item["text"],
                    "gold": sorted(gold),
                    "predicted": sorted(predicted),
                    "evidence": {s["tag"]: s["evidence"] for s in result["raised"]},
                }
            )
    return report


def subsets(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The slices reported: every item, real text only, and the held-out part (all / real)."""
    real = [i for i in items if i["origin"] != "written"]
    return {
        "all": items,
        "all, real only": real,
        "held-out": [i for i in items if i["split"] == "heldout"],
        "held-out, real only": [i for i in real if i["split"] == "heldout"],
        "tuning part": [i for i in items if i["split"] != "heldout"],
    }


# --- The generalization set -------------------------------------------------------------

KINDS = ("plain", "paraphrase", "implication", "negation", "trap", "none")
# The tags the generalization set labels: the supportive listing tags and their policy forms.
# Constraint tags (night_shift, ...) are not labelled there, so they are not scored.
SCORED_TAGS: tuple[str, ...] = SUPPORTIVE_TAGS + POLICY_TAGS
TEST_SHARE = 30  # percent of items in the frozen test split
_GENERALIZATION_FIELDS = ("id", "split", "lang", "kind", "tags", "against", "origin", "text")

# What a scorer predicts for one text: (tags raised, tags spoken against).
Prediction = tuple[set[str], set[str]]
Predictor = Callable[[str, str], Prediction]


def frozen_split(text: str) -> str:
    """'test' for the 30% of texts whose SHA-256 (of the NFKC-normalized text) falls in buckets
    0-29 of 100, else 'tune'. Depends on nothing but the text, so the split never moves."""
    digest = hashlib.sha256(unicodedata.normalize("NFKC", text).encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % 100 < TEST_SHARE else "tune"


def _generalization_item(item: dict[str, Any], where: str) -> dict[str, Any]:
    for key in _GENERALIZATION_FIELDS:
        if key not in item:
            raise ValueError(f"{where}: missing field {key!r}")
    if item["kind"] not in KINDS:
        raise ValueError(f"{where}: kind {item['kind']!r} is not one of {', '.join(KINDS)}")
    unknown = (set(item["tags"]) | set(item["against"])) - set(SCORED_TAGS)
    if unknown:
        raise ValueError(f"{where}: tags {sorted(unknown)} are not scored tags of this set")
    expected = frozen_split(item["text"])
    if item["split"] != expected:
        raise ValueError(
            f"{where}: split {item['split']!r} but the text hashes to {expected!r}; the split is "
            "frozen by the text's hash (pipeline.signals.evaluate.frozen_split): an edited text "
            "takes the split its new hash gives"
        )
    return item


def load_generalization(path: Path) -> list[dict[str, Any]]:
    """Items of the generalization set, each checked for its fields, kind, tags and split."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not valid JSON: {exc}") from exc
            item = _generalization_item(item, where)
            if item["id"] in seen:
                raise ValueError(f"{where}: id {item['id']!r} appears twice")
            seen.add(item["id"])
            items.append(item)
    return items


def tagger_prediction(text: str, lang: str) -> Prediction:
    """The project's tagger (pipeline.signals.tagger), restricted to the scored tags."""
    result = tag_text_detailed(text, lang)
    raised = {s["tag"] for s in result["raised"]} & set(SCORED_TAGS)
    against = {s["tag"] for s in result["against"]} & set(SCORED_TAGS)
    return raised, against


# The naive baseline: the most obvious keywords of each tag, matched as substrings of the folded,
# lower-cased text with no negation handling. It is only a yardstick for the tagger's figures.
NAIVE_KEYWORD_BASELINE: dict[str, tuple[str, ...]] = {
    "no_experience_ok": ("未経験", "経験不問", "no experience", "entry level", "entry-level"),
    "career_gap_ok": ("ブランク", "career gap", "returner", "returnship", "career break"),
    "remote_ok": ("在宅", "リモート", "テレワーク", "remote", "work from home", "hybrid"),
    "short_hours": ("短時間", "時短", "part-time", "part time"),
    "flexible_schedule": ("シフト自由", "応相談", "フレックス", "flexible"),
    "training_provided": ("研修", "ojt", "マニュアル", "training", "mentor"),
    "gradual_start": ("トライアル", "職場体験", "trial", "internship", "phased"),
    "disability_employment": ("障害者", "障がい者", "disabled", "disabilities"),
    "accommodations": ("配慮", "accommodation", "adjustment"),
    "on_the_job_support": ("ジョブコーチ", "定着支援", "job coach", "support worker"),
    "low_social_load": ("黙々", "接客なし", "電話対応なし", "back office", "no customer"),
    "neurodiversity": ("発達障", "ニューロダイバーシティ", "neurodiver", "autis"),
    "fair_chance": ("前科", "fair chance", "second chance", "conviction"),
    "youth_friendly": ("若者", "第二新卒", "新卒", "first job", "early career", "graduate"),
    "income_cap_friendly": ("扶養", "103万", "benefit"),
}


def baseline_prediction(text: str, lang: str) -> Prediction:
    """NAIVE_KEYWORD_BASELINE: a tag is raised when any of its keywords occurs; never against."""
    folded = fold(text).lower()
    raised = {tag for tag, words in NAIVE_KEYWORD_BASELINE.items() if any(w in folded for w in words)}
    return raised, set()


def score(items: Iterable[dict[str, Any]], predict: Predictor) -> Report:
    """Raised tags scored per tag and micro-averaged over SCORED_TAGS; against-evidence scored
    as its own precision and recall (a tag spoken against that the item does not say is an fp)."""
    report = Report(per_tag={tag: Counts() for tag in SCORED_TAGS})
    for item in items:
        report.items += 1
        raised, against = predict(item["text"], item["lang"])
        gold = set(item["tags"])
        for tag in raised | gold:
            report.per_tag[tag].add({tag} & gold, {tag} & raised)
        report.micro.add(gold, raised)
        report.against.add(set(item["against"]), against)
        if raised != gold or against != set(item["against"]):
            report.errors.append(
                {
                    "id": item["id"],
                    "kind": item["kind"],
                    "lang": item["lang"],
                    "text": item["text"],
                    "gold": sorted(gold),
                    "predicted": sorted(raised),
                    "gold_against": sorted(item["against"]),
                    "predicted_against": sorted(against),
                }
            )
    return report


def by_field(items: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    """Items grouped by one field (``lang``, ``kind``, ``split``), groups in sorted order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item[key], []).append(item)
    return dict(sorted(groups.items()))

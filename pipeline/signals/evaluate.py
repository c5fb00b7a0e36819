"""Precision and recall of the signal tagger on a labelled set (JSON lines; the project's own
labelled set is kept with the tests and passed in by them and by benchmarks/eval_signals.py).

Kept as small pure functions so that the benchmark script prints the figures and a test
asserts the targets from the same code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.signals.tagger import ALL_TAGS, POLICY_TAGS, tag_text_detailed


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

"""Evaluation data for occupation mapping (pure functions over plain data); the metrics are
ranker.evaluate's, with the gain named (RESUME_GAIN).

The labelled data lives outside the project (../shared/data): the held-out test split of the
O*NET alternate titles and the dev resumes. Resumes hold personal data, so they are read
from there at evaluation time and never copied.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipeline.occupations.split import HELD_OUT, TUNING, frozen_split_matches, is_test_title, split_resumes
from ranker.evaluate import Gain

# The gain the resume figures of docs/occupations.md have always been computed with.
RESUME_GAIN: Gain = "exponential"


def topk_hits(ranked: Sequence[str], expected: str, k: int) -> bool:
    return expected in ranked[:k]


def load_test_titles(onet_dir: Path) -> list[tuple[str, set[str]]]:
    """Held-out alternate titles with every occupation each one names (a few name several)."""
    labels: dict[str, set[str]] = defaultdict(set)
    path = onet_dir / "Alternate Titles.txt"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            title = row["Alternate Title"].strip()
            if title and is_test_title(title):
                labels[title].add(row["O*NET-SOC Code"])
    return sorted(labels.items())


def load_resumes(resume_dir: Path) -> tuple[list[tuple[str, str]], dict[str, dict[str, float]]]:
    """(category, resume text) rows and the graded relevance of O*NET codes per category."""
    csv.field_size_limit(sys.maxsize)
    with (resume_dir / "resumes_dev.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(row["Category"], row["Resume"]) for row in csv.DictReader(handle)]
    relevance: dict[str, dict[str, float]] = defaultdict(dict)
    with (resume_dir / "category_to_onet.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            relevance[row["category"]][row["onet_soc_code"]] = float(row["grade"])
    return rows, dict(relevance)


class ResumeSplitChangedError(RuntimeError):
    """The resumes no longer split into the frozen halves (the data changed)."""


def resume_halves(rows: Sequence[tuple[str, str]]) -> list[str]:
    """The half (TUNING or HELD_OUT) of each (category, text) row.

    Raises ResumeSplitChangedError when the rows do not split into the frozen held-out half
    (pipeline/occupations/split.py), so no figure is ever printed for a drifted split."""
    categories = [category for category, _ in rows]
    texts = [text for _, text in rows]
    if not frozen_split_matches(categories, texts):
        raise ResumeSplitChangedError(
            f"the {len(rows)} resumes do not split into the frozen held-out half "
            "(pipeline.occupations.split.HELD_OUT_DIGEST): resumes_dev.csv changed; "
            "figures on another split are not comparable with docs/occupations.md"
        )
    return split_resumes(categories, texts)


# The halves in the order they are printed.
RESUME_HALVES = (TUNING, HELD_OUT)


def mean_by_half(values: Sequence[float], halves: Sequence[str]) -> dict[str, float]:
    """The mean of per-resume values over each half and over all of them ("all")."""
    out = {
        half: float(np.mean([v for v, h in zip(values, halves, strict=True) if h == half])) for half in RESUME_HALVES
    }
    out["all"] = float(np.mean(values))
    return out

"""Evaluation data and metrics for occupation mapping (pure functions over plain data).

The labelled data lives outside the project (../shared/data): the held-out test split of the
O*NET alternate titles and the dev resumes. Resumes hold personal data, so they are read
from there at evaluation time and never copied.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from pipeline.occupations.split import is_test_title


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain with the (2^rel - 1) / log2(rank + 1) form."""
    return sum((2.0**gain - 1.0) / math.log2(rank + 2) for rank, gain in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], relevance: dict[str, float], k: int = 10) -> float:
    """nDCG@k of a ranked list of codes against graded relevance (missing codes = 0)."""
    ideal = dcg(sorted(relevance.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([relevance.get(code, 0.0) for code in ranked[:k]]) / ideal


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

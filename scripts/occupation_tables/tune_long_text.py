"""Choose the long-text fusion weights (pipeline.occupations.model.LONG_WEIGHTS*) on the
tuning half of the frozen resume split; the held-out half is dropped before anything is scored.

Prints nDCG@10 (exponential gain 2^rel-1) of every (title, dense) weight pair of a coarse
grid, the document view taking the rest, lexical only and with MiniLM. The weights in
model.py are a point of the plateau this prints, not re-fitted automatically.

Usage: python -m scripts.occupation_tables.tune_long_text [--shared PATH] [--no-dense]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from benchmarks.occupations_eval import RESUME_GAIN, load_resumes, resume_halves
from benchmarks.shared_data import add_shared_option
from ippo.config import Settings
from pipeline.occupations.model import Matcher
from pipeline.occupations.split import TUNING
from ranker.evaluate import ndcg_at_k

TITLE_WEIGHTS = (0.05, 0.1, 0.15, 0.2, 0.25)
DENSE_WEIGHTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def mean_ndcg(
    scores: np.ndarray, codes: list[str], categories: list[str], relevance: dict[str, dict[str, float]]
) -> float:
    order = np.argsort(-scores, axis=1)[:, :10]
    return float(
        np.mean(
            [
                ndcg_at_k([codes[j] for j in row], relevance[category], 10, gain=RESUME_GAIN)
                for row, category in zip(order, categories, strict=True)
            ]
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Long-text fusion weights on the tuning half of the resumes.")
    add_shared_option(parser)
    parser.add_argument("--no-dense", action="store_true", help="lexical views only")
    args = parser.parse_args()
    rows, relevance = load_resumes(args.shared / "resumes")
    tuning = [row for row, half in zip(rows, resume_halves(rows), strict=True) if half == TUNING]
    categories = [category for category, _ in tuning]
    matcher = Matcher("onet")
    dense_view = replace(Settings().dense_view, enabled=not args.no_dense)
    views = matcher.components([text for _, text in tuning], dense_view=dense_view)
    print(f"{len(tuning)} resumes of the '{TUNING}' half; nDCG@10 (exponential gain 2^rel-1); document = 1 - the rest")
    dense_weights = DENSE_WEIGHTS if "dense" in views else (0.0,)
    print("title \\ dense " + " ".join(f"{w:>6.2f}" for w in dense_weights))
    for title in TITLE_WEIGHTS:
        figures = []
        for dense in dense_weights:
            fused = title * views["title"] + (1 - title - dense) * views["document"]
            if dense:
                fused = fused + dense * views["dense"]
            figures.append(mean_ndcg(fused, matcher.codes, categories, relevance))
        print(f"{title:>13.2f} " + " ".join(f"{value:>6.3f}" for value in figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

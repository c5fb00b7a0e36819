"""Evaluate occupation mapping and print the figures quoted in docs/occupations.md.

1. O*NET alternate titles, held-out test split (20 %, by title hash; never used for tuning
   and never indexed): top-1 / top-5 accuracy, lexical only and hybrid.
2. Resumes (../shared/data/resumes, graded O*NET relevance): nDCG@10 with the exponential
   gain 2^rel-1 (ranker.evaluate) of BM25, TF-IDF, MiniLM alone and the hybrid, side by side,
   on each half of the frozen resume split (pipeline.occupations.split: the tuning half the
   long-text weights were chosen on, the held-out half never used for a choice) and on all.
   Resumes are read from ../shared only.
3. Speed: first-use index build, and classify_listings throughput (benchmarks/bench_occupations.py
   measures it on real listing titles and descriptions).

Usage: python -m benchmarks.eval_occupations [--shared PATH] [--no-dense] [--limit N] [--resumes-only]
Sections whose data is absent are skipped with a message.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.occupations_eval import RESUME_GAIN, load_resumes, load_test_titles, mean_by_half, resume_halves
from benchmarks.shared_data import add_shared_option
from ippo.config import DenseView, Settings
from pipeline.occupations.lexical import BM25View, onet_document
from pipeline.occupations.model import DENSE_GATE_MARGIN, Matcher, is_short
from pipeline.occupations.split import HELD_OUT, TUNING
from ranker.evaluate import gain_label, ndcg_at_k


def _ranked(scores: np.ndarray, codes: list[str], k: int) -> list[list[str]]:
    order = np.argsort(-scores, axis=1)[:, :k]
    return [[codes[j] for j in row] for row in order]


def eval_titles(shared: Path, dense_view: DenseView, limit: int | None) -> None:
    onet_dir = shared / "onet"
    if not (onet_dir / "Alternate Titles.txt").is_file():
        print(f"[titles] skipped: {onet_dir / 'Alternate Titles.txt'} not found")
        return
    tests = load_test_titles(onet_dir)
    if limit:
        tests = tests[:: max(1, len(tests) // limit)][:limit]
    queries = [title for title, _ in tests]
    matcher = Matcher("onet")
    started = time.perf_counter()
    views = matcher.components(queries, dense_view=dense_view)
    elapsed = time.perf_counter() - started
    short = np.array([is_short(q) for q in queries], dtype=bool)
    lexical = {k: v for k, v in views.items() if k != "dense"}
    variants = {"lexical (title + document TF-IDF)": matcher.fuse(lexical, short)}
    if "dense" in views:
        variants["MiniLM alone"] = views["dense"]
        variants["hybrid (TF-IDF + MiniLM)"] = matcher.fuse(views, short)
        # What classify_listings does: MiniLM only where the lexical views are uncertain.
        uncertain = ~matcher.lexical_confident(lexical, short)
        variants["hybrid, MiniLM where uncertain"] = matcher.fuse(views, short, uncertain)
    print(f"[titles] O*NET alternate titles, test split: {len(tests)} distinct titles (never indexed, never tuned on)")
    for name, scores in variants.items():
        ranked = _ranked(scores, matcher.codes, 5)
        top1 = np.mean([row[0] in codes for row, (_, codes) in zip(ranked, tests, strict=True)])
        top5 = np.mean([bool(set(row) & codes) for row, (_, codes) in zip(ranked, tests, strict=True)])
        print(f"  {name:<36} top-1 {top1:.3f}  top-5 {top5:.3f}")
    if "dense" in views:
        print(f"  MiniLM asked about {uncertain.mean():.1%} of the titles where uncertain "
              f"(lexical margin < {DENSE_GATE_MARGIN['onet']})")
    print(f"  scoring time {elapsed:.1f} s ({len(queries) / elapsed:.0f} titles/s incl. all views)")


def eval_resumes(shared: Path, dense_view: DenseView) -> None:
    resume_dir = shared / "resumes"
    if not (resume_dir / "resumes_dev.csv").is_file():
        print(f"[resumes] skipped: {resume_dir / 'resumes_dev.csv'} not found")
        return
    rows, relevance = load_resumes(resume_dir)
    halves = resume_halves(rows)
    texts = [text for _, text in rows]
    matcher = Matcher("onet")
    views = matcher.components(texts, dense_view=dense_view)
    short = np.zeros(len(texts), dtype=bool)
    systems: dict[str, np.ndarray] = {
        "BM25 (occupation documents)": BM25View([onet_document(r) for r in matcher.records]).scores(texts),
        "TF-IDF (occupation documents)": views["document"],
        "TF-IDF (titles + documents)": matcher.fuse({k: v for k, v in views.items() if k != "dense"}, short),
    }
    if "dense" in views:
        systems["MiniLM alone"] = views["dense"]
        systems["hybrid (TF-IDF + MiniLM)"] = matcher.fuse(views, short)
    print(
        f"[resumes] {len(rows)} resumes, {len(relevance)} categories, graded relevance 2/1; frozen split "
        f"(pipeline.occupations.split): '{TUNING}' half (weights tuned on it) and '{HELD_OUT}' half (never tuned on)"
    )
    print(f"  {'nDCG@10 (' + gain_label(RESUME_GAIN) + ')':<36} {TUNING:>8} {HELD_OUT:>9} {'all':>6}")
    for name, scores in systems.items():
        ranked = _ranked(scores, matcher.codes, 10)
        values = [ndcg_at_k(r, relevance[c], 10, gain=RESUME_GAIN) for r, (c, _) in zip(ranked, rows, strict=True)]
        by_half = mean_by_half(values, halves)
        print(f"  {name:<36} {by_half[TUNING]:>8.3f} {by_half[HELD_OUT]:>9.3f} {by_half['all']:>6.3f}")


def eval_speed(shared: Path, dense_view: DenseView) -> None:
    from pipeline.occupations import classify_listings
    from pipeline.occupations import model as model_module

    model_module._matchers.clear()
    started = time.perf_counter()
    model_module.get_matcher("onet").lexical  # noqa: B018 - builds the index
    model_module.get_matcher("jobtag").lexical  # noqa: B018
    print(f"[speed] first-use lexical index build (O*NET + job tag): {time.perf_counter() - started:.1f} s")
    onet_dir = shared / "onet"
    if not (onet_dir / "Alternate Titles.txt").is_file():
        return
    every_title = [title for title, _ in load_test_titles(onet_dir)]
    titles = every_title[:2000]
    rows = [(title, "Full-time position. Training provided.", "en") for title in titles]
    # Not timed: loads the model copies (one per encoding thread), with titles not timed after.
    warm_up = [(title, None, "en") for title in every_title[2000:2600]]
    started = time.perf_counter()
    classify_listings(rows, dense_view=replace(dense_view, enabled=False))
    lexical = time.perf_counter() - started
    print(f"[speed] classify_listings, lexical: {len(rows) / lexical:.0f} listings/s ({len(rows)} listings)")
    if dense_view.enabled:
        classify_listings(warm_up, dense_view=dense_view)
        started = time.perf_counter()
        classify_listings(rows, dense_view=dense_view)
        hybrid = time.perf_counter() - started
        print(f"[speed] classify_listings, hybrid:  {len(rows) / hybrid:.0f} listings/s ({len(rows)} listings)")


def main() -> int:
    parser = argparse.ArgumentParser(description="Evaluate occupation mapping.")
    add_shared_option(parser)
    parser.add_argument("--no-dense", action="store_true", help="lexical views only")
    parser.add_argument("--limit", type=int, default=None, help="evaluate on an even sample of N test titles")
    parser.add_argument("--resumes-only", action="store_true", help="only the resume section")
    args = parser.parse_args()
    # The configured model (embedding_model) and cache; --no-dense turns the dense view off.
    dense_view = replace(Settings().dense_view, enabled=not args.no_dense)
    if not args.resumes_only:
        eval_titles(args.shared, dense_view, args.limit)
    eval_resumes(args.shared, dense_view)
    if not args.resumes_only:
        eval_speed(args.shared, dense_view)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

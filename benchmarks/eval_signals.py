"""Precision/recall of the supportive-signal tagger on a labelled set, and its throughput.

Run: .venv/bin/python -m benchmarks.eval_signals [--errors] [--split tune|heldout]
     .venv/bin/python -m benchmarks.eval_signals --set generalization [--errors]
The default set is the tagger's own (tests/fixtures/signals/labelled.jsonl). The generalization
set (tests/fixtures/signals/generalization.jsonl) prints precision/recall/F1 of the tagger and of
a naive keyword baseline: for its tune split overall, per tag, per language and per kind; for its
frozen test split only aggregate figures (overall, per language, per kind), and --errors never
lists test items.
Throughput is measured on real listing texts from the shared data folder ($IPPO_SHARED_DATA, else
../shared/data) when present (skipped with a note otherwise); the labelled snippets are always
used as well.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import time
from pathlib import Path

from benchmarks.shared_data import shared_data_dir
from pipeline.signals.evaluate import (
    SCORED_TAGS,
    Predictor,
    Report,
    baseline_prediction,
    by_field,
    evaluate,
    load_generalization,
    load_labelled,
    score,
    subsets,
    tagger_prediction,
)
from pipeline.signals.tagger import ALL_TAGS, tag_text

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "labelled": ROOT / "tests" / "fixtures" / "signals" / "labelled.jsonl",
    "generalization": ROOT / "tests" / "fixtures" / "signals" / "generalization.jsonl",
}
SCORERS: dict[str, Predictor] = {
    "tagger": tagger_prediction,
    "baseline (naive keywords)": baseline_prediction,
}
DATA = shared_data_dir()
_TAGS = re.compile(r"<[^>]+>")


def _strip_html(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", html.unescape(text)))


def realistic_texts() -> list[str]:
    """Whole listing texts (title + description) from real payloads in ../shared/data."""
    texts: list[str] = []
    remoteok = DATA / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json"
    if remoteok.exists():
        for job in json.loads(remoteok.read_text(encoding="utf-8"))[1:]:
            texts.append(f"{job.get('position', '')}\n{_strip_html(job.get('description', ''))}")
    pages = DATA / "jobposting_pages" / "expected_jobposting_jsonld.json"
    if pages.exists():
        for page in json.loads(pages.read_text(encoding="utf-8")):
            for posting in page["jobpostings"]:
                texts.append(f"{posting.get('title', '')}\n{_strip_html(posting.get('description', ''))}")
    hellowork = DATA / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    if hellowork.exists():
        import csv

        with hellowork.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts.append("\n".join(row[k] for k in ("job_category", "job_description", "working_hours")))
    return texts


def _print_report(name: str, report: Report, per_tag: bool) -> None:
    m = report.micro
    print(f"\n== {name}: {report.items} items ==")
    print(
        f"overall (micro)  precision {m.precision:.3f}  recall {m.recall:.3f}"
        f"  (tp {m.tp}, fp {m.fp}, fn {m.fn})"
    )
    a = report.against
    print(f"against-evidence recall {a.recall:.3f} ({a.tp}/{a.tp + a.fn})")
    if per_tag:
        print(f"{'tag':24} {'P':>6} {'R':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for tag in ALL_TAGS:
            c = report.per_tag[tag]
            if c.tp + c.fp + c.fn:
                print(f"{tag:24} {c.precision:6.3f} {c.recall:6.3f} {c.tp:4d} {c.fp:4d} {c.fn:4d}")


def throughput(texts: list[str], rounds: int) -> tuple[float, float]:
    for text in texts:  # compile and build caches once, outside the timing
        tag_text(text)
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            tag_text(text)
    elapsed = time.perf_counter() - start
    n = rounds * len(texts)
    return n / elapsed, sum(map(len, texts)) / len(texts)


def _figure(value: float, defined: bool) -> str:
    return f"{value:.3f}" if defined else "  -  "


def _line(name: str, report: Report) -> str:
    """One row: P is shown only when something was raised, R only when something was expected
    (a slice of negations or traps has no gold tags: what counts there is fp and false raises)."""
    m = report.micro
    has_p, has_r = m.tp + m.fp > 0, m.tp + m.fn > 0
    falsely = sum(1 for err in report.errors if set(err["predicted"]) - set(err["gold"]))
    return (
        f"{name:28} {report.items:5d}  P {_figure(m.precision, has_p)}  R {_figure(m.recall, has_r)}"
        f"  F1 {_figure(m.f1, has_p and has_r)}  (tp {m.tp}, fp {m.fp}, fn {m.fn};"
        f" items with a false raise {falsely})"
    )


def _print_generalization_split(
    split: str, items: list[dict[str, object]], predict: Predictor, detailed: bool
) -> Report:
    """Overall, against-evidence, per language and per kind; per tag only when ``detailed``."""
    report = score(items, predict)
    print(f"-- {split} split --")
    print(_line("overall", report))
    a = report.against
    has_p, has_r = a.tp + a.fp > 0, a.tp + a.fn > 0
    print(
        f"{'against-evidence':28} {'':5}  P {_figure(a.precision, has_p)}  R {_figure(a.recall, has_r)}"
        f"  F1 {_figure(a.f1, has_p and has_r)}  (tp {a.tp}, fp {a.fp}, fn {a.fn})"
    )
    for key in ("lang", "kind"):
        for value, group in by_field(items, key).items():
            print(_line(f"{key} {value}", score(group, predict)))
    if detailed:
        print(f"{'tag':28} {'P':>7} {'R':>7} {'F1':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
        for tag in SCORED_TAGS:
            c = report.per_tag[tag]
            if c.tp + c.fp + c.fn:
                print(f"{tag:28} {c.precision:7.3f} {c.recall:7.3f} {c.f1:7.3f} {c.tp:4d} {c.fp:4d} {c.fn:4d}")
    return report


def run_generalization(path: Path, errors: bool) -> None:
    """The generalization set: tune split in full, frozen test split in aggregate only."""
    items = load_generalization(path)
    splits = by_field(items, "split")
    print(f"generalization set: {len(items)} items ({path.name}); "
          + ", ".join(f"{name} {len(part)}" for name, part in splits.items()))
    print("the test split is frozen by a hash of each text: report it, never tune on it")
    for name, predict in SCORERS.items():
        print(f"\n== {name} ==")
        tune = _print_generalization_split("tune", splits.get("tune", []), predict, detailed=True)
        _print_generalization_split("test", splits.get("test", []), predict, detailed=False)
        if errors and predict is tagger_prediction:
            print("\n-- tagger errors, tune split only --")
            for err in tune.errors:
                print("  ERR", json.dumps(err, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=sorted(SETS), default="labelled", help="which labelled set")
    parser.add_argument("--errors", action="store_true", help="list mismatched items")
    parser.add_argument(
        "--split", choices=["tune", "heldout", "test"], help="with --errors: only this split"
    )
    args = parser.parse_args()

    if args.set == "generalization":
        if args.split not in (None, "tune"):
            parser.error(
                f"--split {args.split}: the generalization set lists errors of its tune split only; "
                "its test split is reported in aggregate and its items are never listed"
            )
        run_generalization(SETS["generalization"], args.errors)
        return
    if args.split == "test":
        parser.error("--split test belongs to --set generalization; the labelled set has tune and heldout")

    items = load_labelled(SETS["labelled"])
    for name, subset in subsets(items).items():
        report = evaluate(subset)
        _print_report(name, report, per_tag=name in ("all", "held-out"))
        if args.errors and name == "all":
            for err in report.errors:
                if args.split is None or err["split"] == args.split:
                    print("  ERR", json.dumps(err, ensure_ascii=False))

    print("\n== throughput of tag_text (one core) ==")
    snippets = [i["text"] for i in items]
    rate, mean_len = throughput(snippets, rounds=50)
    print(f"labelled snippets: {rate:,.0f} items/s (mean {mean_len:.0f} chars)")
    texts = realistic_texts()
    if texts:
        rate, mean_len = throughput(texts, rounds=5)
        print(f"real listing texts ({len(texts)}): {rate:,.0f} items/s (mean {mean_len:.0f} chars)")
    else:
        print(f"real listing texts: skipped, {DATA} not found")


if __name__ == "__main__":
    main()

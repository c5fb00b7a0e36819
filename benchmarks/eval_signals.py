"""Precision/recall of the supportive-signal tagger on the labelled set, and its throughput.

Run: .venv/bin/python -m benchmarks.eval_signals [--errors] [--split tune|heldout]
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
from pipeline.signals.evaluate import Report, evaluate, load_labelled, subsets
from pipeline.signals.tagger import ALL_TAGS, tag_text

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list mismatched items")
    parser.add_argument("--split", choices=["tune", "heldout"], help="with --errors: only this split")
    args = parser.parse_args()

    items = load_labelled(ROOT / "tests" / "fixtures" / "signals" / "labelled.jsonl")
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

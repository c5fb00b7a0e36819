"""Employer-to-registry matching: precision per method and confidence band, recall, throughput.

Run from the repository root:  .venv/bin/python -m benchmarks.eval_employer_match [--names 100000] [--shared PATH]

Precision is measured on tests/fixtures/employers/labelled_matches.csv (pairs judged by hand):
for every labelled pair the matcher is asked about the query name (with its location), and the
pair counts as *proposed* when the registry row of that name is among the matches. Recall is the
share of labelled true pairs proposed at or above the signal threshold. Throughput is measured on
real employer names (Greenhouse company names, 求人ボックス and Hello Work names), repeated and
made distinct until the batch has the requested size, so most names reach the fuzzy stage.
"""

from __future__ import annotations

import argparse
import csv
import glob
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.shared_data import add_shared_option
from pipeline.employers.matching import DEFAULT_SIGNAL_CONFIDENCE, RegistryIndex
from pipeline.employers.names import employer_key
from pipeline.employers.records import load_registry_specs, read_gbizinfo_awards, read_inclusive_mentions

LABELS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "employers" / "labelled_matches.csv"
BANDS = ((0.9, 1.01, "0.90-1.00"), (0.6, 0.9, "0.60-0.89"), (0.3, 0.6, "0.30-0.59"), (0.0, 0.3, "<0.30"))


def band(conf: float) -> str:
    for lo, hi, name in BANDS:
        if lo <= conf < hi:
            return name
    return "<0.30"


def real_names(data: Path) -> list[str]:
    names: list[str] = []
    gh = data / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv"
    with gh.open(encoding="utf-8") as fh:
        names.extend(row["company_name"] for row in csv.DictReader(fh))
    for path in sorted(glob.glob(str(data / "ja_jobs_kyujinbox_2020" / "*.csv"))):
        with open(path, encoding="utf-8") as fh:
            names.extend(row[0] for row in csv.reader(fh) if row)
    hw = data / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    with hw.open(encoding="utf-8") as fh:
        names.extend(row["company_name"] for row in csv.DictReader(fh))
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=100_000, help="batch size for the throughput run")
    parser.add_argument("--threshold", type=float, default=DEFAULT_SIGNAL_CONFIDENCE)
    add_shared_option(parser)
    args = parser.parse_args()
    data = args.shared
    specs = load_registry_specs()
    gbiz_csv = data / str(specs["gbizinfo_awards"].default_path)
    mentions_csv = data / str(specs["inclusive_mentions"].default_path)
    if not gbiz_csv.is_file() or not mentions_csv.is_file():
        print(f"registry files not found under {data}; give --shared PATH or set IPPO_SHARED_DATA", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    gbiz, _ = read_gbizinfo_awards(gbiz_csv)
    mentions, _ = read_inclusive_mentions(mentions_csv)
    t1 = time.perf_counter()
    index = RegistryIndex.from_records(gbiz + mentions, min_confidence=0.0)
    t2 = time.perf_counter()
    print(
        f"registry records: {len(gbiz)} gBizINFO + {len(mentions)} mentions; read {t1 - t0:.2f}s, "
        f"index built in {t2 - t1:.2f}s"
    )

    with LABELS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    per: dict[tuple[str, str], list[int]] = defaultdict(list)
    positives = sum(r["label"] == "1" for r in rows)
    found_pos = 0
    false_signals: list[str] = []
    missed: list[str] = []
    for r in rows:
        matches = index.match(r["query_name"], address=r["query_location"] or None)
        target = employer_key(r["registry_name"])
        hit = next(
            (
                m
                for m in matches
                if m.record["registry"] == r["registry"] and employer_key(m.record["employer_name"]) == target
            ),
            None,
        )
        if r["label"] == "1" and hit is not None and hit.confidence >= args.threshold:
            found_pos += 1
        elif r["label"] == "1":
            missed.append(f"{r['query_name']} -> {r['registry_name']}")
        if hit is None or r["label"] not in ("0", "1"):
            continue
        per[(hit.method, band(hit.confidence))].append(int(r["label"]))
        if r["label"] == "0" and hit.confidence >= args.threshold:
            false_signals.append(f"{r['query_name']} -> {r['registry_name']} ({hit.method} {hit.confidence})")

    print(
        f"\nlabelled pairs: {len(rows)} (true {positives}, false {sum(r['label'] == '0' for r in rows)}, "
        f"undecided {sum(r['label'] == '?' for r in rows)})"
    )
    print(f"{'method':<18}{'confidence':<12}{'proposed':>9}{'correct':>9}{'precision':>11}")
    for (method, b), labels in sorted(per.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        print(f"{method:<18}{b:<12}{len(labels):>9}{sum(labels):>9}{sum(labels) / len(labels):>11.2f}")
    above = [x for (m, b), ls in per.items() for x in ls if b in ("0.90-1.00", "0.60-0.89")]
    if above:
        print(
            f"precision at confidence >= {args.threshold}: {sum(above) / len(above):.3f} ({len(above)} pairs)"
        )
    print(f"recall at confidence >= {args.threshold}: {found_pos}/{positives} = {found_pos / positives:.3f}")
    for line in false_signals:
        print(f"  false signal: {line}")
    for line in missed:
        print(f"  missed: {line}")

    base = real_names(data)
    listings = [base[i % len(base)] for i in range(args.names)]
    t3 = time.perf_counter()
    results = index.match_many(listings)
    t4 = time.perf_counter()
    print(
        f"\nthroughput, listing-like batch: {len(listings)} names ({len(set(listings))} distinct, "
        f"repeated as in the data) in {t4 - t3:.2f}s = {len(listings) / (t4 - t3):,.0f} names/s; "
        f"{sum(1 for r in results if r)} with a match"
    )
    distinct = sorted(set(base))
    worst = [f"{distinct[i % len(distinct)]} {i}" for i in range(args.names)]  # every name new to the cache
    t5 = time.perf_counter()
    results = index.match_many(worst)
    t6 = time.perf_counter()
    print(
        f"throughput, all-distinct batch: {len(worst)} names in {t6 - t5:.2f}s = "
        f"{len(worst) / (t6 - t5):,.0f} names/s (every name normalized and sent to the fuzzy stage)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

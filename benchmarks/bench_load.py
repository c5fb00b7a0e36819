"""Load throughput: `ippo load` of generated raw items (first load), then a reload of the same items.

The items are generated from real payload shapes (benchmarks/generate_raw_items.py). The first
load parses, normalizes, tags, classifies and writes every item; the reload is a new run file
per source with identical lines, which the loader must recognise as unchanged.

    .venv/bin/python -m benchmarks.bench_load --items 100000 [--no-occupations] [--workers 2]
    .venv/bin/python -m benchmarks.bench_load --split 2000    # CPU per item of each worker step
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.generate_raw_items import generate
from pipeline.warehouse.load import load


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def profile_normalization(per_kind: int) -> None:
    """Milliseconds per item of each kind's normalizer, and where the time goes (cProfile).

    Every normalizer runs on 50 items of each kind before timing, so the one-time
    compilation of the vocabularies is not charged to whichever kind comes first.
    """
    import cProfile
    import pstats

    from pipeline.sources.kinds import NORMALIZERS

    work = Path(tempfile.mkdtemp(prefix="ippo-bench-profile-"))
    generate(per_kind * 7, work, "profile")
    kinds = []
    for path in sorted(work.glob("*/profile.jsonl")):
        # Lines end with "\n" only: str.splitlines would also split at U+2028 inside JSON strings.
        lines = path.read_bytes().split(b"\n")[:-1]
        kinds.append((path.parent.name, [json.loads(line) for line in lines[:per_kind]],
                      sum(map(len, lines)) / max(1, len(lines))))

    def run(items: list[dict]) -> None:
        for item in items:
            # A failing item is quarantined by the loader; here only the time counts.
            with contextlib.suppress(Exception):
                NORMALIZERS[item["kind"]].normalize(item)

    for _, items, _ in kinds:
        run(items[:50])
    profiler = cProfile.Profile()
    total, count = 0.0, 0
    for name, items, line_bytes in kinds:
        started = time.perf_counter()
        profiler.enable()
        run(items)
        profiler.disable()
        elapsed = time.perf_counter() - started
        total, count = total + elapsed, count + len(items)
        per_item = elapsed / len(items) * 1000
        print(f"{name:<20} {items[0]['kind']:<16} {per_item:6.2f} ms/item ({line_bytes:,.0f} B/line)")
    print(f"all (same number of each kind, with the profiler on): {total / count * 1000:.2f} ms/item")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(r"pipeline/|\{", 25)
    shutil.rmtree(work, ignore_errors=True)


def cost_split(per_kind: int) -> None:
    """CPU per item of each step a worker runs, without a profiler: parse, identify, normalize, Arrow.

    The budget behind the target: 20,000 items/s on 2 cores leaves 100 µs of CPU per item
    for everything (reading, normalizing, writing, dedupe, commit).
    """
    import orjson

    from pipeline.sources.kinds import NORMALIZERS
    from pipeline.warehouse.arrow import listings_to_batch

    work = Path(tempfile.mkdtemp(prefix="ippo-bench-split-"))
    generate(per_kind * 7, work, "split")
    lines: list[bytes] = []
    for path in sorted(work.glob("*/split.jsonl")):
        lines.extend(path.read_bytes().split(b"\n")[:-1][:per_kind])
    shutil.rmtree(work, ignore_errors=True)
    for line in lines[:200]:  # warm up: vocabularies compiled, pyarrow initialised
        item = orjson.loads(line)
        normalizer = NORMALIZERS[item["kind"]]
        listings_to_batch([normalizer.normalize(item, content_hash=normalizer.identify(item)[1])])
    clock = time.perf_counter
    t = clock()
    items = [orjson.loads(line) for line in lines]
    parse_s = clock() - t
    t = clock()
    ids = [NORMALIZERS[item["kind"]].identify(item) for item in items]
    identify_s = clock() - t
    t = clock()
    listings = [NORMALIZERS[item["kind"]].normalize(item, content_hash=ident[1])
                for item, ident in zip(items, ids, strict=True)]
    normalize_s = clock() - t
    t = clock()
    listings_to_batch(listings)  # type: ignore[arg-type]
    arrow_s = clock() - t
    n = len(lines)
    print(f"{n} generated items ({sum(map(len, lines)) / n:,.0f} B/line), one process, µs per item:")
    for name, seconds in (("parse (orjson)", parse_s), ("identify (id + content hash)", identify_s),
                          ("normalize", normalize_s), ("to Arrow", arrow_s)):
        print(f"  {name:<30} {seconds / n * 1e6:8.1f}")
    total = parse_s + identify_s + normalize_s + arrow_s
    print(f"  {'total':<30} {total / n * 1e6:8.1f}  -> at most {2 * n / total:,.0f} items/s on 2 cores "
          "for this part alone")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="normalizing processes (default: cores)")
    parser.add_argument("--no-occupations", action="store_true", help="skip occupation classification")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead: time normalization of N generated items of each kind, one process")
    parser.add_argument("--split", type=int, default=0, metavar="N",
                        help="instead: CPU per item of parse / identify / normalize / Arrow on N items of each kind")
    args = parser.parse_args()
    if args.split:
        cost_split(args.split)
        return
    if args.profile:
        profile_normalization(args.profile)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="ippo-bench-load-"))
    raw, warehouse = work / "raw", work / "warehouse.duckdb"
    if warehouse.exists():
        warehouse.unlink()
    shutil.rmtree(raw, ignore_errors=True)
    counts = generate(args.items, raw, "20261126T000000Z")
    size = sum(p.stat().st_size for p in raw.glob("*/*.jsonl"))
    print(f"machine: {os.cpu_count()} cores, {_cpu()}, Python {platform.python_version()}")
    print(f"generated {sum(counts.values())} raw items ({size / 1e6:.0f} MB): {json.dumps(counts)}")
    occupations = not args.no_occupations

    started = time.perf_counter()
    first = load(warehouse, raw, now=datetime(2026, 11, 26, 12), workers=args.workers, occupations=occupations)
    elapsed = time.perf_counter() - started
    totals = first.totals()
    print(f"first load: {totals['items']} items in {elapsed:.1f}s = {totals['items'] / elapsed:,.0f} items/s "
          f"(new {totals['new']}, quarantined {totals['quarantined']}, occupations "
          f"{'on' if occupations else 'off'}: {totals['occupations']} classified, duplicates {totals['duplicates']})")
    print("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in first.timings.items()))

    for path in list(raw.glob("*/20261126T000000Z.jsonl")):
        shutil.copyfile(path, path.with_name("20261127T000000Z.jsonl"))
    started = time.perf_counter()
    again = load(warehouse, raw, now=datetime(2026, 11, 27, 12), workers=args.workers, occupations=occupations)
    elapsed = time.perf_counter() - started
    totals = again.totals()
    print(f"reload (same items, new run files): {totals['items']} items in {elapsed:.2f}s = "
          f"{totals['items'] / elapsed:,.0f} items/s (unchanged {totals['unchanged']}, new {totals['new']}, "
          f"changed {totals['changed']})")
    print("  stages: " + ", ".join(f"{k} {v:.2f}" for k, v in again.timings.items()))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Cross-source duplicate detection speed on the open listings of a warehouse.

Reads the columns that ``pipeline.load.mark_duplicates`` selects (read-only), then times
``find_duplicates`` on DedupeRow objects and ``find_duplicates_columns`` on plain columns, and
checks that both give the same answer. ``--save``/``--compare`` keep the answer as JSON so that a
change of the code can be checked to give exactly the same duplicates on the same warehouse.

A warehouse to measure on: ``benchmarks/bench_load.py --items 100000 --no-occupations --keep DIR``
leaves ``DIR/warehouse.duckdb``.

    .venv/bin/python benchmarks/bench_dedupe.py DIR/warehouse.duckdb [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402

from pipeline.dedupe import DedupeRow, find_duplicates, find_duplicates_columns  # noqa: E402

QUERY = (
    "SELECT id, source, employer.name, title, locations, remote, url, apply_url, first_seen "
    "FROM listings WHERE status = 'open'"
)


def read_rows(warehouse: Path) -> list[tuple]:
    if not warehouse.is_file():
        sys.exit(f"{warehouse}: no such warehouse file")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(QUERY).fetchall()
    finally:
        con.close()


def best_of(repeat: int, func) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each entry point; the best is shown")
    parser.add_argument("--save", type=Path, default=None, help="write the answer (id -> canonical id) as JSON")
    parser.add_argument("--compare", type=Path, default=None, help="check the answer against a saved JSON")
    parser.add_argument("--profile", action="store_true", help="print where the time of one run goes")
    args = parser.parse_args()

    t = time.perf_counter()
    rows = read_rows(args.warehouse)
    print(f"read {len(rows):,} open listings in {time.perf_counter() - t:.2f} s")
    if not rows:
        sys.exit("no open listings to measure on")
    per = 100_000 / len(rows)

    # Each run starts from a fresh process's caches as far as dedupe's own memo tables go: they live
    # inside one call. (The employer parser's lru_cache persists; the first run pays for it.)
    objects, answer = best_of(args.repeat, lambda: find_duplicates(DedupeRow(*r) for r in rows))
    columns = list(zip(*rows, strict=True))
    plain, answer_columns = best_of(args.repeat, lambda: find_duplicates_columns(*columns))
    assert isinstance(answer, dict)
    duplicates = sum(v is not None for v in answer.values())
    print(f"find_duplicates (DedupeRow objects, built in the loop): {objects:.3f} s, "
          f"{objects * per:.3f} s per 100,000")
    print(f"find_duplicates_columns (plain columns):               {plain:.3f} s, {plain * per:.3f} s per 100,000")
    print(f"{duplicates:,} listings marked as duplicates of {len(set(answer.values()) - {None}):,} canonical ones")
    same = answer == answer_columns
    print(f"both entry points agree: {same}")

    if args.save:
        args.save.write_text(json.dumps(answer, sort_keys=True), encoding="utf-8")
        print(f"answer written to {args.save}")
    if args.compare:
        saved = json.loads(args.compare.read_text(encoding="utf-8"))
        differ = [k for k in saved.keys() | answer.keys() if saved.get(k, "<missing>") != answer.get(k, "<missing>")]
        print(f"same as {args.compare}: {not differ} ({len(differ):,} ids differ)")
        same = same and not differ
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        find_duplicates(DedupeRow(*r) for r in rows)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Recommendation latency and memory on GENERATED listings (same as `ippo bench recommend`).

Usage: python -m benchmarks.bench_recommend [--listings 100000] [--queries 200] [--home DIR] [--reuse]
Prints the figures quoted in docs/benchmarks.md ("Recommendation"). Needs ../shared/data for
the real vocabularies the generated listings are built from; skips with a message without it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks.recommend_latency import run
from benchmarks.synthetic import SharedDataMissingError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--home", type=Path, default=None, help="folder for the generated snapshot")
    parser.add_argument("--reuse", action="store_true", help="reuse a generated snapshot already in --home")
    args = parser.parse_args()
    try:
        run(count=args.listings, queries=args.queries, home=args.home, reuse=args.reuse)
    except SharedDataMissingError as exc:
        print(f"skipped: {exc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write N GENERATED listings (benchmarks.synthetic) as a serving snapshot under --home/serving/,
with title embeddings, so `IPPO_HOME=--home ippo serve` / `ippo recommend` run on them.

The listings are not real: titles, employers and places come from the real public tables in
../shared/data; pay, hours, signals and the rest are drawn with a fixed seed.
Usage: python -m benchmarks.generate_listings --home DIR [--listings 100000] [--seed 7] [--no-vectors]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.generated_snapshot import write_snapshot
from benchmarks.synthetic import ListingGenerator, SharedDataMissingError, load_vocabulary, title_vectors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-vectors", action="store_true", help="skip the title embeddings (lexical only)")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        rows = ListingGenerator(load_vocabulary(), seed=args.seed).listings(args.listings)
    except SharedDataMissingError as exc:
        print(f"skipped: {exc}")
        return 0
    vectors = None
    if not args.no_vectors:
        from ippo.config import Settings
        from pipeline.embedding import Embedder

        vectors = title_vectors(rows, Embedder(Settings().embedding_model), seed=args.seed)
    path = write_snapshot(rows, vectors, args.home / "serving")
    print(f"wrote {len(rows):,} GENERATED listings to {path} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

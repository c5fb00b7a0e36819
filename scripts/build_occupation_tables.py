"""Regenerate pipeline/data/occupations/ from ../shared/data (O*NET 29.3 and job tag).

Usage (from the repository root):
    python -m scripts.build_occupation_tables [--shared PATH] [--no-embeddings] [--no-calibration]

The shipped tables are what the project uses at run time; this script is only needed when the
raw data or the derivation changes.
"""

from __future__ import annotations

import argparse
import sys
import time

from benchmarks.shared_data import add_shared_option
from pipeline.occupations.tables import DATA_DIR
from scripts.occupation_tables.build import RawDataError, build_tables


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(parser)
    parser.add_argument(
        "--no-embeddings", action="store_true", help="keep the shipped MiniLM occupation vectors as they are"
    )
    parser.add_argument("--no-calibration", action="store_true", help="keep the current calibration.json")
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        counts = build_tables(args.shared, DATA_DIR)
    except RawDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, value in counts.items():
        print(f"{name}: {value}")
    if not args.no_embeddings:
        from pipeline.occupations.dense import write_shipped_embeddings

        path = write_shipped_embeddings()
        print(f"embeddings: {path.name}")
    if not args.no_calibration:
        from pipeline.occupations.dense import SHIPPED_FILE
        from scripts.occupation_tables.calibrate import calibrate, write_calibration

        calibration = calibrate(with_dense=(DATA_DIR / SHIPPED_FILE).is_file())
        for key, values in calibration.items():
            print(
                f"calibration {key}: dev top-1 {values['dev_top1']}, top-5 {values['dev_top5']} "
                f"on {values['dev_titles']} held-out dev titles"
            )
        write_calibration(calibration)
    for path in sorted(DATA_DIR.iterdir()):
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")
    print(f"built in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

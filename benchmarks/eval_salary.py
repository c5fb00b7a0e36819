"""Accuracy and speed of the salary text parser on the labelled real strings.

Reads tests/fixtures/salary/labelled.csv (salary strings from real listings, each labelled by
reading it: min, max, currency, unit; empty = not stated) and prints, per field, the share of
strings where the parser's value equals the label, the share where all four are right, the
rows it gets wrong, and how many strings per second it parses (best of several rounds, without
the cache parse_salary_text keeps for repeated strings).

    .venv/bin/python -m benchmarks.eval_salary [--show-errors] [--rounds N]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from pipeline.fields.salary import _parse_salary_text, parse_salary_text

ROOT = Path(__file__).resolve().parents[1]

LABELLED = ROOT / "tests" / "fixtures" / "salary" / "labelled.csv"
FIELDS = ("min", "max", "currency", "unit")


def _expected(row: dict[str, str]) -> dict[str, object]:
    return {
        "min": float(row["min"]) if row["min"] else None,
        "max": float(row["max"]) if row["max"] else None,
        "currency": row["currency"] or None,
        "unit": row["unit"] or None,
    }


def _same(field: str, got: object, want: object) -> bool:
    if field in ("min", "max") and got is not None and want is not None:
        return abs(float(got) - float(want)) < 0.5  # type: ignore[arg-type]
    return got == want


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="print every wrongly parsed row")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds (best is reported)")
    args = parser.parse_args()
    if not LABELLED.exists():
        print(f"labelled set not found: {LABELLED}", file=sys.stderr)
        return 1
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    correct = dict.fromkeys(FIELDS, 0)
    exact = 0
    errors: list[str] = []
    by_origin: dict[str, list[int]] = {}
    for row in rows:
        parsed = parse_salary_text(row["text"])
        want = _expected(row)
        found: dict[str, object] = dict(parsed or {})
        got = {field: found.get(field) for field in FIELDS}
        ok = {field: _same(field, got[field], want[field]) for field in FIELDS}
        for field in FIELDS:
            correct[field] += ok[field]
        all_ok = all(ok.values())
        exact += all_ok
        tally = by_origin.setdefault(row["origin"], [0, 0])
        tally[0] += all_ok
        tally[1] += 1
        if not all_ok:
            errors.append(f"  {row['text'][:90]!r}\n    want {want}\n    got  {got}")

    total = len(rows)
    print(f"labelled strings: {total} (from {len(by_origin)} source files)")
    for field in FIELDS:
        print(f"  {field:<9} accuracy: {correct[field] / total:.3f} ({correct[field]}/{total})")
    print(f"  all-fields-exact: {exact / total:.3f} ({exact}/{total})")
    print("per source file (all-fields-exact):")
    for origin, (good, count) in sorted(by_origin.items()):
        print(f"  {good:>3}/{count:<3} {origin}")

    texts = [row["text"] for row in rows]
    best = float("inf")
    repeat = max(1, 20_000 // max(1, total))
    for _ in range(max(1, args.rounds)):
        start = time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                _parse_salary_text(text, None)  # the uncached path: every string parsed afresh
        best = min(best, time.perf_counter() - start)
    rate = repeat * total / best
    print(f"throughput: {rate:,.0f} strings/s uncached ({repeat * total} parses, best of {args.rounds})")

    if errors and args.show_errors:
        print(f"wrong rows ({len(errors)}):")
        print("\n".join(errors))
    elif errors:
        print(f"{len(errors)} rows wrong; --show-errors lists them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

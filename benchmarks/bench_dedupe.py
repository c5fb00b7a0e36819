"""Cross-source duplicate detection speed on the open listings of a warehouse.

Reads the columns that ``pipeline.warehouse.load.mark_duplicates`` selects (read-only) and times:

* ``find_duplicates`` on DedupeRow objects built from the rows (what the loader did);
* ``find_duplicates_columns`` on plain columns;
* the loader's whole step done column-wise: reading the columns without locations, then
  ``find_duplicates_columns`` reading locations only for the listings it asks for.

CPU seconds of this process are shown next to wall seconds: on a busy machine they are the
steadier figure. Every answer is checked against the others; ``--against REV`` also runs
pipeline/warehouse/dedupe.py as it is in git revision REV on the same rows and checks the answers are
identical. ``--board-copies N`` adds a job board's copy of every N-th listing, so that there
are duplicates to find (a generated warehouse has none across sources).

A warehouse to measure on: ``python -m benchmarks.bench_load --items 100000 --no-occupations --keep DIR``
leaves ``DIR/warehouse.duckdb``.

    .venv/bin/python -m benchmarks.bench_dedupe DIR/warehouse.duckdb [--repeat 3] [--board-copies 10]
        [--against REV] [--profile]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb

from pipeline.warehouse.dedupe import DedupeRow, find_duplicates, find_duplicates_columns

REPO = Path(__file__).resolve().parent.parent

COLUMNS = "id, source, employer.name, title, locations, remote, url, apply_url, first_seen"
OPEN = "FROM listings WHERE status = 'open'"


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.is_file():
        sys.exit(f"{warehouse}: no such warehouse file")
    return duckdb.connect(str(warehouse), read_only=True)


def with_board_copies(rows: list[tuple], every: int) -> list[tuple]:
    """The rows plus a job board's copy of every ``every``-th one, so that there are duplicates to find.

    The copies vary the way boards do: the same apply URL; no apply URL but the employer in capitals
    and a gender marker on the title; no apply URL and the next listing's places (found only if
    they are the same place); no apply URL, no places and remote. Half are first seen a day earlier.
    """
    if every <= 0:
        return rows
    out = list(rows)
    for n, i in enumerate(range(0, len(rows), every)):
        id_, _source, employer, title, locations, remote, _url, apply_url, first_seen = rows[i]
        kind = n % 4
        if kind == 1:
            employer = employer.upper() if employer else employer
            title = f"{title} (m/w/d)" if title else title
        if kind == 2:
            locations = rows[(i + 1) % len(rows)][4]
        if kind == 3:
            locations, remote = [], "remote"
        seen = first_seen - timedelta(days=1) if first_seen and n % 2 == 0 else None
        out.append((f"{id_}~board", "board", employer, title, locations, remote, f"https://board.example/{n}",
                    apply_url if kind == 0 else None, seen))
    return out


def timed(repeat: int, func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall and best CPU seconds of ``repeat`` runs, and the last answer."""
    wall = cpu = float("inf")
    result = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    return wall, cpu, result


def column_wise(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The loader's step as it can be done: columns without locations, locations on demand."""
    rows = con.execute(f"SELECT id, source, employer.name, title, remote, url, apply_url, first_seen {OPEN}").fetchall()
    ids, sources, employers, titles, remotes, urls, apply_urls, first_seen = (list(c) for c in zip(*rows, strict=True))

    def locations_of(positions: list[int]) -> list:
        wanted = [ids[p] for p in positions]
        found = dict(con.execute("SELECT id, locations FROM listings WHERE id IN (SELECT unnest(?))",
                                 [wanted]).fetchall())
        return [found.get(i) for i in wanted]

    return find_duplicates_columns(ids, sources, employers, titles, locations_of, remotes, urls, apply_urls,
                                   first_seen)


def revision(rev: str) -> types.ModuleType:
    """pipeline/warehouse/dedupe.py as it is in git revision ``rev``, as a module of its own."""
    try:
        source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:pipeline/warehouse/dedupe.py"], check=True,
                                capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as exc:
        sys.exit(f"--against {rev}: git cannot show pipeline/warehouse/dedupe.py there ({exc.stderr.strip()})")
    module = types.ModuleType(f"dedupe_at_{rev}")
    sys.modules[module.__name__] = module
    exec(compile(source, f"{rev}:pipeline/warehouse/dedupe.py", "exec"), module.__dict__)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is shown")
    parser.add_argument("--board-copies", type=int, default=0, metavar="N",
                        help="add a job board's copy of every N-th listing (see with_board_copies)")
    parser.add_argument("--against", metavar="REV", help="also run pipeline/warehouse/dedupe.py of this git revision")
    parser.add_argument("--profile", action="store_true", help="print where the time of one run goes")
    args = parser.parse_args()

    con = connect(args.warehouse)
    wall, cpu, rows = timed(1, lambda: con.execute(f"SELECT {COLUMNS} {OPEN}").fetchall())
    print(f"read {len(rows):,} open listings with their locations: {wall:.2f} s wall, {cpu:.2f} s CPU")
    if not rows:
        sys.exit("no open listings to measure on")
    rows = with_board_copies(rows, args.board_copies)
    if args.board_copies:
        print(f"with board copies: {len(rows):,} listings")
    per = 100_000 / len(rows)

    def show(name: str, wall: float, cpu: float) -> None:
        print(f"{name:<58} {wall:6.3f} s wall, {cpu:6.3f} s CPU; per 100,000: {wall * per:6.3f} s wall, "
              f"{cpu * per:6.3f} s CPU")

    answers: dict[str, dict[str, str | None]] = {}
    wall, cpu, answers["rows"] = timed(args.repeat, lambda: find_duplicates(DedupeRow(*r) for r in rows))
    show("find_duplicates (DedupeRow objects built in the loop)", wall, cpu)
    columns = [list(c) for c in zip(*rows, strict=True)]
    wall, cpu, answers["columns"] = timed(args.repeat, lambda: find_duplicates_columns(*columns))
    show("find_duplicates_columns (plain columns)", wall, cpu)
    if not args.board_copies:
        wall, cpu, answers["column-wise"] = timed(args.repeat, lambda: column_wise(con))
        show("read without locations + find_duplicates_columns on demand", wall, cpu)
    if args.against:
        old = revision(args.against)
        wall, cpu, answers[args.against] = timed(1, lambda: old.find_duplicates(old.DedupeRow(*r) for r in rows))
        show(f"find_duplicates of {args.against}", wall, cpu)

    answer = answers["rows"]
    duplicates = sum(v is not None for v in answer.values())
    print(f"{duplicates:,} listings marked as duplicates of {len(set(answer.values()) - {None}):,} canonical ones")
    same = True
    for name, other in answers.items():
        differ = sum(1 for k in answer.keys() | other.keys() if answer.get(k, "-") != other.get(k, "-"))
        print(f"answer of {name}: {'identical' if not differ else f'{differ:,} ids differ'}")
        same = same and not differ
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        find_duplicates_columns(*columns)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

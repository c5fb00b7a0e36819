"""Throughput of occupation classification as a load runs it: distinct listings per second.

`pipeline.warehouse.enrich.classify_occupations` hands `classify_listings` one (title, description,
language) row per distinct title, so that is what is timed here, on real data:

- English titles only: distinct titles of the Greenhouse board index (../shared/data).
- English with descriptions: the same titles, each given a real posting description from the
  Greenhouse / Lever / Ashby / RemoteOK / USAJOBS payloads (../shared/data and
  tests/fixtures/payloads), taken in turn; there are far fewer descriptions than titles, so
  titles and descriptions are paired round-robin (the text is real, the pairing is not).
- Japanese: job titles (and descriptions where the file has them) of the 求人ボックス and
  ハローワーク CSVs.

Each case runs with the dense (MiniLM) view on and off. The model and indexes are loaded
before timing (a load pays for them once). A digest of the classifications is printed so two
versions of the code can be checked to give identical answers; --save / --compare keep and
check the full answers. The machine is shared: the load average is printed with the figures.

Usage: python -m benchmarks.bench_occupations [--shared PATH] [--limit N] [--save F] [--compare F]
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import html
import json
import os
import platform
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.shared_data import add_shared_option

REPO_ROOT = Path(__file__).resolve().parent.parent

Row = tuple[str, str | None, str | None]
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(markup: str | None) -> str:
    """Visible text of an HTML fragment (payloads may escape their HTML once more)."""
    if not markup:
        return ""
    text = html.unescape(markup)
    if "<" in text:
        text = html.unescape(_TAG.sub(" ", text))
    return _SPACE.sub(" ", text).strip()


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        print(f"  skipped {path}: {error}")
        return None


def _descriptions_of(payload: Any) -> Iterator[str]:
    if isinstance(payload, dict) and isinstance(payload.get("jobs"), list):  # Greenhouse, Ashby
        for job in payload["jobs"]:
            yield _plain(job.get("content") or job.get("descriptionHtml") or job.get("descriptionPlain"))
    elif isinstance(payload, dict) and "SearchResult" in payload:  # USAJOBS
        for item in payload["SearchResult"].get("SearchResultItems", []):
            job = item.get("MatchedObjectDescriptor", {})
            details = job.get("UserArea", {}).get("Details", {})
            yield _plain(" ".join(filter(None, [job.get("QualificationSummary"), details.get("JobSummary")])))
    elif isinstance(payload, list):  # Lever, RemoteOK
        for job in payload:
            if isinstance(job, dict):
                yield _plain(job.get("descriptionPlain") or job.get("description"))


def english_descriptions(shared: Path) -> list[str]:
    paths = sorted((REPO_ROOT / "tests" / "fixtures" / "payloads").glob("*.json"))
    paths += sorted((shared / "ats_api_responses").glob("*.json"))
    seen: dict[str, None] = {}
    for path in paths:
        for text in _descriptions_of(_json(path)):
            if len(text) >= 200:
                seen.setdefault(text)
    return list(seen)


def english_titles(shared: Path) -> list[str]:
    path = shared / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv"
    if not path.is_file():
        return []
    seen: dict[str, None] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            if (record.get("language") or "en") == "en" and (record.get("title") or "").strip():
                seen.setdefault(record["title"])
    return list(seen)


def japanese_rows(shared: Path) -> list[Row]:
    rows: dict[str, str | None] = {}
    for name in sorted(glob.glob(str(shared / "ja_jobs_kyujinbox_2020" / "*.csv"))):
        with open(name, encoding="utf-8", newline="") as handle:
            for cells in csv.reader(handle):
                if len(cells) > 1 and cells[1].strip():
                    rows.setdefault(cells[1], None)
    hellowork = shared / "ja_jobs_hellowork"
    for name, title_key, text_key in (
        ("hellowork_2026-01_mie_it_jobs_takezo77.csv", "job_category", "job_description"),
        ("hellowork_2012_search_result_table_ltakeshi_parsed.csv", "職種", None),
    ):
        path = hellowork / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            for record in csv.DictReader(handle):
                title = (record.get(title_key) or "").strip()
                if title:
                    rows.setdefault(title, (record.get(text_key) or None) if text_key else None)
    return [(title, text, "ja") for title, text in rows.items()]


def digest(found: list[Any]) -> str:
    blob = json.dumps([None if o is None else [o["code"], o["confidence"]] for o in found], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description="Distinct listings/s of occupation classification.")
    add_shared_option(parser)
    parser.add_argument("--limit", type=int, default=4000, help="distinct English titles per case")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per case (best is reported)")
    parser.add_argument("--save", type=Path, help="write every classification to this JSON file")
    parser.add_argument("--compare", type=Path, help="check the classifications against a --save file")
    parser.add_argument("--dense", choices=("both", "on", "off"), default="both")
    args = parser.parse_args()

    every_title = english_titles(args.shared)
    titles = every_title[: args.limit]
    # Warm-up rows (not timed): enough for every model copy to load, none of the timed titles.
    warm_up = [(title, None, "en") for title in every_title[args.limit :][:600]] + [("看護師", None, "ja")]
    texts = english_descriptions(args.shared)
    if not titles:
        print(f"no English titles under {args.shared}: nothing to measure")
        return 1
    cases: dict[str, list[Row]] = {
        "English, titles + descriptions": [(t, texts[i % len(texts)], "en") for i, t in enumerate(titles)]
        if texts
        else [],
        "English, titles only": [(t, None, "en") for t in titles],
        "Japanese, titles (+ descriptions)": japanese_rows(args.shared),
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"inputs: {len(titles)} distinct English titles, {len(texts)} real English descriptions, "
          f"{len(cases['Japanese, titles (+ descriptions)'])} distinct Japanese titles")

    import numpy as np  # noqa: F401 - imported before timing, as in a load

    from ippo.config import Settings
    from pipeline.occupations import classify_listings

    modes = {"both": ("1", "0"), "on": ("1",), "off": ("0",)}[args.dense]
    configured = Settings().dense_view  # the configured model and cache; the mode turns the view on or off
    saved: dict[str, Any] = {}
    for mode in modes:
        dense_view = replace(configured, enabled=mode == "1")
        started = time.perf_counter()
        classify_listings(warm_up, dense_view=dense_view)
        label = "dense on " if mode == "1" else "dense off"
        print(f"[{label}] warm-up (indexes, model): {time.perf_counter() - started:.1f} s")
        for case, rows in cases.items():
            if not rows:
                print(f"[{label}] {case}: no input")
                continue
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                found = classify_listings(rows, dense_view=dense_view)
                best = min(best, time.perf_counter() - started)
            matched = sum(o is not None for o in found)
            print(f"[{label}] {case:<34} {len(rows) / best:8.0f} listings/s  ({len(rows)} in {best:.2f} s; "
                  f"{matched} classified; digest {digest(found)})")
            saved[f"{mode}:{case}"] = found
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.save:
        args.save.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        for key, found in saved.items():
            old = before.get(key)
            if old is None:
                continue
            differ = [n for n, (a, b) in enumerate(zip(old, found, strict=True)) if a != b]
            near = [n for n in differ if old[n] and found[n] and old[n]["code"] == found[n]["code"]]
            print(f"compare {key}: {len(differ)} of {len(found)} differ "
                  f"({len(near)} only in confidence, {len(differ) - len(near)} in occupation)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Throughput of the field normalizers on listing fields taken from the real data.

The loader normalizes every listing of a run (target: 100,000 listings at >= 20,000 per second).
This builds items from the real sources in the shared data folder ($IPPO_SHARED_DATA, else
../shared/data: Greenhouse board index, 求人ボックス and Hello Work CSVs, RemoteOK, the JobPosting
pages), cycles them to --items listings, and runs on
each what the loader runs: salary (text or structured), employment types, hours, locations,
remote mode and two dates. It prints listings per second, and separately the cost of
html_to_text on the real descriptions (only listings with HTML need it).

    .venv/bin/python -m benchmarks.bench_normalizers [--items 100000]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
import time
from typing import Any

from benchmarks.shared_data import shared_data_dir
from pipeline.fields.dates import (
    _from_string,
    to_utc_iso,
)
from pipeline.fields.employment import (
    _classify_value,
    normalize_employment_types,
)
from pipeline.fields.hours import parse_hours_per_week
from pipeline.fields.location import (
    _parse_text_cached,
    normalize_locations,
)
from pipeline.fields.remote import (
    _from_short_text,
    detect_remote,
)
from pipeline.fields.salary import (
    _parse_salary_text_cached,
    parse_base_salary,
    parse_salary_text,
)
from pipeline.text.normalize import html_to_text

DATA = shared_data_dir()


def _items() -> tuple[list[dict[str, Any]], list[str]]:
    items: list[dict[str, Any]] = []
    with (DATA / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in itertools.islice(csv.DictReader(handle), 20_000):
            items.append(
                {
                    "location": row["location_name"],
                    "remote_text": row["location_name"],
                    "employment": row["employment"] or None,
                    "posted": row["first_published"],
                    "valid": row["application_deadline"],
                }
            )
    for path in sorted((DATA / "ja_jobs_kyujinbox_2020").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for cells in csv.reader(handle):
                items.append({"salary_text": cells[3], "location": cells[2], "remote_text": cells[1]})
    with (DATA / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            items.append(
                {
                    "salary_text": row["salary"],
                    "employment": row["employment_type"],
                    "hours": row["working_hours"],
                    "location": row["work_location"],
                    "remote_text": row["job_description"],
                    "posted": row["reception_date"],
                    "valid": row["expiry_date"],
                }
            )
    remoteok = json.loads(
        (DATA / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json").read_text(encoding="utf-8")
    )
    for job in remoteok[1:]:
        items.append(
            {
                "base_salary": {"minValue": job.get("salary_min"), "maxValue": job.get("salary_max")},
                "location": job.get("location"),
                "structured_remote": job,
                "posted": job.get("epoch"),
            }
        )
    descriptions: list[str] = []
    pages = json.loads((DATA / "jobposting_pages" / "expected_jobposting_jsonld.json").read_text(encoding="utf-8"))
    for page in pages:
        for posting in page["jobpostings"]:
            descriptions.append(posting.get("description", ""))
            items.append(
                {
                    "base_salary": posting.get("baseSalary"),
                    "employment": posting.get("employmentType"),
                    "hours": posting.get("workHours"),
                    "location": posting.get("jobLocation"),
                    "structured_remote": posting,
                    "posted": posting.get("datePosted"),
                    "valid": posting.get("validThrough"),
                }
            )
    return items, descriptions


def normalize(item: dict[str, Any]) -> tuple[Any, ...]:
    """The per-listing normalizer calls of the loader."""
    if "base_salary" in item:
        salary = parse_base_salary(item["base_salary"])
    else:
        salary = parse_salary_text(item.get("salary_text") or "")
    return (
        salary,
        normalize_employment_types(item.get("employment")),
        parse_hours_per_week(item.get("hours") or ""),
        normalize_locations(item.get("location")),
        detect_remote(item.get("structured_remote"), item.get("remote_text")),
        to_utc_iso(item.get("posted")),
        to_utc_iso(item.get("valid")),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="listings to normalize")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"shared data not found at {DATA}; nothing to measure", file=sys.stderr)
        return 1
    base, descriptions = _items()
    # Cold: every distinct item once, caches empty (no repeated strings to reuse).
    for cached in (_parse_text_cached, _from_short_text, _parse_salary_text_cached, _from_string, _classify_value):
        cached.cache_clear()
    start = time.perf_counter()
    for item in base:
        normalize(item)
    cold = len(base) / (time.perf_counter() - start)
    print(f"cold pass: {cold:,.0f} listings/s over {len(base):,} distinct items (empty caches)")
    batch = list(itertools.islice(itertools.cycle(base), args.items))
    start = time.perf_counter()
    for item in batch:
        normalize(item)
    elapsed = time.perf_counter() - start
    print(f"source items: {len(base)} distinct; normalized {len(batch):,} listings in {elapsed:.2f} s")
    print(
        f"throughput: {len(batch) / elapsed:,.0f} listings/s "
        "(salary, employment, hours, locations, remote, 2 dates; repeated strings hit the caches)"
    )

    total_chars = sum(len(d) for d in descriptions)
    rounds = 300
    start = time.perf_counter()
    for _ in range(rounds):
        for description in descriptions:
            html_to_text(description)
    elapsed = time.perf_counter() - start
    count = rounds * len(descriptions)
    print(
        f"html_to_text: {count / elapsed:,.0f} descriptions/s "
        f"(real JobPosting descriptions, mean {total_chars // max(1, len(descriptions)):,} chars; "
        f"{rounds * total_chars / elapsed / 1e6:.1f} MB/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Regenerate ippo/demo_payloads/ (the demo corpus's API payloads) from the real data in ../shared/data.

Usage (from the repository root): python -m scripts.build_demo_corpus [--shared PATH]

What it writes (see ippo/demo_payloads/SOURCES.md for origins and terms):
Every file is gzipped (``.json.gz``, written without a timestamp so a rebuild is byte-identical).

- ``greenhouse/<board>.json``: Greenhouse Job Board list responses (``{"jobs": [...], "meta": ...}``).
  The largest boards of ``greenhouse_boards_tech_jobs_hub/raw_sample`` verbatim (their jobs as
  crawled), plus whole boards with jobs in Japan rebuilt from the real rows of
  ``greenhouse_jobs_index_all_boards.csv`` (same fields as the list endpoint, without its
  ``metadata`` and ``data_compliance``, which the index does not keep).
- ``remoteok/api.json``: a full Remote OK API response, verbatim.
- ``lever/palantir.json`` and ``ashby/openevidence.json``: real Lever and Ashby responses, verbatim.
- ``support/wam/<file>_tokyo.csv``: the rows of WAM NET's employment-support office files (2022
  copy in ``wam_shuro_jigyosho``) whose office lies in 東京都, as they are (every column, the same
  header, UTF-8, CRLF): the shape the ``support`` spider reads.
- ``support/hellowork/zip5.json`` and ``zip7.json``: the jp-hello-work jurisdiction tables
  (``hellowork_jurisdiction``, MIT), verbatim, with their ``LICENSE.txt`` (not gzipped).

The JobPosting pages of the demo are ``ippo/demo_pages/`` (unchanged by this script). Runtime code
reads only the written files, never ../shared.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import shutil
from pathlib import Path
from typing import Any

from benchmarks.shared_data import add_shared_option

OUT = Path(__file__).resolve().parent.parent / "ippo" / "demo_payloads"
GREENHOUSE = Path("greenhouse_boards_tech_jobs_hub")
# Verbatim boards: the 12 largest of raw_sample (1,028 jobs).
VERBATIM_BOARDS = 12
# Rebuilt boards: the boards with the most jobs in Japan that stay small enough to ship.
REBUILT_BOARDS = ("datadog", "wpp", "agoda", "appier")
VERBATIM_FILES = {
    Path("ats_api_responses/remoteok_api_2026-03-16_JACKAS5_resume-helper.json"): Path("remoteok/api.json"),
    Path("ats_api_responses/lever_ericleerepo_ATS_Polling.json"): Path("lever/palantir.json"),
    Path("ats_api_responses/ashby_ericleerepo_ATS_Polling.json"): Path("ashby/openevidence.json"),
}


def verbatim_boards(shared: Path) -> dict[str, Any]:
    boards = []
    for path in sorted((shared / GREENHOUSE / "raw_sample").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        boards.append((len(data["jobs"]), path.stem, data))
    boards.sort(key=lambda board: (-board[0], board[1]))
    return {name: {"jobs": data["jobs"], "meta": {"total": len(data["jobs"])}}
            for _, name, data in boards[:VERBATIM_BOARDS]}


def rebuilt_boards(shared: Path) -> dict[str, Any]:
    jobs: dict[str, list[dict[str, Any]]] = {board: [] for board in REBUILT_BOARDS}
    with (shared / GREENHOUSE / "greenhouse_jobs_index_all_boards.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["board_token"] in jobs:
                jobs[row["board_token"]].append(list_entry(row))
    return {board: {"jobs": entries, "meta": {"total": len(entries)}} for board, entries in jobs.items()}


def list_entry(row: dict[str, str]) -> dict[str, Any]:
    """One row of the index in the shape of the board list endpoint's job."""
    return {
        "absolute_url": row["absolute_url"],
        "internal_job_id": int(row["internal_job_id"]) if row["internal_job_id"].isdigit() else None,
        "location": {"name": row["location_name"]},
        "id": int(row["id"]),
        "updated_at": row["updated_at"],
        "requisition_id": row["requisition_id"] or None,
        "title": row["title"],
        "company_name": row["company_name"],
        "first_published": row["first_published"] or None,
        "language": row["language"] or None,
        "application_deadline": row["application_deadline"] or None,
        "education": row["education"] or None,
        "employment": row["employment"] or None,
    }


WAM = Path("wam_shuro_jigyosho")
WAM_FILES = ("wam_2022_shuro_ikou_shien", "wam_2022_shuro_keizoku_A", "wam_2022_shuro_teichaku_shien",
             "wam_2022_jiritsu_kunren_seikatsu")
WAM_CITY = "事業所住所（市区町村）"
DEMO_PREFECTURE = "東京都"
HELLOWORK = Path("hellowork_jurisdiction")
HELLOWORK_FILES = {"hellowork_by_municipality_code.json": "zip5.json", "hellowork_by_zip7_exceptions.json": "zip7.json"}


def prefecture_rows(path: Path, prefecture: str = DEMO_PREFECTURE) -> bytes:
    """The header and the rows of a WAM CSV whose office lies in ``prefecture``, as CSV (CRLF)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = [row for row in reader if (row.get(WAM_CITY) or "").startswith(prefecture)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_support(shared: Path, out: Path = OUT) -> dict[str, int]:
    """The support data of the demo: WAM rows of 東京都 and the Hello Work tables."""
    counts: dict[str, int] = {}
    support = out / "support"
    if support.exists():
        shutil.rmtree(support)
    for name in WAM_FILES:
        body = prefecture_rows(shared / WAM / f"{name}.csv")
        write_gzip(support / "wam" / f"{name}_tokyo.csv.gz", body)
        counts[f"support/wam/{name}_tokyo"] = body.count(b"\r\n") - 1
    for source, target in HELLOWORK_FILES.items():
        write_gzip(support / "hellowork" / f"{target}.gz", (shared / HELLOWORK / source).read_bytes())
    shutil.copyfile(shared / HELLOWORK / "LICENSE.txt", support / "hellowork" / "LICENSE.txt")  # MIT: kept with it
    counts["support/hellowork"] = len(HELLOWORK_FILES)
    return counts


def write(shared: Path, out: Path = OUT) -> dict[str, int]:
    counts: dict[str, int] = {}
    greenhouse = out / "greenhouse"
    if greenhouse.exists():
        shutil.rmtree(greenhouse)
    greenhouse.mkdir(parents=True)
    for board, payload in {**verbatim_boards(shared), **rebuilt_boards(shared)}.items():
        write_gzip(greenhouse / f"{board}.json.gz", json.dumps(payload, ensure_ascii=False).encode())
        counts[f"greenhouse/{board}"] = len(payload["jobs"])
    for source, target in VERBATIM_FILES.items():
        body = (shared / source).read_bytes()
        write_gzip(out / f"{target}.gz", body)
        data = json.loads(body)
        counts[str(target.with_suffix(""))] = len(data["jobs"] if isinstance(data, dict) else data)
    counts.update(write_support(shared, out))
    return counts


def write_gzip(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(parser)
    args = parser.parse_args()
    counts = write(args.shared)
    for name, n in counts.items():
        print(f"{name}: {n}")
    print(f"total: {sum(counts.values())} payload entries in {OUT}")


if __name__ == "__main__":
    main()

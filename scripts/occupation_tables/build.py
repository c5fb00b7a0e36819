"""Derive the compact occupation tables shipped in pipeline/data/occupations/ from the raw
O*NET 29.3 text files and the job tag (日本版O-NET) Excel downloads.

The raw data is tens of megabytes and lives outside the project (../shared/data); the
matcher needs only a small part of it, so this module keeps exactly that part: per
occupation its title, description, the train split of its alternate titles, its tasks, its
key technology, its RIASEC interest profile and (O*NET) its job zone.
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.occupations.split import is_test_title
from pipeline.occupations.tables import JOBTAG_FILE, ONET_FILE

RIASEC = ("R", "I", "A", "S", "E", "C")
_ONET_INTEREST = {
    "Realistic": "R",
    "Investigative": "I",
    "Artistic": "A",
    "Social": "S",
    "Enterprising": "E",
    "Conventional": "C",
}
# Job tag column ids of 職業興味 現実的/研究的/芸術的/社会的/企業的/慣習的, in RIASEC order.
_JOBTAG_INTEREST = {f"IPD_04_01_00{i + 1}": letter for i, letter in enumerate(RIASEC)}
_JOBTAG_ID = "IPD_01_01_001"
_JOBTAG_NAME = "IPD_02_01_001"
_JOBTAG_ALIAS = re.compile(r"^IPD_02_04_\d{3}$")
_JOBTAG_SUMMARY = "IPD_03_01_000"
_JOBTAG_WHAT = "IPD_03_01_001"
_JOBTAG_QUALIFICATION = re.compile(r"^IPD_03_04_\d{3}$")

# Technology examples flagged "Hot Technology" or "In Demand" are kept; a cap keeps
# occupations with hundreds of listed tools from drowning the rest of their document.
MAX_TECHNOLOGY = 25



class RawDataError(ValueError):
    """The raw data does not have the shape this build expects."""


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise RawDataError(f"{path}: file not found (expected the O*NET 29.3 text release)")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def build_onet(onet_dir: Path) -> list[dict[str, Any]]:
    """One record per O*NET-SOC occupation, sorted by code."""
    records: dict[str, dict[str, Any]] = {}
    for row in _read_tsv(onet_dir / "Occupation Data.txt"):
        code = row["O*NET-SOC Code"]
        records[code] = {
            "code": code,
            "title": _clean(row["Title"]),
            "description": _clean(row["Description"]),
            "job_zone": None,
            "riasec": None,
            "alt_titles": [],
            "tasks": [],
            "technology": [],
        }
    if not records:
        raise RawDataError(f"{onet_dir / 'Occupation Data.txt'}: no occupations")

    seen_titles: dict[str, set[str]] = defaultdict(set)
    for row in _read_tsv(onet_dir / "Alternate Titles.txt"):
        code = row["O*NET-SOC Code"]
        if code not in records:
            continue
        for title in (_clean(row["Alternate Title"]), _clean(row.get("Short Title"))):
            if not title or is_test_title(title) or title.casefold() in seen_titles[code]:
                continue
            seen_titles[code].add(title.casefold())
            records[code]["alt_titles"].append(title)

    for row in _read_tsv(onet_dir / "Task Statements.txt"):
        code = row["O*NET-SOC Code"]
        if code in records and _clean(row["Task"]):
            records[code]["tasks"].append(_clean(row["Task"]))

    for row in _read_tsv(onet_dir / "Technology Skills.txt"):
        code = row["O*NET-SOC Code"]
        if code not in records or (row["Hot Technology"] != "Y" and row["In Demand"] != "Y"):
            continue
        tech = records[code]["technology"]
        example = _clean(row["Example"])
        if example and example not in tech and len(tech) < MAX_TECHNOLOGY:
            tech.append(example)

    for row in _read_tsv(onet_dir / "Job Zones.txt"):
        code = row["O*NET-SOC Code"]
        if code in records and row["Job Zone"].strip():
            records[code]["job_zone"] = int(row["Job Zone"])

    interests: dict[str, dict[str, float]] = defaultdict(dict)
    for row in _read_tsv(onet_dir / "Interests.txt"):
        if row["Scale ID"] != "OI" or row["Element Name"] not in _ONET_INTEREST:
            continue
        interests[row["O*NET-SOC Code"]][_ONET_INTEREST[row["Element Name"]]] = float(row["Data Value"])
    for code, profile in interests.items():
        if code in records and len(profile) == len(RIASEC):
            records[code]["riasec"] = {letter: profile[letter] for letter in RIASEC}

    return [records[code] for code in sorted(records)]


def _sheet_rows(path: Path, sheet_index: int = 0) -> list[tuple[Any, ...]]:
    import openpyxl  # imported here: only the table build reads Excel files

    if not path.is_file():
        raise RawDataError(f"{path}: file not found (expected the job tag download data)")
    with warnings.catch_warnings():
        # The job tag workbooks use conditional formatting openpyxl cannot read; the values are intact.
        warnings.filterwarnings("ignore", message="Conditional Formatting extension", category=UserWarning)
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return list(workbook.worksheets[sheet_index].iter_rows(values_only=True))
        finally:
            workbook.close()


def _ipd_table(rows: list[tuple[Any, ...]], path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a job tag IPD sheet keyed by IPD id; the id row is found, not assumed."""
    header_at = next((i for i, row in enumerate(rows) if _JOBTAG_ID in row), None)
    if header_at is None:
        raise RawDataError(f"{path}: no header row containing {_JOBTAG_ID}")
    header = [str(cell) if cell is not None else "" for cell in rows[header_at]]
    for row in rows[header_at + 1 :]:
        record = dict(zip(header, row, strict=False))
        if _clean(record.get(_JOBTAG_ID)) and _clean(record.get(_JOBTAG_NAME)):
            yield record


def _jobtag_id(value: Any) -> str:
    text = _clean(value)
    return str(int(float(text))) if re.fullmatch(r"\d+(\.0+)?", text) else text


def build_jobtag(jobtag_dir: Path) -> list[dict[str, Any]]:
    """One record per job tag occupation, sorted by 収録番号."""
    description_path = jobtag_dir / "IPD_DL_description_6_00_06.xlsx"
    numeric_path = jobtag_dir / "IPD_DL_numeric_6_01.xlsx"
    records: dict[str, dict[str, Any]] = {}
    for row in _ipd_table(_sheet_rows(description_path), description_path):
        code = _jobtag_id(row[_JOBTAG_ID])
        name = _clean(row[_JOBTAG_NAME])
        aliases = _unique(_clean(row[key]) for key in row if _JOBTAG_ALIAS.match(key))
        summary = _clean(row.get(_JOBTAG_SUMMARY))
        what = _clean(row.get(_JOBTAG_WHAT))
        description = what if summary and what.startswith(summary) else " ".join(filter(None, (summary, what)))
        records[code] = {
            "code": code,
            "title": name,
            "aliases": [alias for alias in aliases if alias != name],
            "summary": summary,
            "description": description,
            "qualifications": _unique(_clean(row[key]) for key in row if _JOBTAG_QUALIFICATION.match(key)),
            "riasec": None,
        }
    if not records:
        raise RawDataError(f"{description_path}: no occupations")

    for row in _ipd_table(_sheet_rows(numeric_path), numeric_path):
        code = _jobtag_id(row[_JOBTAG_ID])
        if code not in records:
            continue
        try:
            profile = {letter: float(row[key]) for key, letter in _JOBTAG_INTEREST.items()}
        except (TypeError, ValueError, KeyError):
            continue  # this occupation has no 職業興味 survey values
        records[code]["riasec"] = profile
    return [records[code] for code in sorted(records, key=lambda c: (len(c), c))]


def _unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
    return out


def write_jsonl_gz(records: list[dict[str, Any]], path: Path) -> None:
    """Write records as gzip'd JSON Lines with a fixed mtime, so rebuilding is byte-stable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        for record in records:
            gz.write((json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))


def build_tables(shared_data: Path, out_dir: Path) -> dict[str, int]:
    """Build both tables from ../shared/data; returns row counts for the build report."""
    onet = build_onet(shared_data / "onet")
    jobtag = build_jobtag(shared_data / "jobtag_ja")
    write_jsonl_gz(onet, out_dir / ONET_FILE)
    write_jsonl_gz(jobtag, out_dir / JOBTAG_FILE)
    return {
        "onet_occupations": len(onet),
        "onet_train_alt_titles": sum(len(r["alt_titles"]) for r in onet),
        "onet_with_riasec": sum(r["riasec"] is not None for r in onet),
        "jobtag_occupations": len(jobtag),
        "jobtag_with_riasec": sum(r["riasec"] is not None for r in jobtag),
    }

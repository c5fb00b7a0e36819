"""Load the occupation tables shipped inside the package (no data from outside it needed)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

from pipeline import DATA_DIR as _PIPELINE_DATA

DATA_DIR = _PIPELINE_DATA / "occupations"
ONET_FILE = "onet_occupations.jsonl.gz"
JOBTAG_FILE = "jobtag_occupations.jsonl.gz"
TAXONOMIES = ("onet", "jobtag")
_FILES = {"onet": ONET_FILE, "jobtag": JOBTAG_FILE}


class UnknownTaxonomyError(ValueError):
    """A taxonomy name other than onet / jobtag."""


def check_taxonomy(taxonomy: str) -> str:
    if taxonomy not in TAXONOMIES:
        raise UnknownTaxonomyError(f"unknown taxonomy {taxonomy!r}: use one of {', '.join(TAXONOMIES)}")
    return taxonomy


def read_jsonl_gz(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def load_table(taxonomy: str) -> tuple[dict[str, Any], ...]:
    """All occupation records of a taxonomy, in code order (read once per process)."""
    path = DATA_DIR / _FILES[check_taxonomy(taxonomy)]
    if not path.is_file():
        raise FileNotFoundError(f"{path}: occupation table missing; run scripts/build_occupation_tables.py")
    return tuple(read_jsonl_gz(path))


@cache
def _by_code(taxonomy: str) -> dict[str, dict[str, Any]]:
    return {record["code"]: record for record in load_table(taxonomy)}


def get_occupation(taxonomy: str, code: str) -> dict[str, Any] | None:
    return _by_code(taxonomy).get(code)

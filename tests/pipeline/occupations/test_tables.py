"""The shipped occupation tables: self-contained, small, and faithful to the raw data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.occupations.split import is_dev_title, is_test_title, title_bucket
from pipeline.occupations.tables import DATA_DIR, load_table
from tests.conftest import ROOT as REPO_ROOT

SHARED = REPO_ROOT.parent / "shared" / "data"

_NO_SHARED_SCRIPT = r"""
import os
import sys
SHARED = sys.argv[1]
def forbid_shared(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes)) and os.fsdecode(args[0]).startswith(SHARED):
        raise PermissionError(f"read outside the project: {args[0]}")
sys.addaudithook(forbid_shared)
from ippo.config import LEXICAL_ONLY
from pipeline.occupations import occupation_interests, rank_occupations
assert rank_occupations("Registered Nurse", "onet", k=1, dense_view=LEXICAL_ONLY)[0]["code"] == "29-1141.00"
assert rank_occupations("薬剤師", "auto", k=1, dense_view=LEXICAL_ONLY)[0]["code"] == "158"
assert occupation_interests("onet", "15-1252.00") is not None
print("ok")
"""


def test_shipped_tables_work_without_shared_data(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "IPPO_HOME": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", _NO_SHARED_SCRIPT, str(SHARED)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_shipped_files_are_small_and_attributed() -> None:
    total = sum(path.stat().st_size for path in DATA_DIR.iterdir())
    assert total < 5 * 1024 * 1024
    attribution = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "O*NET 29.3 Database by the U.S. Department of Labor, Employment and Training Administration" in attribution
    assert "出典：職業情報提供サイト（日本版O-NET）（独立行政法人労働政策研究・研修機構）" in attribution


def test_shipped_onet_table_holds_no_test_titles() -> None:
    records = load_table("onet")
    assert len(records) == 1016
    titles = [title for record in records for title in record["alt_titles"]]
    assert len(titles) > 40_000
    assert not any(is_test_title(title) for title in titles)


def test_shipped_jobtag_table() -> None:
    records = {record["code"]: record for record in load_table("jobtag")}
    assert len(records) == 541
    assert records["156"]["title"] == "看護師"
    assert "薬" in records["158"]["description"]


def test_split_is_deterministic_and_about_80_20() -> None:
    assert title_bucket("Registered Nurse") == title_bucket("  registered   NURSE ")
    buckets = [title_bucket(f"title {n}") for n in range(5000)]
    test_share = sum(b >= 80 for b in buckets) / len(buckets)
    assert 0.18 < test_share < 0.22
    assert not any(is_dev_title(f"title {n}") and is_test_title(f"title {n}") for n in range(5000))


@pytest.mark.skipif(not (SHARED / "onet").is_dir(), reason="../shared/data/onet (O*NET 29.3) is not present")
def test_build_onet_from_raw_data_matches_the_shipped_table() -> None:
    from scripts.occupation_tables.build import build_onet

    records = build_onet(SHARED / "onet")
    assert records == [dict(r) for r in load_table("onet")]
    nurse = next(r for r in records if r["code"] == "29-1141.00")
    assert nurse["title"] == "Registered Nurses"
    assert nurse["job_zone"] == 4
    assert nurse["riasec"]["S"] == 5.62


@pytest.mark.skipif(not (SHARED / "jobtag_ja").is_dir(), reason="../shared/data/jobtag_ja (job tag) is not present")
def test_build_jobtag_from_raw_data_matches_the_shipped_table() -> None:
    from scripts.occupation_tables.build import build_jobtag

    records = build_jobtag(SHARED / "jobtag_ja")
    assert records == [dict(r) for r in load_table("jobtag")]
    tofu = records[0]
    assert (tofu["code"], tofu["title"]) == ("1", "豆腐製造、豆腐職人")
    assert "豆腐製造工" in tofu["aliases"]
    assert tofu["riasec"] == {"R": 2.743, "I": 2.771, "A": 2.629, "S": 2.657, "E": 2.657, "C": 2.686}

"""Serving reads only the snapshot: a snapshot carries each listing's against-evidence and
occupation interests, and recommending from it needs neither the signal tagger nor the
occupation tables (the listings' text here is written for these tests)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.generated_snapshot import write_snapshot
from pipeline.canonical import SNAPSHOT_FORMAT
from pipeline.occupations import occupation_interests
from pipeline.warehouse.pointer import current_snapshot
from ranker.present import page_to_dict
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.conftest import ROOT

NURSE = {"taxonomy": "onet", "code": "29-1141.00", "title": "Registered Nurses", "confidence": 0.9}
CLERK = {"taxonomy": "onet", "code": "43-3031.00", "title": "Bookkeeping Clerks", "confidence": 0.9}
PROFILE = {"desired_titles": ["Care assistant"], "needs": ["no_experience_ok"],
           "interests": {"S": 7, "I": 5, "C": 2, "R": 1, "A": 1, "E": 1}}
NOW = "2026-11-26T00:00:00"


def _row(i: int, description: str, occupation: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": f"v{i}", "title": "Care assistant", "url": None, "apply_url": None,
        "employer": {"name": f"Employer {i}", "normalized_name": f"employer {i}", "registry_tags": []},
        "locations": [], "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": None,
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "en", "occupation": occupation, "duplicate_of": None, "description": description,
    }


ROWS = [
    _row(0, "Care assistant. Minimum 2 years of experience required.", NURSE),
    _row(1, "Care assistant in a small home.", CLERK),
    _row(2, "Care assistant, occupation not known.", None),
]


def _snapshot(tmp_path: Path) -> Path:
    return write_snapshot(ROWS, None, tmp_path / "home" / "serving", version="20261126T000000Z")


def _columns(snapshot: Path) -> dict[str, tuple[Any, Any]]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        rows = con.execute("SELECT id, against, occupation_interests FROM listings ORDER BY id").fetchall()
    finally:
        con.close()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_a_snapshot_carries_against_evidence_and_occupation_interests(tmp_path: Path) -> None:
    columns = _columns(_snapshot(tmp_path))
    against, interests = columns["v0"]
    assert [s["tag"] for s in against] == ["no_experience_ok"]
    assert against[0]["evidence"] == "Minimum 2 years" and against[0]["source"] == "text"
    assert interests == occupation_interests("onet", "29-1141.00")
    assert columns["v1"] == ([], occupation_interests("onet", "43-3031.00"))
    assert columns["v2"] == ([], None)


def test_published_snapshot_has_the_serving_columns_and_its_format(published: Path) -> None:
    snapshot = current_snapshot(published / "serving")
    assert snapshot is not None
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        assert con.execute("SELECT format FROM snapshot_meta").fetchall() == [(SNAPSHOT_FORMAT,)]
        rows = con.execute("SELECT occupation, occupation_interests, against FROM listings").fetchall()
    finally:
        con.close()
    for occupation, interests, against in rows:
        expected = occupation_interests(occupation["taxonomy"], occupation["code"]) if occupation else None
        assert interests == expected
        assert isinstance(against, list)
    assert any(interests for _, interests, _ in rows)


_RECOMMEND_WITHOUT_PIPELINE = """
import json, sys
from datetime import datetime
from pathlib import Path
for name in ("pipeline.signals.tagger", "pipeline.occupations"):
    sys.modules[name] = None  # importing them now raises ImportError
from ranker.present import page_to_dict
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
index = ServingIndex.from_snapshot(Path(sys.argv[1]))
page = recommend(index, parse_profile(json.loads(sys.argv[2])), k=3, now=datetime.fromisoformat(sys.argv[3]))
loaded = sorted(m for m, module in sys.modules.items()
                if module is not None and m.startswith(("pipeline.signals.tagger", "pipeline.occupations")))
print(json.dumps({"page": page_to_dict(page), "loaded": loaded}, ensure_ascii=False, default=str))
"""


def test_recommending_works_without_the_tagger_and_the_occupation_tables(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _RECOMMEND_WITHOUT_PIPELINE, str(snapshot), json.dumps(PROFILE), NOW],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["loaded"] == []
    results = found["page"]["results"]
    assert sorted(r["id"] for r in results) == ["v0", "v1", "v2"]
    reasons = {r["id"]: {reason.get("tag"): reason for reason in r["reasons"]} for r in results}
    assert reasons["v0"]["no_experience_ok"]["text"].startswith("says the opposite of")
    assert reasons["v0"]["no_experience_ok"]["evidence"] == "Minimum 2 years"
    assert reasons["v0"]["interest_fit"]["kind"] == "interest"
    assert reasons["v1"]["interest_fit"]["kind"] == "lacks"
    assert reasons["v2"]["interest_fit"]["kind"] == "caveat"
    # The same page as a process that has the whole pipeline loaded.
    from datetime import datetime

    here = recommend(ServingIndex.from_snapshot(snapshot), parse_profile(PROFILE), k=3,
                     now=datetime.fromisoformat(NOW))
    assert json.loads(json.dumps(page_to_dict(here), ensure_ascii=False, default=str)) == found["page"]


def test_no_ranker_module_imports_the_tagger_the_occupation_tables_or_the_warehouse() -> None:
    offenders = []
    for path in sorted((ROOT / "ranker").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name.startswith(("pipeline.signals.tagger", "pipeline.occupations", "pipeline.warehouse"))]
    assert offenders == []

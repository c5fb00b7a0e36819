"""The jp-hello-work tables (real data, MIT) -> Hello Work areas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.support.hellowork import HelloWorkFileError, areas_from_table
from tests.conftest import shared_data


def _table(name: str) -> Any:
    return json.loads(shared_data(f"hellowork_jurisdiction/{name}").read_text(encoding="utf-8"))


def test_every_municipality_code_of_zip5_becomes_a_row() -> None:
    data = _table("hellowork_by_municipality_code.json")
    rows, report = areas_from_table(data)
    listed = sum(len(codes) for codes in data["zip5"]["helloWorks"].values())
    assert report.table == "zip5"
    assert report.rows + sum(report.skipped.values()) == listed
    assert len({r["office"] for r in rows}) == 534  # SOURCES.md section 13
    assert all(r["postal_code"] is None and len(r["municipality_code"]) == 5 for r in rows)
    assert {"municipality_code": "01101", "postal_code": None, "office": "札幌"} in rows


def test_zip7_exceptions_carry_their_postcode_and_its_municipality() -> None:
    data = _table("hellowork_by_zip7_exceptions.json")
    rows, report = areas_from_table(data)
    listed = sum(len(codes) for part in data["zip7"].values() for codes in part.values())
    assert report.table == "zip7"
    assert listed == 236 + 1261
    # A postcode Japan Post no longer lists cannot be placed: counted, not guessed.
    assert report.rows + report.skipped["unknown_postcode"] == listed
    assert report.skipped["unknown_postcode"] <= 5
    assert {"municipality_code": "01371", "postal_code": "0494431", "office": "函館 八雲出張所"} in rows


def test_another_json_is_refused() -> None:
    with pytest.raises(HelloWorkFileError, match=r"zip5\.json or zip7\.json"):
        areas_from_table({"jobs": []})

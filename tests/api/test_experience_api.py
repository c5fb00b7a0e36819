"""POST /v1/recommendations reads the profile's optional experience and says when a role asks for more."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.served import listing_row, serving

ROWS = [listing_row("x00", "経理スタッフ", seniority="senior", experience_years_min=5.0),
        listing_row("x01", "経理スタッフ", seniority="entry", experience_years_min=0.0)]
PROFILE = {"language": "ja", "desired_titles": ["経理スタッフ"]}


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    with serving(ROWS, tmp_path / "home", embedder) as test_client:
        yield test_client


def test_experience_lowers_a_senior_role_and_says_why(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=2", json={**PROFILE, "experience": {"years": 1, "level": "entry"}})
    assert page.status_code == 200
    first, second = page.json()["results"]
    assert (first["id"], second["id"]) == ("x01", "x00")
    assert second["score_parts"]["experience_gap"] == pytest.approx(0.2)
    texts = {r["text"] for r in second["reasons"] if r["kind"] == "lacks" and r["tag"] == "experience"}
    assert texts == {"経験豊富な人向けの求人です。ご自身のレベルを「初心者」とされています",
                     "経験5年以上が求められています（あなたの経験は1年です）"}


def test_without_experience_nothing_is_assumed(client: TestClient) -> None:
    results = client.post("/v1/recommendations?k=2", json=PROFILE).json()["results"]
    assert all("experience_gap" not in r["score_parts"] for r in results)
    assert not [r for result in results for r in result["reasons"] if r["tag"] == "experience"]


def test_experience_is_in_the_schema_and_validated(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"years", "level"} <= set(schema["Experience"]["properties"])
    bad = client.post("/v1/recommendations", json={**PROFILE, "experience": {"level": "guru"}})
    assert bad.status_code == 422 and "experience" in bad.text
    empty = client.post("/v1/recommendations", json={**PROFILE, "experience": {}})
    assert empty.status_code == 422 and "give years" in empty.text

"""POST /v1/recommendations reads the profile's optional experience and says when a role asks for more."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings


def _row(i: int, title: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"x{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"{i}社", "normalized_name": f"{i}社", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 15.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


ROWS = [_row(0, "経理スタッフ", seniority="senior", experience_years_min=5.0),
        _row(1, "経理スタッフ", seniority="entry", experience_years_min=0.0)]
PROFILE = {"language": "ja", "desired_titles": ["経理スタッフ"]}


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_snapshot(ROWS, None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as test_client:
        yield test_client


def test_experience_lowers_a_senior_role_and_says_why(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=2", json={**PROFILE, "experience": {"years": 1, "level": "entry"}})
    assert page.status_code == 200
    first, second = page.json()["results"]
    assert (first["id"], second["id"]) == ("x01", "x00")
    assert second["score_parts"]["experience_gap"] == pytest.approx(0.2)
    texts = {r["text"] for r in second["reasons"] if r["kind"] == "lacks" and r["tag"] == "experience"}
    assert texts == {"a senior role; you describe your level as entry",
                     "asks for 5+ years of experience; you have 1"}


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

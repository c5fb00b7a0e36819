"""POST /v1/recommendations says when few listings fit, and never calls an unstated value a fit."""

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
        "id": f"n{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"{i}社", "normalized_name": f"{i}社", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 15.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


ROWS = [_row(0, "清掃スタッフ"), _row(1, "清掃スタッフ（ビル）", hours_per_week=None), _row(2, "警備員"),
        _row(3, "調理補助")]
PROFILE = {"language": "ja", "desired_titles": ["清掃スタッフ"], "constraints": {"max_hours_per_week": 20}}


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_snapshot(ROWS, None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as test_client:
        yield test_client


def test_few_fit_notice_unknown_reasons_and_nearest(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=4", json=PROFILE).json()
    assert (page["matching"], page["confirmed"]) == (2, 1)
    assert page["notice"]["kind"] == "few_fit" and "2件だけ" in page["notice"]["message"]
    first, second, *nearest = page["results"]
    assert (first["id"], second["id"]) == ("n00", "n01")
    assert {"kind": "unknown", "tag": "hours", "text": "does not say its hours", "evidence": None,
            "source": None} in second["reasons"]
    assert not any(r["kind"] == "constraint" for r in second["reasons"])
    assert nearest and all("relevance" in r["misses"] for r in nearest)


def test_require_stated_is_in_the_schema_and_validated(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "require_stated" in schema["Constraints"]["properties"]
    assert "notice" in schema["RecommendationsOut"]["properties"]
    bad = client.post("/v1/recommendations", json={**PROFILE, "constraints": {"require_stated": ["hours"]}})
    assert bad.status_code == 422 and "require_stated" in bad.text

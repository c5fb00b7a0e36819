"""POST /v1/recommendations says when few listings fit, and never calls an unstated value a fit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.served import listing_row, serving

ROWS = [listing_row("n00", "清掃スタッフ"), listing_row("n01", "清掃スタッフ（ビル）", hours_per_week=None),
        listing_row("n02", "警備員"), listing_row("n03", "調理補助")]
PROFILE = {"language": "ja", "desired_titles": ["清掃スタッフ"], "constraints": {"max_hours_per_week": 20}}


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    with serving(ROWS, tmp_path / "home", embedder) as test_client:
        yield test_client


def test_few_fit_notice_unknown_reasons_and_nearest(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=4", json=PROFILE).json()
    assert (page["matching"], page["confirmed"]) == (2, 1)
    assert page["notice"]["kind"] == "few_fit" and "2件だけ" in page["notice"]["message"]
    first, second, *nearest = page["results"]
    assert (first["id"], second["id"]) == ("n00", "n01")
    assert {"kind": "unknown", "tag": "hours", "text": "勤務時間が書かれていません", "evidence": None,
            "source": None} in second["reasons"]
    assert not any(r["kind"] == "constraint" for r in second["reasons"])
    assert nearest and all("relevance" in r["misses"] for r in nearest)


def test_require_stated_is_in_the_schema_and_validated(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "require_stated" in schema["Constraints"]["properties"]
    assert "notice" in schema["RecommendationsOut"]["properties"]
    bad = client.post("/v1/recommendations", json={**PROFILE, "constraints": {"require_stated": ["hours"]}})
    assert bad.status_code == 422 and "require_stated" in bad.text

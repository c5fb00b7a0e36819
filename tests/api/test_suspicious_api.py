"""POST /v1/recommendations never shows a commission-only listing to a profile that did not ask
for sales work, and names the reason to one that did."""

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
        "id": f"q{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": f"{i}社", "normalized_name": f"{i}社", "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 15.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


ROWS = [_row(0, "ルート営業スタッフ（フルコミッション）", suspicious=["commission_only"]),
        _row(1, "ルート営業スタッフ"), _row(2, "データ入力スタッフ")]


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_snapshot(ROWS, None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as test_client:
        yield test_client


def test_hidden_without_a_sales_title(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=3", json={"language": "ja", "desired_titles": ["データ入力"]}).json()
    assert [r["id"] for r in page["results"]] == ["q02", "q01"]
    assert page["candidates"] == 2


def test_shown_with_its_reason_to_a_sales_profile(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=3", json={"language": "ja", "desired_titles": ["ルート営業"]}).json()
    flagged = next(r for r in page["results"] if r["id"] == "q00")
    assert {"kind": "lacks", "tag": "commission_only", "text": "pay is commission only", "evidence": None,
            "source": None} in flagged["reasons"]

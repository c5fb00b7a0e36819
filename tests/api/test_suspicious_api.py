"""POST /v1/recommendations never shows a commission-only listing to a profile that did not ask
for sales work, and names the reason to one that did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.served import listing_row, serving

ROWS = [listing_row("q00", "ルート営業スタッフ（フルコミッション）", suspicious=["commission_only"]),
        listing_row("q01", "ルート営業スタッフ"), listing_row("q02", "データ入力スタッフ")]


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    with serving(ROWS, tmp_path / "home", embedder) as test_client:
        yield test_client


def test_hidden_without_a_sales_title(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=3", json={"language": "ja", "desired_titles": ["データ入力"]}).json()
    assert [r["id"] for r in page["results"]] == ["q02", "q01"]
    assert page["candidates"] == 2


def test_shown_with_its_reason_to_a_sales_profile(client: TestClient) -> None:
    page = client.post("/v1/recommendations?k=3", json={"language": "ja", "desired_titles": ["ルート営業"]}).json()
    flagged = next(r for r in page["results"] if r["id"] == "q00")
    commission = "給与が完全歩合制です（成果がなければ収入がありません）"
    assert {"kind": "lacks", "tag": "commission_only", "text": commission, "evidence": None,
            "source": None} in flagged["reasons"]

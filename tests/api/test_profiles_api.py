"""The API end to end on a snapshot written in the publish layout: stored profiles, feedback,
export, erasure, and error bodies that never echo what was sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.serving_index import ServingIndex
from tests.api.served import with_key

SECRET = "うつ病で休職していました"


def _row(i: int, title: str, employer: str, **extra: Any) -> dict[str, Any]:
    row = {
        "id": f"t{i:02d}", "title": title, "url": f"https://example.org/{i}", "apply_url": None,
        "employer": {"name": employer, "normalized_name": employer, "registry_tags": []},
        "locations": [{"country": "JP", "region": "東京都", "locality": "新宿区", "postal_code": None}],
        "remote": "onsite", "employment_types": ["PART_TIME"], "hours_per_week": {"min": 20.0, "max": 20.0},
        "salary": None, "valid_through": None, "status": "open", "signals": [], "supportiveness": 0.0,
        "language": "ja", "occupation": None, "duplicate_of": None, "description": title,
    }
    row.update(extra)
    return row


GAP = {"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "text"}
ROWS = [
    _row(0, "データ入力スタッフ", "A社", signals=[GAP]),
    _row(1, "データ入力・書類整理", "B社"),
    _row(2, "一般事務（データ入力）", "C社"),
    _row(3, "倉庫内ピッキング", "D社"),
    _row(4, "経理事務", "E社", status="closed"),
]
PROFILE = {"summary": SECRET, "desired_titles": ["データ入力"], "needs": ["career_gap_ok"],
           "constraints": {"max_hours_per_week": 30}}


@pytest.fixture
def client(tmp_path: Path, embedder: Any) -> Iterator[TestClient]:
    home = tmp_path / "home"
    vectors = embedder.encode([f"{r['title']} . {r['employer']['name']}" for r in ROWS])
    write_snapshot(sorted(ROWS, key=lambda r: r["id"]), vectors, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=embedder)) as test_client:
        yield with_key(test_client, home)


def test_stored_profile_recommendations_feedback_export_and_erasure(client: TestClient) -> None:
    created = client.post("/v1/profiles", json=PROFILE)
    assert created.status_code == 201
    profile_id = created.json()["id"]
    first = client.post(f"/v1/profiles/{profile_id}/recommendations", params={"k": 3})
    assert first.status_code == 200
    ids = [r["id"] for r in first.json()["results"]]
    assert ids[0] == "t00" and "t04" not in ids
    assert set(ids) == {"t00", "t01", "t02"}

    dismissed = client.post("/v1/feedback", json={"profile_id": profile_id, "listing_id": "t01",
                                                  "action": "dismissed"})
    assert dismissed.status_code == 201
    saved = client.post("/v1/feedback", json={"profile_id": profile_id, "listing_id": "t02", "action": "saved"})
    assert saved.status_code == 201
    after = client.post(f"/v1/profiles/{profile_id}/recommendations", params={"k": 4}).json()
    assert "t01" not in [r["id"] for r in after["results"]]
    assert any("「合わない」とした求人1件は表示していません" in n for n in after["notes"])
    kept = next(r for r in after["results"] if r["id"] == "t02")
    assert any(reason["kind"] == "feedback" for reason in kept["reasons"])

    exported = client.get(f"/v1/profiles/{profile_id}/export").json()
    assert exported["profile"]["summary"] == SECRET
    assert exported["embedding"]["dimension"] == 384
    assert [(f["listing_id"], f["action"]) for f in exported["feedback"]] == [("t01", "dismissed"), ("t02", "saved")]

    erased = client.delete(f"/v1/profiles/{profile_id}")
    assert erased.json() == {"id": profile_id, "erased": {"profiles": 1, "feedback": 2}}
    for response in (client.get(f"/v1/profiles/{profile_id}/export"),
                     client.post(f"/v1/profiles/{profile_id}/recommendations"),
                     client.delete(f"/v1/profiles/{profile_id}")):
        assert response.status_code == 404
    assert len(client.app.state.score_cache) == 0


def test_errors_never_echo_the_profile(client: TestClient) -> None:
    bad = dict(PROFILE, needs=["disability_employment"], constraints={"remote": SECRET})
    response = client.post("/v1/profiles", json=bad)
    assert response.status_code == 422
    body = response.text
    assert SECRET not in body
    fields = {p["field"] for p in response.json()["problems"]}
    assert fields == {"constraints.remote", "profile"} or "constraints.remote" in fields


def test_feedback_on_unknown_listing_or_profile(client: TestClient) -> None:
    profile_id = client.post("/v1/profiles", json=PROFILE).json()["id"]
    missing_listing = client.post("/v1/feedback", json={"profile_id": profile_id, "listing_id": "nope",
                                                        "action": "saved"})
    assert missing_listing.status_code == 404 and "nope" in missing_listing.json()["detail"]
    missing_profile = client.post("/v1/feedback", json={"profile_id": "p_missing", "listing_id": "t00",
                                                        "action": "saved"})
    assert missing_profile.status_code == 404
    bad_action = client.post("/v1/feedback", json={"profile_id": profile_id, "listing_id": "t00", "action": "love"})
    assert bad_action.status_code == 422


def test_ad_hoc_recommendations_and_health(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["listings"] == 5 and health["open_listings"] == 4
    page = client.post("/v1/recommendations", json=PROFILE, params={"k": 2}).json()
    assert page["results"][0]["id"] == "t00"
    need = next(r for r in page["results"][0]["reasons"] if r["kind"] == "need")
    assert need["evidence"] == "ブランクOK"


def test_serving_index_is_cached_per_snapshot_version(client: TestClient, tmp_path: Path) -> None:
    snapshot = next((tmp_path / "home" / "serving").glob("*.duckdb"))
    fresh = ServingIndex.from_snapshot(snapshot)
    assert fresh.from_cache  # the API's lifespan load wrote the cache
    assert (tmp_path / "home" / "cache" / "ranker").is_dir()
    rebuilt = ServingIndex.build(fresh.version, [fresh.row(i) for i in range(len(fresh))], fresh.vectors)
    query = "データ入力"
    assert fresh.lexical.scores(query).tolist() == pytest.approx(rebuilt.lexical.scores(query).tolist())
    assert fresh.features.tags == rebuilt.features.tags
    assert (fresh.features.etype_bits == rebuilt.features.etype_bits).all()

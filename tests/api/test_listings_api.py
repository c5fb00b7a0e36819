"""GET /v1/listings and /v1/listings/{id}: text search in Japanese and English, newest first,
every filter, cursor pages that visit each result once, stale and foreign cursors, the listing as
served with its history, and the scopes of both routes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.no_model import NoModelEmbedder
from tests.api.served import bearer, issue_key, listing_row, unthrottle

VERSION = "20261126T000000Z"
GAP = {"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "description"}
NO_EXPERIENCE = {"tag": "no_experience_ok", "evidence": "未経験歓迎", "source": "title"}
DISABILITY_CERT = {"tag": "cert_monisu", "evidence": "もにす認定事業主", "source": "registry"}
BASE = datetime(2026, 11, 1)


def _row(i: int, title: str, days: int | None, **extra: Any) -> dict[str, Any]:
    posted = None if days is None else BASE + timedelta(days=days)
    return listing_row(f"l{i:02d}", title, date_posted=posted, **extra)


def _pay(amount: float, currency: str, unit: str) -> dict[str, Any]:
    return {"min": amount, "max": None, "currency": currency, "unit": unit, "text": None}


ROWS = [
    _row(1, "看護師（日勤のみ）", 20, signals=[GAP], salary=_pay(1800, "JPY", "HOUR")),
    _row(2, "正看護師・准看護師", 19, salary={"min": 250000, "max": 320000, "currency": "JPY", "unit": "MONTH",
                                             "text": None}),
    _row(3, "Warehouse picker", 18, language="en", salary=_pay(22, "USD", "HOUR"),
         locations=[{"country": "US", "region": "California", "locality": "Oakland", "postal_code": None}],
         employment_types=["FULL_TIME"]),
    _row(4, "データ入力スタッフ", 17, signals=[NO_EXPERIENCE, GAP], remote="remote", locations=[],
         remote_regions=["JP"], salary=_pay(1200, "JPY", "HOUR")),
    _row(5, "Remote data entry clerk", 16, language="en", remote="remote", locations=[], remote_regions=["US"]),
    _row(6, "清掃スタッフ", 15, employer={"name": "もにす清掃", "normalized_name": "もにす清掃",
                                         "registry_tags": [DISABILITY_CERT]}),
    _row(7, "介護職員", 14, remote="hybrid",
         locations=[{"country": "JP", "region": "大阪府", "locality": "大阪市", "postal_code": None}]),
    _row(8, "倉庫内ピッキング", 13, salary=_pay(1500, "JPY", "HOUR")),
    _row(9, "一般事務", None),
    _row(10, "経理事務", 12, status="closed"),
    _row(11, "受付スタッフ", 11, valid_through=datetime(2020, 1, 1)),
    _row(12, "看護助手", 10, duplicate_of="l01"),
    *[_row(20 + i, f"軽作業スタッフ{i}", 5 - (i % 3)) for i in range(8)],
]
OPEN_IDS = {r["id"] for r in ROWS} - {"l10", "l11", "l12"}


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests page through results with one key: no rate limit in the way."""
    unthrottle(monkeypatch)


@dataclass
class Served:
    client: TestClient
    home: Path

    def key(self, scopes: str) -> dict[str, str]:
        return bearer(issue_key(self.home, scopes))

    def pages(self, limit: int, **params: Any) -> list[list[dict[str, Any]]]:
        pages, cursor = [], None
        while True:
            answer = self.client.get("/v1/listings", params={**params, "limit": limit, "cursor": cursor})
            assert answer.status_code == 200, answer.text
            body = answer.json()
            pages.append(body["results"])
            cursor = body["next_cursor"]
            if cursor is None:
                return pages


def _add_history(snapshot: Path) -> None:
    con = duckdb.connect(str(snapshot))
    try:
        con.execute("CREATE TABLE listing_history (listing_id VARCHAR, changed_at TIMESTAMP, change VARCHAR, "
                    "changed_fields VARCHAR[], content_hash VARCHAR, raw_run VARCHAR, reason VARCHAR)")
        con.execute("INSERT INTO listing_history VALUES ('l01', '2026-11-21 09:00:00', 'new', [], 'h1', 'r1', NULL), "
                    "('l01', '2026-11-25 09:00:00', 'changed', ['salary'], 'h2', 'r2', NULL)")
    finally:
        con.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    home = tmp_path / "home"
    snapshot = write_snapshot(ROWS, None, home / "serving", version=VERSION)
    _add_history(snapshot)
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())) as client:
        client.headers.update(bearer(issue_key(home, "recommend")))
        yield Served(client, home)


def _ids(results: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in results]


def test_without_a_query_open_listings_come_newest_first_and_every_page_once(served: Served) -> None:
    first = served.client.get("/v1/listings").json()
    assert first["ordered_by"] == "posted" and first["matching"] == len(OPEN_IDS)
    for limit in (1, 3, 7, 50):
        pages = served.pages(limit)
        seen = [listing for page in pages for listing in page]
        assert len(seen) == len(set(_ids(seen))) == len(OPEN_IDS)
        assert set(_ids(seen)) == OPEN_IDS
        assert all(len(page) == limit for page in pages[:-1])
        dated = [r["posted_at"] for r in seen if r["posted_at"] is not None]
        assert dated == sorted(dated, reverse=True)
        assert seen[-1]["id"] == "l09"  # no date: last


def test_text_query_in_japanese_and_english(served: Served) -> None:
    nurse = served.client.get("/v1/listings", params={"q": "看護師"}).json()
    assert nurse["ordered_by"] == "text"
    assert set(_ids(nurse["results"])) == {"l01", "l02"}  # the duplicate l12 is not served
    assert all(r["score"] > 0 for r in nurse["results"])
    assert served.client.get("/v1/listings", params={"q": "nurse"}).json()["results"] == []
    english = served.client.get("/v1/listings", params={"q": "data entry"}).json()
    assert _ids(english["results"])[0] == "l05"
    assert served.client.get("/v1/listings", params={"q": "astronaut"}).json()["results"] == []
    pages = served.pages(1, q="スタッフ")
    assert sorted(_ids([r for page in pages for r in page])) == sorted(
        {r["id"] for r in ROWS if "スタッフ" in r["title"]} & OPEN_IDS)


@pytest.mark.parametrize(("params", "expected"), [
    ({"tags": "career_gap_ok"}, {"l01", "l04"}),
    ({"tags": ["career_gap_ok", "no_experience_ok"]}, {"l04"}),
    ({"tags": "cert_monisu"}, {"l06"}),
    ({"remote": "remote"}, {"l04", "l05"}),
    ({"remote": ["remote", "hybrid"]}, {"l04", "l05", "l07"}),
    ({"region": "US"}, {"l03", "l05"}),
    ({"region": "California"}, {"l03"}),
    ({"region": "大阪府"}, {"l07"}),
    ({"region": "jp", "remote": "remote"}, {"l04"}),
    ({"employment_type": "FULL_TIME"}, {"l03"}),
    ({"min_pay": 1500, "pay_unit": "HOUR", "currency": "jpy"}, {"l01", "l08"}),
    ({"min_pay": 20, "pay_unit": "HOUR", "currency": "USD"}, {"l03"}),
    ({"min_pay": 300000, "pay_unit": "MONTH", "currency": "JPY"}, {"l02"}),
    ({"posted_since": "2026-11-18"}, {"l01", "l02", "l03", "l04"}),
    ({"posted_since": "2026-11-18T00:00:01"}, {"l01", "l02", "l03"}),
    ({"posted_since": "2026-11-18T00:00:00+09:00", "q": "看護"}, {"l01", "l02"}),
])
def test_filters(served: Served, params: dict[str, Any], expected: set[str]) -> None:
    answer = served.client.get("/v1/listings", params={**params, "limit": 50})
    assert answer.status_code == 200, answer.text
    assert set(_ids(answer.json()["results"])) == expected
    assert answer.json()["matching"] == len(expected)


@pytest.mark.parametrize("params", [
    {"min_pay": 1000},
    {"min_pay": 1000, "pay_unit": "HOUR"},
    {"tags": "not_a_tag"},
    {"remote": "sometimes"},
    {"employment_type": "GIG"},
    {"limit": 101},
    {"limit": 0},
    {"posted_since": "yesterday"},
    {"currency": "円", "min_pay": 1, "pay_unit": "HOUR"},
])
def test_invalid_parameters_answer_422_naming_the_field(served: Served, params: dict[str, Any]) -> None:
    answer = served.client.get("/v1/listings", params=params)
    assert answer.status_code == 422, answer.text
    assert "detail" in answer.json()


def test_cursor_of_other_parameters_or_not_ours_is_400(served: Served) -> None:
    cursor = served.client.get("/v1/listings", params={"limit": 2}).json()["next_cursor"]
    assert cursor
    other = served.client.get("/v1/listings", params={"limit": 2, "cursor": cursor, "q": "看護"})
    assert other.status_code == 400 and "start again" in other.text
    assert served.client.get("/v1/listings", params={"cursor": cursor, "limit": 5}).status_code == 200
    for junk in ("not-a-cursor", "eyJrIjoxfQ", "%%%"):
        assert served.client.get("/v1/listings", params={"cursor": junk}).status_code == 400


def _wait_for_version(client: TestClient, version: str) -> None:
    deadline = time.monotonic() + 30
    while client.get("/health").json()["snapshot_version"] != version:
        assert time.monotonic() < deadline, "the new snapshot was not loaded"
        time.sleep(0.05)


def test_cursor_of_an_older_snapshot_is_410(served: Served) -> None:
    cursor = served.client.get("/v1/listings", params={"limit": 2}).json()["next_cursor"]
    write_snapshot(ROWS[:5], None, served.home / "serving", version="20261127T000000Z")
    _wait_for_version(served.client, "20261127T000000Z")
    stale = served.client.get("/v1/listings", params={"limit": 2, "cursor": cursor})
    assert stale.status_code == 410
    assert VERSION in stale.json()["detail"] and "start again without cursor" in stale.json()["detail"]


def test_one_listing_as_served_with_its_history(served: Served) -> None:
    listing = served.client.get("/v1/listings/l01").json()
    assert listing["snapshot_version"] == VERSION and listing["open"] is True
    assert listing["signals"] == [GAP]
    assert listing["salary"]["min"] == 1800 and listing["hours_per_week"] == {"min": 15.0, "max": 20.0}
    assert listing["places"][0]["region"] == "東京都"
    assert listing["dates"]["date_posted"] == "2026-11-21T00:00:00Z"
    assert listing["history"]["changes"] == 2 and listing["history"]["by_kind"] == {"new": 1, "changed": 1}
    assert listing["history"]["recent"][0] == {"at": "2026-11-25T09:00:00Z", "change": "changed",
                                               "fields": ["salary"], "reason": None}
    employer = served.client.get("/v1/listings/l06").json()["employer"]
    assert employer["registry_tags"] == [DISABILITY_CERT]
    remote = served.client.get("/v1/listings/l04").json()
    assert remote["remote_regions"] == ["JP"] and remote["history"] == {"changes": 0, "by_kind": {}, "recent": []}
    closed = served.client.get("/v1/listings/l10").json()
    assert closed["open"] is False and closed["status"] == "closed"


def test_without_history_in_the_snapshot_history_is_null(tmp_path: Path) -> None:
    home = tmp_path / "home"
    write_snapshot(ROWS[:3], None, home / "serving", version=VERSION)
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())) as client:
        client.headers.update(bearer(issue_key(home, "recommend")))
        listing = client.get("/v1/listings/l02").json()
    assert listing["history"] is None and listing["dates"]["date_posted"] == "2026-11-20T00:00:00Z"


def test_unknown_listing_is_404_with_the_error_shape(served: Served) -> None:
    missing = served.client.get("/v1/listings/nope")
    assert missing.status_code == 404
    assert "nope" in missing.json()["detail"] and VERSION in missing.json()["detail"]


@pytest.mark.parametrize("path", ["/v1/listings", "/v1/listings/l01"])
def test_scopes_of_the_listing_routes(served: Served, path: str) -> None:
    assert served.client.get(path, headers={"Authorization": ""}).status_code == 401
    assert served.client.get(path, headers=bearer("ippo_k0123456789_" + "x" * 43)).status_code == 401
    for scope in ("profiles", "counselor", "admin"):
        assert served.client.get(path, headers=served.key(scope)).status_code == 403, scope
    assert served.client.get(path, headers=served.key("recommend")).status_code == 200

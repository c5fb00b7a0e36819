"""The page without a browser: the home asked for in the place step (stored as the profile's
home, an unknown place named back calmly on the page only), support near home on the jobs page of a
snapshot with real WAM NET offices, the secrets shown after a redirect (a reload makes no new
identity), and the rate of the page's forms per identity and per client address."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.page.catalogue import Words
from api.page.rate_limit import PageLimits
from api.rate_limits import TokenBuckets
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.users.page_identities import identities_path
from tests.api.no_model import NoModelEmbedder
from tests.page.served import page_rows
from tests.ranker.support.fixture import write_support_snapshot


def _client(home: Path, support: bool) -> TestClient:
    if support:
        write_support_snapshot(page_rows(), home / "serving")
    else:
        write_snapshot(page_rows(), None, home / "serving", version="20261126T000000Z")
    app = create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())
    return TestClient(app, base_url="https://testserver", headers={"Accept-Language": "ja"})


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path / "home", support=False) as made:
        yield made


@pytest.fixture
def support_client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path / "home", support=True) as made:
        yield made


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)


def _secrets(text: str) -> tuple[str, str]:
    link = re.search(r'id="private-link">([^<]+)<', text)
    code = re.search(r'id="short-code">([^<]+)<', text)
    assert link and code
    return link.group(1), code.group(1)


def _identities(client: TestClient) -> int:
    with sqlite3.connect(identities_path(Path(client.app.state.settings.home))) as con:  # type: ignore[attr-defined]
        return int(con.execute("SELECT count(*) FROM page_identities").fetchone()[0])


def _profile(client: TestClient) -> dict:
    return client.get("/me/export.json").json()["profile"]


def _place(client: TestClient, token: str, **fields: str) -> object:
    return client.post("/me/step/place", data={"csrf": token, "action": "save", **fields}, follow_redirects=False)


def test_a_reload_after_start_shows_the_same_secrets_and_makes_no_new_identity(client: TestClient) -> None:
    token = _csrf(client)
    started = client.post("/start", data={"csrf": token}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"] == "/welcome"
    code_cookie = next(c for c in started.headers.get_list("set-cookie") if c.startswith("ippo_new_code="))
    for flag in ("HttpOnly", "SameSite=strict", "Secure", "Path=/welcome", "Max-Age=900"):
        assert flag in code_cookie
    first = client.get("/welcome")
    again = client.get("/welcome")
    assert first.status_code == again.status_code == 200
    assert _secrets(first.text) == _secrets(again.text)
    assert _identities(client) == 1

    renewed = client.post("/me/renew", data={"csrf": token}, follow_redirects=False)
    assert renewed.status_code == 303 and renewed.headers["location"] == "/welcome"
    new = _secrets(client.get("/welcome").text)
    assert new != _secrets(first.text) and new == _secrets(client.get("/welcome").text)
    assert _identities(client) == 1
    assert client.get(_secrets(first.text)[0].replace("https://testserver", "")).status_code == 404


def test_welcome_shows_nothing_without_the_identity_it_was_made_for(client: TestClient) -> None:
    token = _csrf(client)
    client.post("/start", data={"csrf": token})
    code = client.cookies.get("ippo_new_code", path="/welcome")
    assert code
    client.cookies.delete("ippo_me")
    assert client.get("/welcome").status_code == 404
    client.cookies.clear()
    client.post("/start", data={"csrf": _csrf(client)})
    client.cookies.delete("ippo_new_code")
    client.cookies.set("ippo_new_code", code, path="/welcome")  # another identity's code
    shown = client.get("/welcome", follow_redirects=False)
    assert shown.status_code == 303 and shown.headers["location"] == "/me"


def test_the_home_is_stored_from_a_postcode_or_a_municipality(client: TestClient) -> None:
    token = _csrf(client)
    client.post("/start", data={"csrf": token})
    step = client.get("/me/step/place").text
    words = Words("ja")
    assert words("step.place.home_why") in step and words("step.place.home_label") in step
    assert _place(client, token, home="〒164-0014", max_commute_km="10").status_code == 303
    profile = _profile(client)
    assert profile["home"] == {"postal_code": "164-0014", "municipality_code": None, "lat": None, "lon": None}
    assert profile["constraints"]["max_commute_km"] == 10
    assert 'value="164-0014"' in client.get("/me/step/place").text
    _place(client, token, home="中野区")
    profile = _profile(client)
    assert profile["home"]["municipality_code"] == "13114" and profile["home"]["postal_code"] is None
    assert profile["constraints"]["max_commute_km"] is None
    assert 'value="東京都中野区"' in client.get("/me/step/place").text
    client.post("/me/step/place", data={"csrf": token, "action": "skip", "home": "999-9999"})
    assert _profile(client)["home"]["municipality_code"] == "13114"
    _place(client, token, home="")
    assert _profile(client)["home"] is None


def test_an_unknown_place_is_named_back_calmly_and_nothing_is_stored(client: TestClient) -> None:
    token = _csrf(client)
    client.post("/start", data={"csrf": token})
    _place(client, token, home="164-0014")
    refused = _place(client, token, home="999-9999", max_commute_km="5")
    assert refused.status_code == 422
    assert Words("ja")("step.place.home_unknown", value="999-9999") in refused.text  # type: ignore[attr-defined]
    assert 'value="999-9999"' in refused.text  # type: ignore[attr-defined]
    assert _profile(client)["home"]["postal_code"] == "164-0014"
    alone = _place(client, token, max_commute_km="20")
    assert alone.status_code == 422
    assert Words("ja")("step.place.commute_needs_home") in alone.text  # type: ignore[attr-defined]
    assert _place(client, token, home="164-0014", max_commute_km="7").status_code == 303  # not offered: any
    assert _profile(client)["constraints"]["max_commute_km"] is None


def test_the_jobs_page_shows_support_near_home_and_the_hello_work_office(support_client: TestClient) -> None:
    client = support_client
    token = _csrf(client)
    client.post("/start", data={"csrf": token})
    client.post("/me/step/needs", data={"csrf": token, "need": "career_gap_ok", "action": "save"})
    before = client.get("/me/jobs").text
    assert Words("ja")("support.title") not in before  # no home: nothing about support
    _place(client, token, home="164-0014")
    page = client.get("/me/jobs").text
    words = Words("ja")
    assert words("support.title") in page
    assert words("support.hellowork", offices="新宿") in page
    assert "ワークステーションJade中野" in page and words("service.shuro_ikou") in page
    assert "03-5937-0483" in page and 'href="https://workstation-jade.com/"' in page
    assert "ビルド神保町" not in page  # 千代田区 lies beyond the radius of the list near home
    assert words("support.home_approx") in page and "（おおよその距離）" in page
    assert words("support.source") in page
    assert words("jobs.commute", km="0").split("約")[0] in page


def test_support_offices_wait_for_needs_that_call_for_them(support_client: TestClient) -> None:
    client = support_client
    token = _csrf(client)
    client.post("/start", data={"csrf": token})
    _place(client, token, home="中野区")
    page = client.get("/me/jobs").text
    assert Words("ja")("support.no_types") in page and "ワークステーションJade中野" not in page
    assert Words("ja")("support.hellowork", offices="新宿") in page


def test_the_page_forms_are_limited_per_identity(client: TestClient) -> None:
    now = [0.0]
    client.app.state.page_rate_limits = PageLimits(  # type: ignore[attr-defined]
        TokenBuckets(60, 2, clock=lambda: now[0]), TokenBuckets(60, 100, clock=lambda: now[0]))
    token = _csrf(client)
    client.post("/start", data={"csrf": token})  # no identity yet: the address alone
    for title in ("一", "二"):
        assert client.post("/me/step/work", data={"csrf": token, "titles": title, "action": "save"},
                           follow_redirects=False).status_code == 303
    refused = client.post("/me/step/work", data={"csrf": token, "titles": "灯台守", "action": "save"},
                          follow_redirects=False)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
    assert Words("ja")("error.too_many", seconds=1) in refused.text
    assert "灯台守" not in client.get("/me/step/work").text
    assert client.get("/me").status_code == 200  # reading is not limited
    now[0] += 1.0
    assert client.post("/me/step/work", data={"csrf": token, "titles": "灯台守", "action": "save"},
                       follow_redirects=False).status_code == 303


def test_the_page_forms_are_limited_per_client_address_in_the_persons_language(client: TestClient) -> None:
    now = [0.0]
    client.app.state.page_rate_limits = PageLimits(  # type: ignore[attr-defined]
        TokenBuckets(60, 100, clock=lambda: now[0]), TokenBuckets(6, 2, clock=lambda: now[0]))
    token = _csrf(client)
    client.cookies.set("ippo_lang", "en")
    for _ in range(2):
        client.cookies.delete("ippo_me")
        assert client.post("/start", data={"csrf": token}, follow_redirects=False).status_code == 303
    client.cookies.delete("ippo_me")
    refused = client.post("/start", data={"csrf": token}, follow_redirects=False)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "10"
    assert Words("en")("error.too_many", seconds=10) in refused.text
    assert _identities(client) == 2

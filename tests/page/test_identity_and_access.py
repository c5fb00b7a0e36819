"""The page without a browser: who reaches which profile, the secrets, the cookies, CSRF, the
words of both languages, and the size of the first page."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.page.catalogue import catalogue, from_accept_language
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from ranker.users.page_identities import identities_path, normalise_code
from tests.api.no_model import NoModelEmbedder
from tests.page.served import page_rows


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_snapshot(page_rows(), None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder()),
                    base_url="https://testserver") as made:
        yield made


def _csrf(client: TestClient) -> str:
    page = client.get("/")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _start(client: TestClient) -> tuple[str, str, str]:
    """A new person: (csrf token, private link, short code)."""
    token = _csrf(client)
    welcome = client.post("/start", data={"csrf": token})
    assert welcome.status_code == 200
    link = re.search(r'id="private-link">([^<]+)<', welcome.text)
    code = re.search(r'id="short-code">([^<]+)<', welcome.text)
    assert link and code
    return token, link.group(1), code.group(1)


def test_the_secrets_are_long_random_and_stored_only_hashed(client: TestClient, tmp_path: Path) -> None:
    _, link, code = _start(client)
    secret = link.rsplit("/", 1)[1]
    assert len(secret) == 32 and len(code.replace("-", "")) == 20  # 192 and 100 random bits
    stored = (tmp_path / "home" / "keys" / "page_identities.sqlite3").read_bytes()
    assert secret.encode() not in stored and code.replace("-", "").encode() not in stored
    with sqlite3.connect(identities_path(tmp_path / "home")) as con:
        assert con.execute("SELECT count(*) FROM page_identities").fetchone()[0] == 1
    assert (identities_path(tmp_path / "home").stat().st_mode & 0o777) == 0o600


def test_cookies_are_httponly_strict_and_secure_over_https(client: TestClient) -> None:
    token = _csrf(client)
    answer = client.post("/start", data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/welcome"
    cookies = answer.headers.get_list("set-cookie")
    me = next(c for c in cookies if c.startswith("ippo_me="))
    for flag in ("HttpOnly", "SameSite=strict", "Secure", "Path=/"):
        assert flag in me
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]


def test_a_form_without_the_session_token_changes_nothing(client: TestClient) -> None:
    token, _, _ = _start(client)
    refused = client.post("/me/step/work", data={"csrf": "not-the-token", "titles": "灯台守", "action": "save"})
    assert refused.status_code == 400
    assert client.post("/start", data={}).status_code == 400
    assert "灯台守" not in client.get("/me/step/work").text
    saved = client.post("/me/step/work", data={"csrf": token, "titles": "灯台守", "action": "save"},
                        follow_redirects=False)
    assert saved.status_code == 303 and "灯台守" in client.get("/me/step/work").text


def test_one_identity_never_reaches_another_profile(client: TestClient) -> None:
    token, _, _ = _start(client)
    client.post("/me/step/work", data={"csrf": token, "titles": "灯台の案内係", "action": "save"})
    first_cookie = client.cookies.get("ippo_me")
    client.cookies.clear()
    _start(client)
    assert "灯台の案内係" not in client.get("/me/step/work").text
    assert "灯台の案内係" not in client.get("/me/export.json").text
    client.cookies.clear()
    assert client.get("/me").status_code == 404
    assert client.get("/me/export.json").status_code == 404
    client.cookies.set("ippo_me", "l.not-a-secret-of-anyone-1234567890")
    assert client.get("/me/jobs").status_code == 404
    client.cookies.set("ippo_me", first_cookie or "")
    assert "灯台の案内係" in client.get("/me/step/work").text


def test_the_profile_is_an_api_profile_of_a_page_owner_that_api_keys_do_not_reach(client: TestClient) -> None:
    from tests.api.served import bearer, issue_key

    _start(client)
    exported = client.get("/me/export.json").json()
    home = Path(client.app.state.settings.home)  # type: ignore[attr-defined]
    key = bearer(issue_key(home, "profiles,counselor,admin"))
    assert exported["owner"].startswith("page:w")
    assert client.get(f"/v1/profiles/{exported['id']}", headers=key).status_code == 404
    assert client.request("PUT", f"/v1/admin/profiles/{exported['id']}/owner", headers=key,
                          json={"org": "center-a"}).status_code == 404


def test_a_new_link_and_code_end_the_old_ones(client: TestClient) -> None:
    token, link, code = _start(client)
    renewed = client.post("/me/renew", data={"csrf": token})
    assert renewed.status_code == 200
    client.cookies.clear()
    assert client.get(link.replace("https://testserver", "")).status_code == 404
    token = _csrf(client)
    assert client.post("/resume", data={"csrf": token, "code": code}).status_code == 400
    new_code = re.search(r'id="short-code">([^<]+)<', renewed.text)
    assert new_code
    assert client.post("/resume", data={"csrf": token, "code": new_code.group(1)},
                       follow_redirects=False).status_code == 303


def test_a_sensitive_need_is_kept_only_with_consent_and_removed_with_it(client: TestClient) -> None:
    token, _, _ = _start(client)
    asked = client.post("/me/step/health", data={"csrf": token, "need": "accommodations", "action": "save"})
    assert asked.status_code == 422
    assert client.get("/me/export.json").json()["profile"]["needs"] == []
    client.post("/me/step/health", data={"csrf": token, "need": "accommodations", "consent": "yes",
                                          "action": "save"})
    assert client.get("/me/export.json").json()["profile"]["needs"] == ["accommodations"]
    client.post("/me/step/needs", data={"csrf": token, "need": "short_hours", "action": "save"})
    client.post("/me/step/health", data={"csrf": token, "action": "save"})
    profile = client.get("/me/export.json").json()["profile"]
    assert profile["needs"] == ["short_hours"] and profile["consent"] == {"sensitive_needs": False}


def test_the_language_follows_the_choice_then_the_browser() -> None:
    assert from_accept_language("en-US,en;q=0.9,ja;q=0.8") == "en"
    assert from_accept_language("fr-FR, ja;q=0.5, en;q=0.4") == "ja"
    assert from_accept_language("de") == "ja"


def test_both_catalogues_have_the_same_messages_and_placeholders() -> None:
    ja, en = catalogue("ja"), catalogue("en")
    assert set(ja) == set(en)
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", ja[key])), key
    assert sum(1 for key in en if key.startswith("interests.")) == 30


def test_codes_are_read_forgivingly() -> None:
    assert normalise_code("7kq2-m9xa ioll-0000-abcd") == "7KQ2M9XA1011" + "0000ABCD"
    assert normalise_code("７ＫＱ２ＭＸＡ") is None
    assert normalise_code("UUUU-UUUU-UUUU-UUUU-UUUU") is None


def test_the_first_page_is_small(client: TestClient) -> None:
    first = client.get("/", headers={"accept-language": "ja"})
    css = client.get("/page.css")
    assert first.status_code == 200 and css.status_code == 200
    assert len(first.content) + len(css.content) < 100_000
    assert "<script" not in first.text

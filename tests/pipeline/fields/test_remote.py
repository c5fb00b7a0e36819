"""Remote / hybrid / on-site from real ATS fields and from Japanese and English text."""

from __future__ import annotations

import json

import pytest

from pipeline.fields.remote import detect_remote
from pipeline.text.normalize import html_to_text
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA


@pytest.mark.parametrize(
    ("structured", "expected"),
    [
        ("TELECOMMUTE", "remote"),
        ({"jobLocationType": "TELECOMMUTE"}, "remote"),
        ({"workplaceType": "hybrid"}, "hybrid"),  # Lever
        ({"workplaceType": "remote"}, "remote"),
        ({"workplaceType": "onsite"}, "onsite"),
        ({"workplaceType": "unspecified"}, None),
        ({"workplaceType": "OnSite", "isRemote": False}, "onsite"),  # Ashby
        ({"isRemote": True}, "remote"),
        ({"location": {"city": "Hamburg", "remote": False, "hybrid": True}}, "hybrid"),  # SmartRecruiters
        ({"location": {"city": "Hamburg", "remote": True, "hybrid": False}}, "remote"),
        ({"location": {"city": "Hamburg", "remote": False, "hybrid": False}}, "onsite"),
        ({"slug": "x", "epoch": 1773619200, "position": "Engineer"}, "remote"),  # RemoteOK job
        (["Remote", "On-site"], "hybrid"),
    ],
)
def test_structured(structured: object, expected: str | None) -> None:
    assert detect_remote(structured) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("フルリモート", "remote"),
        ("在宅勤務可", "remote"),
        ("テレワーク導入", "remote"),
        ("リモートワーク可", "remote"),
        ("一部リモート", "hybrid"),
        ("週2日出社", "hybrid"),
        ("週1日リモート可", "hybrid"),
        ("リモートと出社のハイブリッド勤務", "hybrid"),
        ("Remote", "remote"),
        ("Remote (United States)", "remote"),
        ("Remote - US", "remote"),
        ("Hybrid", "hybrid"),
        ("Singapore (Hybrid)", "hybrid"),
        ("3 days a week in the office", "hybrid"),
        ("on-site only", "onsite"),
        ("no remote", "onsite"),
        ("This is not a remote position", "onsite"),
        ("リモート不可", "onsite"),
        ("在宅勤務なし", "onsite"),
        ("テレワーク不可", "onsite"),
        ("In-Office", "onsite"),
        ("在宅有り", None),  # cme-pharmacist: 在宅 = home-visit pharmacy, not remote work
        ("在宅に興味があるものの", None),  # supernurse: home nursing
        ("Remote control software", None),
        ("San Francisco, CA", None),
        ("", None),
    ],
)
def test_text(text: str, expected: str | None) -> None:
    assert detect_remote(None, text) == expected


def test_structured_wins_over_text() -> None:
    assert detect_remote({"workplaceType": "onsite"}, "Remote") == "onsite"
    assert detect_remote({"workplaceType": "unspecified"}, "Remote") == "remote"


@pytest.mark.parametrize("bad", [None, 0, True, 3.5, {}, [], [None], {"location": "x"}, b"remote", object()])
def test_bad_input_never_raises(bad: object) -> None:
    assert detect_remote(bad, None) is None
    assert detect_remote(None, bad) is None  # type: ignore[arg-type]


def test_real_payloads() -> None:
    if not DATA.exists():
        pytest.skip(f"shared data not found at {DATA}")
    ats = DATA / "ats_api_responses"
    lever = json.loads((ats / "lever_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))
    assert [detect_remote(p) for p in lever] == ["hybrid", "hybrid"]
    ashby = json.loads((ats / "ashby_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))["jobs"]
    assert [detect_remote(j) for j in ashby] == ["onsite", "onsite"]
    smart = json.loads(
        (DATA / "ats_payloads_extra" / "smartrecruiters_aboutyou_postings_plin-code.json").read_text(encoding="utf-8")
    )["content"]
    assert [detect_remote(p) for p in smart] == ["hybrid", "hybrid", "remote"]
    greenhouse = json.loads((ats / "greenhouse_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))["jobs"]
    assert [detect_remote(None, j["location"]["name"]) for j in greenhouse] == ["remote", "remote"]
    remoteok = json.loads((ats / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json").read_text(encoding="utf-8"))
    assert {detect_remote(job) for job in remoteok[1:]} == {"remote"}


def test_real_jobposting_descriptions() -> None:
    path = DATA / "jobposting_pages" / "expected_jobposting_jsonld.json"
    if not path.exists():
        pytest.skip(f"{path} not found")
    postings = [p for page in json.loads(path.read_text(encoding="utf-8")) for p in page["jobpostings"]]
    modes = {p["title"]: detect_remote(p, html_to_text(p["description"])) for p in postings}
    # PaperCut: "it will require some on-site time at our Camberwell offices".
    assert modes["Senior DevOps Engineer"] == "hybrid"
    # The Japanese nursing/pharmacy pages mention 在宅 (home care), never remote work.
    assert [m for t, m in modes.items() if t != "Senior DevOps Engineer"] == [None] * (len(modes) - 1)

"""ATS payload normalizers on real saved payloads (tests/fixtures/payloads): one assertion per test."""

from __future__ import annotations

import copy
import json
from typing import Any

from pipeline.sources.kinds import NORMALIZERS
from tests.conftest import FIXTURES

PAYLOADS = FIXTURES / "payloads"


def _load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def _normalize(kind: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return dict(NORMALIZERS[kind].normalize({"kind": kind, "source": "test", "payload": payload, **extra}))


GH_JOB = _load("greenhouse_smarterdx_jobs_content.json")["jobs"][0]
greenhouse = _normalize("greenhouse_job", GH_JOB)
GH_LIST_ENTRY = {k: v for k, v in GH_JOB.items() if k not in ("content", "departments", "offices")}
lever = _normalize(
    "lever_posting", _load("lever_palantir_postings.json")[0], board="palantir", company="Palantir Technologies"
)
ashby = _normalize("ashby_job", _load("ashby_openevidence_job_board.json")["jobs"][0], board="openevidence")
USAJOBS_RESULT = _load("usajobs_search_2022.json")["SearchResult"]["SearchResultItems"][0]
usajobs = _normalize("usajobs_job", USAJOBS_RESULT)
# The same real result as a disability hiring-path announcement (the code the search API sends).
USAJOBS_DISABILITY = copy.deepcopy(USAJOBS_RESULT)
USAJOBS_DISABILITY["MatchedObjectDescriptor"]["UserArea"]["Details"]["HiringPath"] = ["public", "disability"]
usajobs_disability = _normalize("usajobs_job", USAJOBS_DISABILITY)
REMOTEOK = _load("remoteok_api_2026-03-16_first12.json")
remoteok_training = _normalize("remoteok_job", REMOTEOK[1])
remoteok_paid = _normalize("remoteok_job", next(j for j in REMOTEOK if j.get("salary_min", 0) > 1000))
remoteok_hourly = _normalize("remoteok_job", next(j for j in REMOTEOK if 0 < j.get("salary_min", 0) < 1000))


def test_greenhouse_title() -> None:
    assert greenhouse["title"] == "Client Support Analyst I"


def test_greenhouse_employer() -> None:
    assert greenhouse["employer"]["name"] == "SmarterDx"


def test_greenhouse_unescapes_content_to_text() -> None:
    assert "no more than 25 hours a week, 5PM - 9PM ET" in greenhouse["description_text"]


def test_greenhouse_part_time_from_text() -> None:
    assert greenhouse["employment_types"] == ["PART_TIME"]


def test_greenhouse_hours_from_text() -> None:
    assert greenhouse["hours_per_week"] == {"min": 25.0, "max": 25.0}


def test_greenhouse_remote_from_location() -> None:
    assert greenhouse["remote"] == "remote"


def test_greenhouse_country_from_location() -> None:
    assert greenhouse["locations"][0]["country"] == "US"


def test_greenhouse_date_posted_in_utc() -> None:
    assert greenhouse["date_posted"] == "2026-07-27T17:48:30Z"


def test_greenhouse_short_hours_signal() -> None:
    assert "short_hours" in {s["tag"] for s in greenhouse["signals"]}


def test_greenhouse_list_entry_has_the_same_identity_as_the_detail() -> None:
    ident = NORMALIZERS["greenhouse_job"].identify
    assert ident({"source": "test", "payload": GH_LIST_ENTRY}) == ident({"source": "test", "payload": GH_JOB})


def test_greenhouse_new_updated_at_changes_the_hash() -> None:
    ident = NORMALIZERS["greenhouse_job"].identify
    moved = {**GH_JOB, "updated_at": "2026-08-01T00:00:00-04:00"}
    assert ident({"source": "test", "payload": moved})[1] != ident({"source": "test", "payload": GH_JOB})[1]


def test_lever_title() -> None:
    assert lever["title"] == "Administrative Business Partner"


def test_lever_employer_from_source_config() -> None:
    assert lever["employer"]["name"] == "Palantir Technologies"


def test_lever_location() -> None:
    assert (lever["locations"][0]["locality"], lever["locations"][0]["country"]) == ("London", "GB")


def test_lever_hybrid() -> None:
    assert lever["remote"] == "hybrid"


def test_lever_full_time() -> None:
    assert lever["employment_types"] == ["FULL_TIME"]


def test_lever_accommodation_signal() -> None:
    assert "accommodations" in {s["tag"] for s in lever["signals"]}


def test_lever_lists_are_in_the_text() -> None:
    assert "Provide administrative support to a portfolio of individuals/teams" in lever["description_text"]


def test_lever_created_at_epoch_ms() -> None:
    assert lever["date_posted"] == "2024-03-25T21:50:16Z"


def test_ashby_secondary_location_kept() -> None:
    assert [loc["locality"] for loc in ashby["locations"]] == ["San Francisco", "Miami"]


def test_ashby_onsite() -> None:
    assert ashby["remote"] == "onsite"


def test_ashby_employer_falls_back_to_board() -> None:
    assert ashby["employer"]["name"] == "openevidence"


def test_ashby_apply_url() -> None:
    assert ashby["apply_url"] == (
        "https://jobs.ashbyhq.com/openevidence/4c577aae-1ad0-444b-9e15-2ad994333de4/application"
    )


def test_usajobs_salary() -> None:
    assert usajobs["salary"] == {"min": 97738.0, "max": 138868.0, "currency": "USD", "unit": "YEAR", "text": None}


def test_usajobs_employer_is_the_agency() -> None:
    assert usajobs["employer"]["name"] == "Defense Counterintelligence and Security Agency"


def test_usajobs_every_location() -> None:
    assert [loc["locality"] for loc in usajobs["locations"]] == ["Fort Meade", "Boyers", "Arlington", "Quantico"]


def test_usajobs_valid_through() -> None:
    assert usajobs["valid_through"] == "2022-04-14T23:59:59Z"


def test_usajobs_public_path_is_not_disability_employment() -> None:
    assert "disability_employment" not in {s["tag"] for s in usajobs["signals"]}


def test_usajobs_disability_hiring_path_raises_the_tag() -> None:
    assert "disability_employment" in {s["tag"] for s in usajobs_disability["signals"]}


def test_usajobs_relevance_rank_does_not_change_the_hash() -> None:
    ident = NORMALIZERS["usajobs_job"].identify
    reranked = {**USAJOBS_RESULT, "RelevanceRank": 99}
    assert ident({"source": "t", "payload": reranked}) == ident({"source": "t", "payload": USAJOBS_RESULT})


def test_remoteok_is_remote() -> None:
    assert remoteok_training["remote"] == "remote"


def test_remoteok_url_is_the_backlink() -> None:
    assert remoteok_training["url"].startswith("https://remoteOK.com/remote-jobs/")


def test_remoteok_training_signal() -> None:
    assert "training_provided" in {s["tag"] for s in remoteok_training["signals"]}


def test_remoteok_zero_salary_is_no_salary() -> None:
    assert remoteok_training["salary"] is None


def test_remoteok_yearly_salary() -> None:
    assert (remoteok_paid["salary"]["currency"], remoteok_paid["salary"]["unit"]) == ("USD", "YEAR")


def test_remoteok_small_amount_is_hourly() -> None:
    assert remoteok_hourly["salary"]["unit"] == "HOUR"


def test_every_ats_kind_is_registered() -> None:
    assert {"greenhouse_job", "lever_posting", "ashby_job", "usajobs_job", "remoteok_job"} <= set(NORMALIZERS)


def test_remoteok_descriptions_are_stored_with_mojibake_repaired() -> None:
    from pipeline.text.mojibake import has_mojibake

    garbled = [job for job in REMOTEOK if isinstance(job.get("description"), str) and has_mojibake(job["description"])]
    assert len(garbled) >= 5  # the real feed serves most descriptions as UTF-8 read as Latin-1
    for job in garbled:
        listing = _normalize("remoteok_job", job)
        assert not has_mojibake(listing["description_text"]), job["id"]
        assert not has_mojibake(listing["description_html"] or ""), job["id"]

"""Real pages -> canonical listings: the values asserted are those the pages state."""

from __future__ import annotations

import pytest

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from pipeline.errors import NormalizeError
from pipeline.sources.build import listing_id
from pipeline.sources.jobposting import normalize_jobposting
from tests.conftest import PAGES


def _listing(name: str):
    page = decode_page((PAGES / name).read_bytes())
    extraction = extract_from_html(page.text, base_url=f"http://127.0.0.1:8000/jobs/{name}")
    [posting] = extraction.postings
    return normalize_jobposting({
        "kind": "jobposting", "source": "demo", "url": f"http://127.0.0.1:8000/jobs/{name}",
        "canonical_url": extraction.canonical_url, "page_language": extraction.language, "payload": posting,
    })


CME = _listing("cme-pharmacist.html")
MC = _listing("mc-nurse.html")
KIRARA = _listing("kirara-support.html")
INDEED = _listing("indeed_job.html")
NURSEJJ = _listing("nursejj.html")
SUPERNURSE = _listing("supernurse.html")


def test_composite_employer_name_is_split() -> None:
    assert CME["employer"]["name"] == "CMEコンサルティング（薬剤師専門・転職支援事業部）"


def test_monthly_salary_from_string_value() -> None:
    assert (CME["salary"]["min"], CME["salary"]["max"], CME["salary"]["currency"], CME["salary"]["unit"]) == (
        300000.0, 300000.0, "JPY", "MONTH")


def test_yearly_range_from_string_min_max() -> None:
    salary = KIRARA["salary"]
    assert (salary["min"], salary["max"], salary["unit"]) == (4560000.0, 6360000.0, "YEAR")


def test_salary_in_a_list_of_values() -> None:
    assert (NURSEJJ["salary"]["min"], NURSEJJ["salary"]["unit"]) == (355000.0, "MONTH")


def test_english_page_salary_location_dates() -> None:
    salary = INDEED["salary"]
    assert (salary["min"], salary["max"], salary["currency"]) == (130000.0, 160000.0, "AUD")
    assert INDEED["locations"] == [{"country": "AU", "region": "VIC", "locality": "Camberwell", "postal_code": "3124"}]
    assert INDEED["valid_through"] == "2026-12-12T09:37:46Z"
    assert INDEED["language"] == "en"
    assert INDEED["employer"]["name"] == "PaperCut Software"


def test_japanese_location_and_language() -> None:
    assert KIRARA["locations"][0]["region"] == "東京都"
    assert KIRARA["locations"][0]["locality"] == "新宿区"
    assert MC["locations"][0]["region"] == "愛知県"
    assert MC["language"] == "ja"


def test_employment_type_and_dates() -> None:
    assert MC["employment_types"] == ["FULL_TIME"]
    assert MC["date_posted"] == "2025-06-30T00:00:00Z"
    assert MC["valid_through"] == "2026-06-30T00:00:00Z"
    assert CME["valid_through"] is None  # the page has validThrough: ""


def test_url_prefers_the_postings_own_url_then_canonical() -> None:
    assert CME["url"] == "https://www.cme-pharmacist.jp/job/job-405496/"
    assert MC["url"] == "https://mc-nurse.net/jobs/detail/22-WNJCM/"


def test_source_id_and_stable_id() -> None:
    assert MC["source_id"] == "22-WNJCM"
    assert MC["id"] == listing_id("demo", "22-WNJCM")
    assert _listing("mc-nurse.html")["content_hash"] == MC["content_hash"]


def test_signals_from_the_listing_text_with_evidence() -> None:
    tags = {s["tag"]: s["evidence"] for s in MC["signals"]}
    assert "gradual_start" in tags and tags["gradual_start"] in MC["description_text"]
    assert "night_shift" in {s["tag"] for s in NURSEJJ["signals"]}


def test_description_is_text_without_tags() -> None:
    assert "<br" not in KIRARA["description_text"]
    assert "採血" in KIRARA["description_text"]


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"kind": "jobposting", "source": "s", "payload": "not an object"}, "payload_not_object"),
        ({"kind": "jobposting", "source": "s", "payload": {"description": "no title"}}, "missing_title"),
        ({"kind": "jobposting", "source": "s", "payload": {"title": "x"}}, "missing_identity"),
    ],
)
def test_bad_items_raise_with_a_reason(item: dict, reason: str) -> None:
    with pytest.raises(NormalizeError) as caught:
        normalize_jobposting(item)
    assert caught.value.reason == reason


def test_posting_declared_in_another_language_still_normalizes() -> None:
    """A page declaring inLanguage "es" (the real kirara page, relabelled for this test) is not a crash."""
    from tests.pipeline.warehouse.test_load_publish import _items

    item = _items(["kirara-support.html"])[0]
    item["payload"]["inLanguage"] = "es"
    listing = normalize_jobposting(item)
    assert listing["language"] == "es"
    assert listing["title"] == "看護師"

from __future__ import annotations

import pytest

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html, parse_jsonld_block
from tests.conftest import PAGES


def _extract(name: str):
    page = decode_page((PAGES / name).read_bytes())
    return extract_from_html(page.text, base_url=f"http://127.0.0.1/jobs/{name}")


@pytest.mark.parametrize(
    ("name", "title", "employer"),
    [
        (
            "cme-pharmacist.html",
            "薬剤師(月給 : 30万円～)",
            "提供元：CME薬剤師, 企業名：CMEコンサルティング（薬剤師専門・転職支援事業部） ",
        ),
        ("mc-nurse.html", "正看護師", "住宅型有料老人ホームGARO　HOME　鶴舞"),
        ("nursejj.html", "正看護師", "医療法人社団 隆靖会 墨田中央病院"),
        ("supernurse.html", "正看護師", "株式会社スーパーナース"),
        ("kirara-support.html", "看護師", "医療法人財団綜友会　 新宿ファーストタワークリニック"),
        ("indeed_job.html", "Senior DevOps Engineer", "PaperCut Software"),
    ],
)
def test_real_pages_yield_their_jobposting(name: str, title: str, employer: str) -> None:
    result = _extract(name)
    assert len(result.postings) == 1
    assert result.postings[0]["title"] == title
    assert result.postings[0]["hiringOrganization"]["name"] == employer
    assert result.problems == []


@pytest.mark.parametrize("name", ["kyujiner.html", "yakumatch.html", "seek_job.html"])
def test_pages_without_jobposting_yield_nothing(name: str) -> None:
    assert _extract(name).postings == []


def test_other_jsonld_types_are_seen_but_not_taken() -> None:
    result = _extract("kirara-support.html")
    assert {"JobPosting", "BreadcrumbList", "FAQPage"} <= set(result.jsonld_types)


def test_canonical_url_relative_is_resolved_against_the_page() -> None:
    assert _extract("nursejj.html").canonical_url == "http://127.0.0.1/bs/tokyo/148.html"
    assert _extract("mc-nurse.html").canonical_url == "https://mc-nurse.net/jobs/detail/22-WNJCM/"


def test_shift_jis_page_decodes_as_cp932_without_loss() -> None:
    page = decode_page((PAGES / "mc-nurse.html").read_bytes())
    assert page.encoding == "cp932"
    assert "\ufffd" not in page.text
    assert "鶴舞" in page.text
    assert page.warnings == []


def test_unknown_charset_is_reported() -> None:
    body = '<html><head><meta charset="x-no-such-charset"></head><body>看護師</body></html>'.encode()
    page = decode_page(body)
    assert "看護師" in page.text
    assert any("x-no-such-charset" in w for w in page.warnings)


def test_wrong_charset_is_reported() -> None:
    body = '<html><head><meta charset="utf-8"></head><body>看護師募集</body></html>'.encode("cp932") * 20
    page = decode_page(body)
    assert any("could not be decoded" in w for w in page.warnings)


def test_trailing_commas_and_comment_wrappers_are_repaired() -> None:
    block = '<!--\n{"@type": "JobPosting", "title": "事務", "skills": ["Excel",],}\n-->'
    assert parse_jsonld_block(block)["title"] == "事務"


def test_broken_block_is_reported_and_good_block_still_read() -> None:
    html = (
        '<script type="application/ld+json">{"@type": "JobPosting", "title": </script>'
        '<script type="application/ld+json">{"@graph": [{"@type": "Organization"},'
        ' {"@type": ["JobPosting"], "title": "Data entry clerk"}]}</script>'
    )
    result = extract_from_html(html)
    assert [p["title"] for p in result.postings] == ["Data entry clerk"]
    assert len(result.problems) == 1 and "block 1" in result.problems[0]


def test_microdata_jobposting() -> None:
    # Written for this test: the shape schema.org documents for microdata.
    html = """
    <div itemscope itemtype="https://schema.org/JobPosting">
      <h1 itemprop="title">Warehouse assistant</h1>
      <span itemprop="employmentType">PART_TIME</span>
      <div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">
        <span itemprop="name">Example Logistics Ltd</span></div>
      <meta itemprop="datePosted" content="2026-11-01">
      <div itemprop="jobLocation" itemscope itemtype="https://schema.org/Place">
        <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
          <span itemprop="addressLocality">Leeds</span><meta itemprop="addressCountry" content="GB"></div></div>
    </div>"""
    [posting] = extract_from_html(html).postings
    assert posting["title"] == "Warehouse assistant"
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": "Example Logistics Ltd"}
    assert posting["jobLocation"]["address"]["addressLocality"] == "Leeds"
    assert posting["datePosted"] == "2026-11-01"

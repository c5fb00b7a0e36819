"""Pay read from a labelled line of a description when the structured data has none."""

from __future__ import annotations

import copy

from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from pipeline.fields.salary import salary_from_description
from pipeline.sources.jobposting import normalize_jobposting
from tests.conftest import PAGES


def _without_base_salary(name: str) -> dict:
    [posting] = extract_from_html(decode_page((PAGES / name).read_bytes()).text).postings
    posting = copy.deepcopy(posting)
    posting.pop("baseSalary")
    return {"kind": "jobposting", "source": "demo", "url": f"http://127.0.0.1/jobs/{name}", "payload": posting}


def test_label_alone_on_its_line_takes_the_next_line() -> None:
    # The real supernurse description: 【給与】<br>月給37万円
    salary = normalize_jobposting(_without_base_salary("supernurse.html"))["salary"]
    assert (salary["min"], salary["currency"], salary["unit"]) == (370000.0, "JPY", "MONTH")


def test_pay_word_starting_the_line() -> None:
    # The real nursejj description: 月給：355,000円
    salary = normalize_jobposting(_without_base_salary("nursejj.html"))["salary"]
    assert (salary["min"], salary["unit"]) == (355000.0, "MONTH")


def test_money_in_prose_is_never_pay() -> None:
    # Written for this test, in the shape of real ATS descriptions.
    assert salary_from_description("We closed a Series A raise of $17.2M.\nRevenue of $257B annually.") is None
    assert salary_from_description("Pay transparency: we publish ranges in every country.") is None
    found = salary_from_description("About us\nSalary: $90,000 - $120,000 plus equity")
    assert (found["min"], found["max"], found["unit"]) == (90000.0, 120000.0, "YEAR")

"""Salary parsing against real baseSalary values and real salary strings."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from pipeline.fields.salary import infer_unit, normalize_unit, parse_base_salary, parse_salary_text
from pipeline.text.normalize import html_to_text
from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
LABELLED = ROOT / "tests" / "fixtures" / "salary" / "labelled.csv"
EXPECTED_JSONLD = DATA / "jobposting_pages" / "expected_jobposting_jsonld.json"


def _values(salary: dict | None) -> tuple:
    assert salary is not None
    return (salary["min"], salary["max"], salary["currency"], salary["unit"])


# baseSalary values exactly as the real pages publish them (see tests/fixtures/SOURCES.md).
PAPERCUT = {
    "@type": "MonetaryAmount",
    "currency": "AUD",
    "value": {"@type": "QuantitativeValue", "maxValue": 160000, "minValue": 130000, "unitText": "YEAR"},
}
CME_PHARMACIST = {
    "@type": "MonetaryAmount",
    "currency": "JPY",
    "value": {"@type": "QuantitativeValue", "unitText": "MONTH", "value": "300000"},
}
MC_NURSE = {
    "@type": "MonetaryAmount",
    "currency": "JPY",
    "value": {
        "@type": "QuantitativeValue",
        "unitText": "MONTH",
        "value": 300000,
        "minValue": 300000,
        "maxValue": 300000,
    },
}
NURSEJJ = {
    "@type": "MonetaryAmount",
    "value": [{"@type": "QuantitativeValue", "unitText": "MONTH", "value": 355000}],
    "currency": "JPY",
}
SUPERNURSE = {
    "@type": "MonetaryAmount",
    "currency": "JPY",
    "value": {
        "@type": "QuantitativeValue",
        "value": ["370000"],
        "minValue": "370000",
        "maxValue": "370000",
        "unitText": "MONTH",
    },
}
KIRARA_TEST = {
    "@type": "MonetaryAmount",
    "currency": "JPY",
    "value": {"@type": "QuantitativeValue", "minValue": "4560000", "maxValue": "6360000", "unitText": "YEAR"},
}
USAJOBS_REMUNERATION = [{"MinimumRange": "97738.0", "MaximumRange": "138868.0", "RateIntervalCode": "Per Year"}]


@pytest.mark.parametrize(
    ("base_salary", "expected"),
    [
        (PAPERCUT, (130000, 160000, "AUD", "YEAR")),
        (CME_PHARMACIST, (300000, 300000, "JPY", "MONTH")),
        (MC_NURSE, (300000, 300000, "JPY", "MONTH")),
        (NURSEJJ, (355000, 355000, "JPY", "MONTH")),
        (SUPERNURSE, (370000, 370000, "JPY", "MONTH")),
        (KIRARA_TEST, (4560000, 6360000, "JPY", "YEAR")),
        (USAJOBS_REMUNERATION, (97738, 138868, None, "YEAR")),
    ],
    ids=["papercut", "cme-pharmacist", "mc-nurse", "nursejj", "supernurse", "test.html", "usajobs"],
)
def test_real_base_salaries(base_salary: object, expected: tuple) -> None:
    assert _values(parse_base_salary(base_salary)) == expected


def test_usajobs_remuneration_takes_the_default_currency() -> None:
    assert parse_base_salary(USAJOBS_REMUNERATION, "USD")["currency"] == "USD"


@pytest.mark.parametrize(
    ("base_salary", "default", "expected"),
    [
        (300000, "JPY", (300000, 300000, "JPY", "MONTH")),
        ("300000", "JPY", (300000, 300000, "JPY", "MONTH")),
        (["370000"], "JPY", (370000, 370000, "JPY", "MONTH")),
        ({"value": {"minValue": "20", "maxValue": "25", "unitText": "hour"}}, "USD", (20, 25, "USD", "HOUR")),
        (
            {"currency": "usd", "value": {"value": 52000, "unitText": "year", "currency": "CAD"}},
            None,
            (52000, 52000, "USD", "YEAR"),
        ),
        ({"value": {"value": 1200, "currency": "JPY", "unitText": "Hour"}}, None, (1200, 1200, "JPY", "HOUR")),
        (
            {"value": {"minValue": 300000, "maxValue": 200000, "unitText": "MONTH"}, "currency": "JPY"},
            None,
            (200000, 300000, "JPY", "MONTH"),
        ),
    ],
)
def test_other_structured_shapes(base_salary: object, default: str | None, expected: tuple) -> None:
    assert _values(parse_base_salary(base_salary, default)) == expected


def test_structured_text_value_is_read_as_text() -> None:
    salary = parse_base_salary({"currency": "JPY", "value": "月給25万円～"})
    assert _values(salary) == (250000, None, "JPY", "MONTH")
    assert salary["text"] == "月給25万円～"


@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "   ",
        0,
        -5,
        True,
        float("nan"),
        float("inf"),
        {},
        [],
        [None],
        {"value": None},
        {"value": {"value": {"value": {"value": {"value": {"value": {"value": {"value": 1}}}}}}}},
        {"currency": 5, "value": {"minValue": [], "maxValue": {}}},
        object(),
        b"300000",
        [[[]]],
    ],
)
def test_bad_structured_input_never_raises(bad: object) -> None:
    result = parse_base_salary(bad)
    assert result is None or result["min"] is None or result["min"] > 0


def test_remoteok_zero_means_not_given() -> None:
    assert parse_base_salary({"minValue": 0, "maxValue": 0}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("月給25万円～", (250000, None, "JPY", "MONTH")),
        ("時給1,200円以上", (1200, None, "JPY", "HOUR")),
        ("年収400万～600万円", (4000000, 6000000, "JPY", "YEAR")),
        ("年収400～600万円", (4000000, 6000000, "JPY", "YEAR")),
        ("日給9,000円", (9000, 9000, "JPY", "DAY")),
        ("月給18万5,000円～", (185000, None, "JPY", "MONTH")),
        ("月給２５万円〜", (250000, None, "JPY", "MONTH")),
        ("年収 4,560,000円〜6,360,000円", (4560000, 6360000, "JPY", "YEAR")),
        ("245,000円〜350,000円 245,000円〜350,000円", (245000, 350000, "JPY", "MONTH")),
        ("up to $40/hr", (None, 40, "USD", "HOUR")),
        ("$90,000 - $120,000", (90000, 120000, "USD", "YEAR")),
        ("£15 an hour", (15, 15, "GBP", "HOUR")),
        ("$120k-$150k", (120000, 150000, "USD", "YEAR")),
        ("$150-200k/year", (150000, 200000, "USD", "YEAR")),
        ("~30万円", (None, 300000, "JPY", "MONTH")),
        ("時給1200", (1200, 1200, "JPY", "HOUR")),
        ("日給1万円", (10000, 10000, "JPY", "DAY")),
        ("時給1226-上限なし", (1226, None, "JPY", "HOUR")),
        ("月給 : 30万円～ 想定年収：550万円～700万円", (300000, None, "JPY", "MONTH")),
    ],
)
def test_listed_examples(text: str, expected: tuple) -> None:
    salary = parse_salary_text(text)
    assert _values(salary) == expected
    assert salary["text"] == text


@pytest.mark.parametrize("text", ["Competitive", "DOE", "公開していません", "年2回", "週5日勤務"])
def test_text_without_amount_keeps_only_the_text(text: str) -> None:
    assert parse_salary_text(text) == {"min": None, "max": None, "currency": None, "unit": None, "text": text}


def test_unit_left_unknown_when_size_is_ambiguous() -> None:
    # 50,000 JPY could be a day rate or a part-time month; no unit word, so no unit.
    assert parse_salary_text("50,000円")["unit"] is None
    assert parse_salary_text("$500 - $700")["unit"] is None
    assert parse_salary_text("PLN 350,700 - 474,400")["unit"] is None


def test_bare_dollar_follows_an_australian_default() -> None:
    assert parse_salary_text("$130,000 - $160,000", "AUD")["currency"] == "AUD"
    assert parse_salary_text("US$40/hr", "AUD")["currency"] == "USD"


@pytest.mark.parametrize("bad", [None, 42, 3.5, ["月給25万円"], {"text": "x"}, "", "   ", "\x00\x01", "万" * 5000])
def test_bad_text_input_never_raises(bad: object) -> None:
    result = parse_salary_text(bad)  # type: ignore[arg-type]
    assert result is None or result["min"] is None


def test_normalize_unit_and_inference() -> None:
    units = [normalize_unit(u) for u in ("MONTH", "month", "Per Year", "hourly", "PA", "Bi-weekly", None)]
    assert units == ["MONTH", "MONTH", "YEAR", "HOUR", "YEAR", None, None]
    assert infer_unit(245000, 350000, "JPY") == "MONTH"
    assert infer_unit(1200, None, "JPY") == "HOUR"
    assert infer_unit(4000000, 8000000, "JPY") == "YEAR"
    assert infer_unit(20000, 60000, "JPY") is None
    assert infer_unit(90000, 120000, "USD") == "YEAR"
    assert infer_unit(90000, 120000, None) is None


def _labelled_rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_labelled_set_is_large_and_covers_both_languages() -> None:
    rows = _labelled_rows()
    assert len(rows) >= 150
    assert any(row["currency"] == "JPY" for row in rows)
    assert any(row["currency"] in ("USD", "GBP") for row in rows)
    assert {row["unit"] for row in rows} >= {"HOUR", "DAY", "MONTH", "YEAR", ""}


def test_labelled_set_accuracy() -> None:
    """The parser must agree with the hand labels on all four fields for >= 97% of the strings."""
    rows = _labelled_rows()
    exact = 0
    for row in rows:
        got = _values(parse_salary_text(row["text"]))
        want = (
            float(row["min"]) if row["min"] else None,
            float(row["max"]) if row["max"] else None,
            row["currency"] or None,
            row["unit"] or None,
        )
        exact += got == want
    assert exact / len(rows) >= 0.97


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _source_text(origin: Path) -> str:
    """The readable text of a source file, whitespace removed, for substring checks."""
    raw = origin.read_bytes()
    for encoding in ("utf-8", "cp932"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    parts = [text]
    if origin.suffix == ".json":
        parts += _strings(json.loads(text))
    if origin.suffix in (".json", ".html"):
        parts = [html_to_text(part) for part in parts] + [html.unescape(part) for part in parts]
    if origin.suffix == ".html" and EXPECTED_JSONLD.exists():
        for page in json.loads(EXPECTED_JSONLD.read_text(encoding="utf-8")):
            if page["file"].endswith("/" + origin.name):
                parts += [html_to_text(text) for text in _strings(page["jobpostings"])]
    return re.sub(r"\s+", "", "\n".join(parts))


def test_labelled_strings_are_real() -> None:
    """Every labelled string occurs in the file it names (skipped without ../shared/data)."""
    if not DATA.exists():
        pytest.skip(f"shared data not found at {DATA}")
    sources: dict[str, str] = {}
    for row in _labelled_rows():
        if row["origin"] not in sources:
            sources[row["origin"]] = _source_text(DATA / row["origin"])
        assert re.sub(r"\s+", "", row["text"]) in sources[row["origin"]], (row["origin"], row["text"][:60])


def test_expected_jsonld_base_salaries() -> None:
    if not EXPECTED_JSONLD.exists():
        pytest.skip(f"{EXPECTED_JSONLD} not found")
    pages = json.loads(EXPECTED_JSONLD.read_text(encoding="utf-8"))
    parsed = {
        page["file"].split("/")[-1]: _values(parse_base_salary(posting["baseSalary"]))
        for page in pages
        for posting in page["jobpostings"]
        if "baseSalary" in posting
    }
    assert parsed == {
        "indeed_job.html": (130000, 160000, "AUD", "YEAR"),
        "cme-pharmacist.html": (300000, 300000, "JPY", "MONTH"),
        "mc-nurse.html": (300000, 300000, "JPY", "MONTH"),
        "nursejj.html": (355000, 355000, "JPY", "MONTH"),
        "supernurse.html": (370000, 370000, "JPY", "MONTH"),
        "test.html": (4560000, 6360000, "JPY", "YEAR"),
    }

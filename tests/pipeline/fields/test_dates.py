"""Dates from the real sources' formats to ISO 8601 UTC, and expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from pipeline.fields.dates import is_expired, to_utc_iso


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-06-27", "2025-06-27T00:00:00Z"),  # cme-pharmacist datePosted
        ("2026-08-06T07:39:35.941Z", "2026-08-06T07:39:35Z"),  # PaperCut datePosted
        ("2026-12-12T09:37:46.463Z", "2026-12-12T09:37:46Z"),  # PaperCut validThrough
        ("2026-07-27T14:17:12-04:00", "2026-07-27T18:17:12Z"),  # Greenhouse updated_at
        ("2026-02-23T04:19:16.820+00:00", "2026-02-23T04:19:16Z"),  # Ashby publishedAt
        ("2022-03-25T11:18:12.4200", "2022-03-25T11:18:12Z"),  # USAJOBS, no zone -> UTC
        ("2022-04-14T23:59:59.9970", "2022-04-14T23:59:59Z"),
        ("2026-01-08 00:00:00", "2026-01-08T00:00:00Z"),  # Hello Work reception_date
        ("2025/06/27", "2025-06-27T00:00:00Z"),
        ("2025/6/7", "2025-06-07T00:00:00Z"),
        ("2025年6月27日", "2025-06-27T00:00:00Z"),
        ("２０２５年６月２７日", "2025-06-27T00:00:00Z"),
        ("平成24年1月25日", "2012-01-25T00:00:00Z"),  # Hello Work 2012 受理日
        ("平成24年 | 1月25日", "2012-01-25T00:00:00Z"),  # the same, as in the derived CSV
        ("令和元年5月1日", "2019-05-01T00:00:00Z"),
        ("令和7年6月27日", "2025-06-27T00:00:00Z"),
        ("R7.6.27", "2025-06-27T00:00:00Z"),
        ("H24.1.25", "2012-01-25T00:00:00Z"),
        ("昭和64年1月7日", "1989-01-07T00:00:00Z"),
        ("June 27, 2025", "2025-06-27T00:00:00Z"),
        ("27 Jun 2025", "2025-06-27T00:00:00Z"),
        ("Mon, 16 Mar 2026 10:00:00 +0000", "2026-03-16T10:00:00Z"),
        (1711403416463, "2024-03-25T21:50:16Z"),  # Lever createdAt (ms)
        (1773619200, "2026-03-16T00:00:00Z"),  # epoch seconds
        ("1773619200", "2026-03-16T00:00:00Z"),
        (1773619200.5, "2026-03-16T00:00:00Z"),
        (date(2025, 1, 2), "2025-01-02T00:00:00Z"),
        (datetime(2025, 1, 2, 3, 4, 5), "2025-01-02T03:04:05Z"),
        (datetime(2025, 1, 2, 9, 0, tzinfo=timezone(timedelta(hours=9))), "2025-01-02T00:00:00Z"),
    ],
)
def test_formats(value: object, expected: str) -> None:
    assert to_utc_iso(value) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        None,
        "garbage",
        "2025-13-45",
        "平成99年99月99日",
        True,
        False,
        float("nan"),
        float("inf"),
        -5,
        0,
        [],
        {},
        ["2025-06-27"],
        b"2025-06-27",
        "9999-01-01",
        object(),
    ],
)
def test_bad_values_give_none(bad: object) -> None:
    assert to_utc_iso(bad) is None


def test_validthrough_empty_string_is_none() -> None:
    # cme-pharmacist publishes "validThrough": ""
    assert to_utc_iso("") is None
    assert is_expired("", datetime(2030, 1, 1, tzinfo=UTC)) is False


def test_is_expired() -> None:
    now = datetime(2026, 6, 30, 10, 0, tzinfo=UTC)
    assert is_expired("2026-06-29", now) is True
    assert is_expired("2026-06-30", now) is False  # valid through the whole of 30 June
    assert is_expired("2026-06-30T00:00:00Z", datetime(2026, 7, 1, 0, 0, tzinfo=UTC)) is True
    assert is_expired("2026-06-30T09:00:00Z", now) is True
    assert is_expired("2026-06-30T11:00:00Z", now) is False
    assert is_expired(None, now) is False
    assert is_expired("not a date", now) is False
    assert is_expired("2026-06-29", datetime(2026, 6, 30, 10, 0)) is True  # naive now = UTC
    assert is_expired("2023-03-24", datetime(2026, 1, 1, tzinfo=UTC)) is True  # supernurse validThrough
    assert is_expired("2030-12-31", datetime(2026, 1, 1, tzinfo=UTC)) is False  # test.html validThrough
    assert is_expired("2026-06-29", "2026-07-01") is False  # type: ignore[arg-type]

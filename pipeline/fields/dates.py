"""Dates from every source to one form: ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ".

Sources write dates as date-only strings (2025-06-27, 2025/06/27, 2025年6月27日), ISO
timestamps with Z or an offset, naive timestamps (USAJOBS "2022-03-25T11:18:12.4200", Hello Work
"2026-01-08 00:00:00"), epoch seconds or milliseconds (Lever ``createdAt``, RemoteOK ``epoch``),
Japanese era dates (平成24年1月25日, 令和元年5月1日, R7.6.27) and English month names
("June 27, 2025"). Conventions, chosen so results compare across sources:

- a date without a time is midnight UTC of that date;
- a timestamp without a zone is taken as UTC (the sources that write them do not say which zone
  they mean, and a few hours do not change whether a listing is fresh);
- fractions of a second are dropped.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

from pipeline.text.normalize import fold

__all__ = ["is_expired", "to_utc_iso"]

_ERAS = {
    "明治": 1868,
    "大正": 1912,
    "昭和": 1926,
    "平成": 1989,
    "令和": 2019,
    "M": 1868,
    "T": 1912,
    "S": 1926,
    "H": 1989,
    "R": 2019,
}
_ERA_DATE = re.compile(
    r"(明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR])\s*(元|\d{1,2})\s*(?:年|\.|/|-)\s*(\d{1,2})\s*(?:月|\.|/|-)\s*"
    r"(\d{1,2})\s*日?"
)
_YMD = re.compile(
    r"^(\d{4})\s*(?:年|/|\.|-)\s*(\d{1,2})\s*(?:月|/|\.|-)\s*(\d{1,2})\s*日?"
    r"(?:\s*(?:\([^)]*\))?\s*(?:T|\s)?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_PIPES = re.compile(r"\s*\|\s*")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
_EN_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%b. %d, %Y")
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _format(moment: datetime) -> str | None:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if not (_MIN_YEAR <= moment.year <= _MAX_YEAR):
        return None
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z"
    )


def _from_epoch(number: float) -> str | None:
    if not math.isfinite(number) or number <= 0:
        return None
    if number > 1e11:  # milliseconds (1e11 seconds is the year 5138)
        number /= 1000
    try:
        return _format(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _build(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> str | None:
    try:
        return _format(datetime(year, month, day, hour, minute, second, tzinfo=UTC))
    except ValueError:
        return None


@lru_cache(maxsize=16_384)
def _from_string(raw: str) -> str | None:
    text = _PIPES.sub(" ", fold(raw).strip())
    if not text:
        return None
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    candidate = text.replace("Z", "+00:00").replace("z", "+00:00") if "T" in text or ":" in text else text
    try:
        return _format(datetime.fromisoformat(candidate))
    except ValueError:
        pass
    match = _ERA_DATE.search(text)
    if match:
        era, year, month, day = match.groups()
        offset = 1 if year == "元" else int(year)
        return _build(_ERAS[era] + offset - 1, int(month), int(day))
    match = _YMD.match(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
        return _build(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    for fmt in _EN_FORMATS:
        try:
            return _format(datetime.strptime(text, fmt))
        except ValueError:
            continue
    try:
        return _format(parsedate_to_datetime(text))  # RFC 2822, as in RSS feeds
    except (TypeError, ValueError, IndexError):
        return None


def to_utc_iso(value: object) -> str | None:
    """``value`` as "YYYY-MM-DDTHH:MM:SSZ", or None when it is empty or not a date.

    Accepts strings (formats in the module docstring), ``datetime`` / ``date`` objects and
    epoch numbers (seconds, or milliseconds when above 1e11). Booleans, garbage and dates
    outside 1900-2200 give None; this never raises.
    """
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, datetime):
            return _format(value)
        if isinstance(value, date):
            return _build(value.year, value.month, value.day)
        if isinstance(value, int | float):
            return _from_epoch(float(value))
        if isinstance(value, str):
            return _from_string(value[:100])
    except (ValueError, OverflowError, TypeError):
        return None
    return None


def is_expired(valid_through_iso: str | None, now: datetime) -> bool:
    """True when the listing's validThrough is in the past at ``now``.

    No validThrough (or an unreadable one) means not expired. A validThrough at exactly
    midnight is read as the whole of that day ("valid through 30 June" includes 30 June),
    because date-only values become midnight. A naive ``now`` is taken as UTC.
    """
    iso = to_utc_iso(valid_through_iso)
    if iso is None or not isinstance(now, datetime):
        return False
    deadline = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if deadline.hour == 0 and deadline.minute == 0 and deadline.second == 0:
        deadline += timedelta(days=1)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now >= deadline

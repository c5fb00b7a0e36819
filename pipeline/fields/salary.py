"""Salary normalizer: schema.org baseSalary values and free salary text, Japanese and English.

Two entry points, one result shape (:class:`pipeline.canonical.Salary`):

- :func:`parse_base_salary` reads the structured value a page or an API gives
  (schema.org ``baseSalary`` / ``estimatedSalary`` in all the shapes sites really publish,
  and USAJOBS ``PositionRemuneration``).
- :func:`parse_salary_text` reads what people write: 月給25万円～, 時給1,200円以上,
  年収400万～600万円, "up to $40/hr", "$120k-$150k", "Competitive".

Rules both follow, because the recommender compares these numbers with a person's minimum:

- A number is never invented. Text without an amount ("Competitive", "DOE") gives
  min = max = None and keeps the text. An open range (30万円～) has no max.
- The pay period (unit) is taken from the text or the structured field. When it is not stated
  it is inferred only from the size of the amounts, and only where the size leaves no doubt
  (see :func:`infer_unit`); otherwise it stays None.
- The original text is always kept in ``text``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from pipeline.canonical import Salary
from pipeline.text.normalize import fold

__all__ = ["infer_unit", "normalize_unit", "parse_base_salary", "parse_salary_text"]

# --------------------------------------------------------------------------- units

_UNIT_WORDS: dict[str, str] = {
    "HOUR": "HOUR",
    "HOURLY": "HOUR",
    "HR": "HOUR",
    "HRS": "HOUR",
    "H": "HOUR",
    "PER HOUR": "HOUR",
    "PH": "HOUR",  # USAJOBS RateIntervalCode
    "DAY": "DAY",
    "DAILY": "DAY",
    "PER DAY": "DAY",
    "PD": "DAY",
    "WEEK": "WEEK",
    "WEEKLY": "WEEK",
    "PER WEEK": "WEEK",
    "MONTH": "MONTH",
    "MONTHLY": "MONTH",
    "PER MONTH": "MONTH",
    "PM": "MONTH",
    "MO": "MONTH",
    "YEAR": "YEAR",
    "YEARLY": "YEAR",
    "ANNUAL": "YEAR",
    "ANNUALLY": "YEAR",
    "ANNUM": "YEAR",
    "PER ANNUM": "YEAR",
    "PER YEAR": "YEAR",
    "PA": "YEAR",
    "YR": "YEAR",
    "時給": "HOUR",
    "日給": "DAY",
    "週給": "WEEK",
    "月給": "MONTH",
    "月収": "MONTH",
    "年収": "YEAR",
    "年俸": "YEAR",
}


def normalize_unit(value: object) -> str | None:
    """Map a unitText / rate interval ("MONTH", "month", "Per Year", "hourly", "PA") to a unit.

    Unknown values (USAJOBS "Bi-weekly", "Fee Basis", "Piece Work") give None rather than a
    guess: a bi-weekly amount is not a weekly one.
    """
    if not isinstance(value, str):
        return None
    key = fold(value).strip().upper().replace("_", " ").replace("-", " ")
    if key in _UNIT_WORDS:
        return _UNIT_WORDS[key]
    return None


# Amount ranges where the pay period is beyond doubt. Sources for the bounds: Japan's lowest
# regional minimum wage is ~1,000 JPY/hour (2024-25), so a full-time year is above 2,000,000 and
# a month above 150,000; hourly pay above 10,000 JPY or monthly above 1,500,000 JPY is rare
# enough that such amounts are left unlabelled. For USD/GBP/EUR/AUD/CAD/NZD/CHF a figure of
# 20,000 or more is a yearly salary (monthly pay that high is exceptional).
_JPY_BANDS = ((700.0, 9_999.0, "HOUR"), (100_000.0, 1_500_000.0, "MONTH"), (2_000_000.0, 1e8, "YEAR"))
_YEAR_BY_SIZE = frozenset({"USD", "GBP", "EUR", "AUD", "CAD", "NZD", "CHF"})


def infer_unit(low: float | None, high: float | None, currency: str | None) -> str | None:
    """Infer the pay period from the size of the amounts, only where it is unambiguous.

    JPY: 700-9,999 -> HOUR, 100,000-1,500,000 -> MONTH, 2,000,000 or more -> YEAR, both ends
    in the same band. USD, GBP, EUR, AUD, CAD, NZD, CHF: 20,000-2,000,000 -> YEAR. Anything
    else (other currencies, amounts between bands, no currency) -> None.
    """
    values = [v for v in (low, high) if v is not None]
    if not values or currency is None:
        return None
    lo, hi = min(values), max(values)
    if currency == "JPY":
        for band_lo, band_hi, unit in _JPY_BANDS:
            if band_lo <= lo and hi <= band_hi:
                return unit
        return None
    if currency in _YEAR_BY_SIZE and lo >= 20_000 and hi <= 2_000_000:
        return "YEAR"
    return None


# --------------------------------------------------------------------------- currencies

_CURRENCY_CODES = frozenset(
    {
        "USD",
        "GBP",
        "EUR",
        "JPY",
        "AUD",
        "CAD",
        "NZD",
        "CHF",
        "SGD",
        "HKD",
        "CNY",
        "KRW",
        "INR",
        "PLN",
        "SEK",
        "NOK",
        "DKK",
        "CZK",
        "HUF",
        "BRL",
        "MXN",
        "ZAR",
        "TWD",
        "THB",
        "PHP",
        "MYR",
        "IDR",
        "VND",
        "ILS",
        "AED",
        "RON",
        "BGN",
        "TRY",
    }
)
_DOLLAR_PREFIX = {
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "NZ$": "NZD",
    "US$": "USD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
}
_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "円": "JPY", "₩": "KRW", "₹": "INR"}


def _clean_currency(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    code = fold(value).strip().upper()
    if code in _SYMBOLS:
        return _SYMBOLS[code]
    if code in _DOLLAR_PREFIX:
        return _DOLLAR_PREFIX[code]
    if len(code) == 3 and code.isalpha() and code.isascii():
        return code
    return None


# --------------------------------------------------------------------------- structured values

_MAX_DEPTH = 6


def _number(value: object) -> float | None:
    """A positive finite amount from a number or a numeric string ("370000", "97738.0", "1,200")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        folded = fold(value).strip().replace(",", "")
        if not folded or len(folded) > 24:
            return None
        try:
            number = float(folded)
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    return number


class _Found:
    """Amounts, unit and currency gathered while walking one structured salary value."""

    __slots__ = ("currency", "high", "low", "text", "unit")

    def __init__(self) -> None:
        self.low: float | None = None
        self.high: float | None = None
        self.unit: str | None = None
        self.currency: str | None = None
        self.text: str | None = None

    def add(self, low: float | None, high: float | None) -> None:
        if low is not None:
            self.low = low if self.low is None else min(self.low, low)
        if high is not None:
            self.high = high if self.high is None else max(self.high, high)


def _walk(value: object, found: _Found, depth: int) -> None:
    if depth > _MAX_DEPTH or value is None:
        return
    if isinstance(value, Mapping):
        _walk_mapping(value, found, depth)
        return
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        amount = _number(value)
        if amount is not None:
            found.add(amount, amount)
        elif isinstance(value, str) and value.strip() and found.text is None:
            found.text = value.strip()
        return
    for item in list(value)[:20]:
        _walk(item, found, depth + 1)


def _walk_mapping(value: Mapping[object, object], found: _Found, depth: int) -> None:
    currency = _clean_currency(value.get("currency") or value.get("currencyCode") or value.get("Currency"))
    if currency and found.currency is None:
        found.currency = currency
    unit = normalize_unit(
        value.get("unitText") or value.get("unitCode") or value.get("RateIntervalCode") or value.get("interval")
    )
    if unit and found.unit is None:
        found.unit = unit
    low = _number(value.get("minValue", value.get("MinimumRange", value.get("min"))))
    high = _number(value.get("maxValue", value.get("MaximumRange", value.get("max"))))
    if low is not None or high is not None:
        found.add(low, high)
        return  # minValue/maxValue are the range; a "value" beside them repeats one end
    inner = value.get("value")
    if inner is not None:
        _walk(inner, found, depth + 1)


def _finish(low: float | None, high: float | None, currency: str | None, unit: str | None, text: str | None) -> Salary:
    if low is not None and high is not None and low > high:
        low, high = high, low
    if unit is None:
        unit = infer_unit(low, high, currency)
    return Salary(min=low, max=high, currency=currency, unit=unit, text=text)


def parse_base_salary(base_salary: object, default_currency: str | None = None) -> Salary | None:
    """Normalize a schema.org baseSalary / estimatedSalary (or USAJOBS PositionRemuneration).

    Accepted: a MonetaryAmount whose ``value`` is a QuantitativeValue, a list of
    QuantitativeValues, a number, a numeric string or a list of them; minValue/maxValue as
    numbers or strings; unitText in any case; currency on the MonetaryAmount or the
    QuantitativeValue. A non-numeric string is read as salary text. Zero or negative amounts
    mean "not given" (job boards write 0 for an unknown salary). Returns None when nothing
    usable is found; never raises on odd input.
    """
    default = _clean_currency(default_currency)
    if base_salary is None:
        return None
    if isinstance(base_salary, str) and _number(base_salary) is None:
        return parse_salary_text(base_salary, default)
    found = _Found()
    try:
        _walk(base_salary, found, 0)
    except (TypeError, ValueError, AttributeError):
        return None
    if found.low is None and found.high is None:
        if found.text is not None:
            parsed = parse_salary_text(found.text, found.currency or default)
            if parsed is not None and found.unit and parsed["unit"] is None:
                parsed["unit"] = found.unit
            return parsed
        return None
    return _finish(found.low, found.high, found.currency or default, found.unit, None)


# --------------------------------------------------------------------------- free text

# One amount: an optional currency prefix, a number (Japanese 万/億 notation included), an
# optional k/m suffix, an optional 円 or currency code after it.
_NUM = r"\d{1,3}(?:, ?\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    r"(?=[\dA-Z$£€¥₩₹])(?P<pre>(?:US|AU|CA|NZ|HK|[ACSR])?\$|[£€¥₩₹]|\b(?:USD|GBP|EUR|JPY|AUD|CAD|NZD|CHF|SGD|HKD|PLN|INR|"
    r"SEK|NOK|DKK|CNY|KRW|BRL|MXN|ZAR)\b)?\s?"
    r"(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<oku>億)(?P<oku_rest>\d+)?)?"
    r"(?:\s?(?P<man>万)(?P<man_rest>\d{1,4}(?:,\d{3})?)?)?"
    r"(?:(?P<k>[kK])(?![a-zA-Z])|\s?(?P<mil>[mM](?:il+ion)?)(?![a-zA-Z]))?"
    r"(?P<yen>\s?円)?"
    r"(?:\s?(?P<post>USD|GBP|EUR|JPY|AUD|CAD|NZD|CHF|SGD|HKD|PLN|INR|SEK|NOK|DKK|CNY|KRW|BRL|MXN|ZAR)\b)?"
)
# Between the two ends of a range; a unit may be repeated on the first end ("$130,000/year - ").
_RANGE_SEP = re.compile(r"^\s*(?:/\s*(?:year|yr|hour|hr|month|mo)\s*)?(?:~|-|to|から|ー)\s*$", re.IGNORECASE)
_OPEN_MIN_AFTER = re.compile(
    r"^\s*(?:~(?!\s*\d)|\+|以上|から(?!\s*\d)|-?\s*上限なし|or more|and up|plus\b)", re.IGNORECASE
)
_MAX_AFTER = re.compile(r"^\s*(?:以下|まで|以内)")
_MAX_BEFORE = re.compile(r"(?:up to|upto|max(?:imum)?\.?:?|no more than|~)\s*$", re.IGNORECASE)
_MIN_BEFORE = re.compile(
    r"(?:from|starting (?:at|from)|starts at|min(?:imum)?\.?:?|at least|begins at|floor[^.]{0,40}at)\s*$",
    re.IGNORECASE,
)
_JA_UNIT = re.compile(r"(日給月給|時間給|時給|日給|日額|週給|月給|月収|月額|月俸|年収|年俸|年額|年給|年間給与|賞与)")
_JA_UNIT_MAP = {
    "日給月給": "MONTH",  # a monthly salary docked for absent days: paid per month
    "時間給": "HOUR",
    "時給": "HOUR",
    "日給": "DAY",
    "日額": "DAY",
    "週給": "WEEK",
    "月給": "MONTH",
    "月収": "MONTH",
    "月額": "MONTH",
    "月俸": "MONTH",
    "年収": "YEAR",
    "年俸": "YEAR",
    "年額": "YEAR",
    "年給": "YEAR",
    "年間給与": "YEAR",
    "賞与": "",  # a bonus amount is not pay per period: stop the search here
}
_EN_UNIT_AFTER = re.compile(
    r"^\s*(?:[A-Z]{3}\s*)?(?:\(\s*)?(?:/|per|an?|each)\s*"
    r"(hour|hr|h|day|week|wk|month|mo|year|yr|annum)\b"
    r"|^\s*(?:[A-Z]{3}\s*)?(?:\(\s*)?/?\s*(hourly|daily|weekly|monthly|annually|yearly|annual)\b",
    re.IGNORECASE,
)
_EN_UNIT_BEFORE = re.compile(
    r"\b(hourly|daily|weekly|monthly|annual|annually|yearly|per hour|per annum|per year)\b[^$£€\d]{0,30}$",
    re.IGNORECASE,
)
_EN_UNIT_MAP = {
    "hour": "HOUR",
    "hr": "HOUR",
    "h": "HOUR",
    "hourly": "HOUR",
    "per hour": "HOUR",
    "day": "DAY",
    "daily": "DAY",
    "week": "WEEK",
    "wk": "WEEK",
    "weekly": "WEEK",
    "month": "MONTH",
    "mo": "MONTH",
    "monthly": "MONTH",
    "year": "YEAR",
    "yr": "YEAR",
    "annum": "YEAR",
    "annually": "YEAR",
    "yearly": "YEAR",
    "annual": "YEAR",
    "per annum": "YEAR",
    "per year": "YEAR",
}
_MAN_CONTEXT = re.compile(r"万")
_YEN_CONTEXT = re.compile(r"円|¥|JPY")
_CACHEABLE = 300
_PAY_WORD_BEFORE = re.compile(r"(時給|日給|月給|月収|年収|年俸)\s*:?\s*$")


class _Amount:
    __slots__ = ("bare_dollar", "currency", "end", "has_scale", "marked", "scale", "start", "value")

    def __init__(self, match: re.Match[str]) -> None:
        self.start = match.start()
        self.end = match.end()
        num = float(match.group("num").replace(",", "").replace(" ", ""))
        value = num
        self.scale = 1.0
        if match.group("oku"):
            value = num * 1e8
            if match.group("oku_rest"):
                value += float(match.group("oku_rest")) * 1e4
            self.scale = 1e8
        if match.group("man"):
            if match.group("oku"):
                value = num * 1e8 + float(match.group("oku_rest") or 0) * 1e4
            else:
                value = num * 1e4
            rest = match.group("man_rest")
            if rest:
                value += float(rest.replace(",", ""))
            self.scale = max(self.scale, 1e4)
        if match.group("k"):
            value = num * 1e3
            self.scale = 1e3
        elif match.group("mil"):
            value = num * 1e6
            self.scale = 1e6
        self.value = value
        self.has_scale = self.scale != 1.0
        pre, post = match.group("pre"), match.group("post")
        currency = None
        self.bare_dollar = bool(pre) and pre.strip() == "$" and not post
        if pre:
            pre = pre.strip().upper()
            currency = _DOLLAR_PREFIX.get(pre) or _SYMBOLS.get(pre) or (pre if pre in _CURRENCY_CODES else None)
        if post:
            currency = post.upper()  # "$1800 - $2200 AUD": the code after the number wins
        if match.group("yen"):
            currency = "JPY"
        self.currency = currency
        self.marked = bool(currency or match.group("man") or match.group("oku"))


def _dedupe_repeated(text: str) -> str:
    """Hello Work search results repeat the wage: "245,000円〜350,000円 245,000円〜350,000円"."""
    parts = text.split()
    half = len(parts) // 2
    if half and len(parts) % 2 == 0 and parts[:half] == parts[half:]:
        return " ".join(parts[:half])
    return text


def _unit_near(folded: str, start: int, end: int, floor: int) -> str | None:
    """The pay period written next to an amount: after it in English, before it in Japanese."""
    after = folded[end : end + 30]
    match = _EN_UNIT_AFTER.match(after)
    if match:
        word = (match.group(1) or match.group(2)).lower()
        return _EN_UNIT_MAP.get(word)
    before = folded[floor:start]
    ja_units = _JA_UNIT.findall(before)
    if ja_units:
        unit = _JA_UNIT_MAP[ja_units[-1]]
        return unit or None
    match = _EN_UNIT_BEFORE.search(before[-60:])
    if match:
        return _EN_UNIT_MAP.get(match.group(1).lower())
    return None


def parse_salary_text(text: str, default_currency: str | None = None) -> Salary | None:
    """Read a salary written in Japanese or English; the first stated amount (or range) wins.

    Returns None for non-strings and blank strings. Text with no amount ("Competitive",
    "DOE", "公開していません") gives a Salary with every value None and the text kept. The
    currency comes from the symbol or code (円, ¥, $, US$, A$, £, €, "AUD" after the number),
    else ``default_currency``; a bare ``$`` is USD unless ``default_currency`` names another
    dollar currency. An amount is recognised only with a currency mark or 万, or right after a
    Japanese pay word (時給1200); so "年2回" or "週5日" never becomes a salary.
    """
    if not isinstance(text, str):
        return None
    if len(text) <= _CACHEABLE and (default_currency is None or isinstance(default_currency, str)):
        cached = _parse_salary_text_cached(text, default_currency)
        return None if cached is None else Salary(**cached)  # a fresh dict: callers may edit it
    return _parse_salary_text(text, default_currency)


@lru_cache(maxsize=32_768)
def _parse_salary_text_cached(text: str, default_currency: str | None) -> Salary | None:
    """Salary strings repeat across a run (求人ボックス: 466 rows, 252 distinct strings)."""
    return _parse_salary_text(text, default_currency)


def _parse_salary_text(text: str, default_currency: str | None) -> Salary | None:
    if not isinstance(text, str):
        return None
    original = text.strip()
    if not original:
        return None
    default = _clean_currency(default_currency)
    folded = _dedupe_repeated(fold(original))
    yen_context = bool(_YEN_CONTEXT.search(folded))

    # Amounts are built lazily: the first usable one (or range) ends the scan, which keeps long
    # English paragraphs cheap.
    matches = _AMOUNT.finditer(folded)
    chosen: tuple[_Amount, _Amount | None] | None = None
    pending = next(matches, None)
    first_amount = _Amount(pending) if pending else None
    while first_amount is not None:
        following = next(matches, None)
        second = _Amount(following) if following else None
        if second is not None and _RANGE_SEP.match(folded[first_amount.end : second.start]):
            if first_amount.marked or second.marked or _after_pay_word(folded, first_amount.start):
                chosen = (first_amount, second)
                break
            following = next(matches, None)
            first_amount = _Amount(following) if following else None
            continue
        if first_amount.marked or _after_pay_word(folded, first_amount.start):
            chosen = (first_amount, None)
            break
        first_amount = second

    if chosen is None:
        return Salary(min=None, max=None, currency=None, unit=None, text=original)

    first, second = chosen
    low_value = first.value
    high_value = second.value if second is not None else None
    # "年収400～600万円", "$150-200k": the scale written on the second end applies to both.
    if second is not None and not first.has_scale and second.has_scale and first.value * second.scale <= second.value:
        low_value = first.value * second.scale
    currency = first.currency or (second.currency if second else None)
    if second is not None and second.currency and second.currency != first.currency and first.currency in ("USD", None):
        currency = second.currency  # "$1800 - $2200 AUD"
    if currency is None and ((first.has_scale and _MAN_CONTEXT.search(folded)) or yen_context):
        currency = "JPY"
    if currency is None and default is None and _JA_UNIT.search(folded):
        currency = "JPY"  # 時給1200: a Japanese pay word with a bare number is yen
    if currency is None:
        currency = default
    elif first.bare_dollar and default in ("AUD", "CAD", "NZD", "SGD", "HKD"):
        currency = default  # a bare "$" on an Australian board means AUD

    end = second.end if second is not None else first.end
    unit = _unit_near(folded, first.start, end, 0)
    if unit is None and second is not None:
        unit = _unit_near(folded, first.start, first.end, 0)

    low: float | None
    high: float | None
    if second is not None:
        low, high = low_value, high_value
    else:
        after = folded[end : end + 12]
        before = folded[max(0, first.start - 24) : first.start]
        if _MAX_AFTER.match(after) or _MAX_BEFORE.search(before):
            low, high = None, low_value
        elif _OPEN_MIN_AFTER.match(after) or _MIN_BEFORE.search(before):
            low, high = low_value, None
        else:
            low = high = low_value
    return _finish(low, high, currency, unit, original)


def _after_pay_word(folded: str, start: int) -> bool:
    """True when a bare number directly follows a Japanese pay word: 時給1200, 月給 : 25."""
    return bool(_PAY_WORD_BEFORE.search(folded[max(0, start - 6) : start]))


# A pay line is a line that STARTS with a pay label (after bullets or brackets): 【給与】, 給与：,
# 月給…, "Salary:", "Pay range -". Lines that only mention money somewhere ("Series A raise of
# $17.2M", "$257B annually") are never read as pay. A label alone on its line ("【給与】") takes
# the next non-empty line as its value.
# Searched in "\n" + text: each line start is then found by scanning for the literal "\n"
# (fast) instead of trying "^" at every character (~20 ns each on a long description).
# "[^\n]*" runs to the end of the line, where "$" always holds, so the line is the same.
_PAY_LABEL_LINE = re.compile(
    r"\n(?P<line>[ \t\u3000・■□◆◇●○▼▽★☆※*\-–—【\[〔（(<＜]*"
    r"(?:(?:給与|給料|賃金|報酬|月給|時給|日給|年収|年俸|基本給)"
    r"|(?:salary|pay(?: range| rate)?|compensation|wage|hourly rate|base pay)(?=\s*[:：\-–—]))"
    r"[^\n]*)",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"[0-9０-９]")
_PAY_LINES_TRIED = 3


def salary_from_description(text: str, default_currency: str | None = None) -> Salary | None:
    """Pay stated on a labelled line of a description, or None (never a figure from prose)."""
    if not text:
        return None
    lined = "\n" + text
    for tried, match in enumerate(_PAY_LABEL_LINE.finditer(lined)):
        if tried >= _PAY_LINES_TRIED:
            break
        line = match.group("line").strip()
        if not _HAS_DIGIT.search(line):
            rest = lined[match.end():].lstrip("\n")
            line = f"{line} {rest.split(chr(10), 1)[0].strip()}" if rest else line
        salary = parse_salary_text(line, default_currency=default_currency)
        if salary and (salary.get("min") is not None or salary.get("max") is not None):
            return salary
    return None

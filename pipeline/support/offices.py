"""WAM NET office rows -> support offices, a pure function over rows (no files, no network).

WAM publishes one CSV per service (a 29-column layout shared by every 障害福祉サービス file).
Each row becomes one office of the serving contract (docs/support.md); a row that cannot
(no office number, broken coordinates, an unknown service) is kept out and counted by reason,
never raised. Missing coordinates are not broken: the office is kept with NULL coordinates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

from pipeline.places.municipalities import municipality_in_address
from pipeline.support import codes
from pipeline.support.coordinates import coordinates
from pipeline.support.errors import SupportRowError
from pipeline.support.service_types import SERVICE_LABELS, service_type_of

# The WAM columns read here (the file has 29; the others describe the operator's own offices).
AUTHORITY_CODE = "都道府県コード又は市区町村コード"
WAM_NO = "NO（※システム内の固有の番号、連番）"
AUTHORITY_NAME = "指定機関名"
OPERATOR = "法人の名称"
OPERATOR_NUMBER = "法人番号"
SERVICE = "サービス種別"
NAME = "事業所の名称"
NAME_KANA = "事業所の名称_かな"
OFFICE_NUMBER = "事業所番号"
CITY = "事業所住所（市区町村）"
STREET = "事業所住所（番地以降）"
PHONE = "事業所電話番号"
URL = "事業所URL"
LAT = "事業所緯度"
LNG = "事業所経度"
HOURS = ("利用可能な時間帯（平日）", "利用可能な時間帯（土曜）", "利用可能な時間帯（日曜）", "利用可能な時間帯（祝日）")
CLOSED_DAYS = "定休日"
DAYS_NOTE = "利用可能曜日特記事項（留意事項）"
CAPACITY = "定員"
REQUIRED_COLUMNS = (OFFICE_NUMBER, NAME, SERVICE, CITY, STREET, LAT, LNG)


class SupportOffice(TypedDict):
    """One office running one service: the contract's columns (docs/support.md) plus where it came from."""

    office_id: str  # '<office_number>:<service_type>', a 従たる事業所 ':<wam_no>' after it
    office_number: str
    service_type: str
    service_label: str
    name: str
    name_kana: str | None
    operator_name: str | None
    operator_corporate_number: str | None
    municipality_code: str | None
    prefecture: str | None
    address: str | None
    phone: str | None
    url: str | None
    hours_weekday: str | None
    hours_saturday: str | None
    hours_sunday: str | None
    hours_holiday: str | None
    closed_days: str | None
    days_note: str | None
    capacity: int | None
    lat: float | None
    lng: float | None
    authority_code: str | None  # the designating authority's code (not the office's place)
    authority_name: str | None
    wam_no: str | None  # WAM's own row number (NO)


@dataclass
class Rejected:
    row_number: int  # 1 = the first row after the header
    reason: str
    message: str
    office_id: str | None = None  # when known: the office was seen, only its row is unusable


@dataclass
class OfficesReport:
    rows: int = 0
    offices: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    rejected: list[Rejected] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value).replace("\u3000", " ")).strip()
    return text or None


def _capacity(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = int(float(text))
    except ValueError:
        return None
    return number if number >= 0 else None


def _service(row: Mapping[str, Any], hint: str | None) -> tuple[str, str]:
    label = _text(row.get(SERVICE))
    kind = service_type_of(label) or (hint if not label else None)
    if kind is None:
        raise SupportRowError("unknown_service_type", f"サービス種別 {label!r} is not a service ippo knows")
    return kind, label or SERVICE_LABELS[kind]


def office_from_row(row: Mapping[str, Any], service_hint: str | None = None) -> SupportOffice:
    """One WAM row -> one office; SupportRowError (with a reason) for a row that cannot be one.

    ``service_hint`` is the service of the file (from its WAM code), used when the row's
    サービス種別 is blank.
    """
    number = codes.office_number(_text(row.get(OFFICE_NUMBER)))
    kind, label = _service(row, service_hint)
    office_id = f"{number}:{kind}"
    name = _text(row.get(NAME))
    if not name:
        raise SupportRowError("missing_name", f"office {office_id} has no 事業所の名称")
    try:
        lat, lng = coordinates(_text(row.get(LAT)), _text(row.get(LNG)))
    except SupportRowError as exc:
        raise SupportRowError(exc.reason, f"office {office_id}: {exc}") from None
    city, street = _text(row.get(CITY)), _text(row.get(STREET))
    place = municipality_in_address(city) if city else None
    weekday, saturday, sunday, holiday = (_text(row.get(column)) for column in HOURS)
    return {
        "office_id": office_id,
        "office_number": number,
        "service_type": kind,
        "service_label": label,
        "name": name,
        "name_kana": _text(row.get(NAME_KANA)),
        "operator_name": _text(row.get(OPERATOR)),
        "operator_corporate_number": codes.corporate_number(_text(row.get(OPERATOR_NUMBER))),
        "municipality_code": place.code if place else None,
        "prefecture": place.prefecture if place else None,
        "address": "".join(part for part in (city, street) if part) or None,
        "phone": _text(row.get(PHONE)),
        "url": _text(row.get(URL)),
        "hours_weekday": weekday,
        "hours_saturday": saturday,
        "hours_sunday": sunday,
        "hours_holiday": holiday,
        "closed_days": _text(row.get(CLOSED_DAYS)),
        "days_note": _text(row.get(DAYS_NOTE)),
        "capacity": _capacity(row.get(CAPACITY)),
        "lat": lat,
        "lng": lng,
        "authority_code": codes.authority_code(_text(row.get(AUTHORITY_CODE))),
        "authority_name": _text(row.get(AUTHORITY_NAME)),
        "wam_no": _text(row.get(WAM_NO)),
    }


def _office_id_of(row: Mapping[str, Any], service_hint: str | None) -> str | None:
    """The office a broken row is about, when its number and service can still be read."""
    try:
        number = codes.office_number(_text(row.get(OFFICE_NUMBER)))
        kind, _ = _service(row, service_hint)
    except SupportRowError:
        return None
    return f"{number}:{kind}"


def _same_premises(a: SupportOffice, b: SupportOffice) -> bool:
    """Two rows of one number and service naming the same premises twice (same name and place)."""
    def fold(text: str | None) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    return fold(a["name"]) == fold(b["name"]) and (a["lat"], a["lng"]) == (b["lat"], b["lng"])


def _satellite_ids(group: list[SupportOffice]) -> list[SupportOffice]:
    """The rows of one office number and service: the one with the smallest WAM NO keeps the id
    '<number>:<service>' (the id every office had before satellites were served, so its history
    goes on); each other one, a 従たる事業所, is '<number>:<service>:<NO>'."""
    first, *others = group  # smallest NO first (_told_apart)
    satellites = []
    for office in others:
        satellite = office.copy()
        satellite["office_id"] = f"{office['office_id']}:{office['wam_no']}"
        satellites.append(satellite)
    return [first, *satellites]


def offices_from_rows(
    rows: Iterable[Mapping[str, Any]], service_hint: str | None = None
) -> tuple[list[SupportOffice], OfficesReport]:
    """Rows of one WAM file -> its offices, and what happened to every row.

    WAM lists a 従たる事業所 (satellite premises) under its main office's number. Each is served
    as an office of its own, told apart by WAM's row number (NO, kept as ``wam_no``):
    '<number>:<service>:<NO>' (``_satellite_ids``). A row that repeats another row of the same
    number (same name and coordinates) is the same premises listed twice: the row with the
    smaller NO is kept and the other counted as ``duplicate_office_row``. A row whose NO (or lack
    of one) is that of another row of its number cannot be told apart and is counted as
    ``duplicate_office_number``. The outcome does not depend on the order of the rows.
    """
    report = OfficesReport()
    groups: dict[str, list[tuple[int, SupportOffice]]] = {}
    for number, row in enumerate(rows, start=1):
        report.rows += 1
        try:
            office = office_from_row(row, service_hint)
        except SupportRowError as exc:
            report.quarantined[exc.reason] += 1
            report.rejected.append(Rejected(number, exc.reason, str(exc), _office_id_of(row, service_hint)))
            continue
        groups.setdefault(office["office_id"], []).append((number, office))
    offices: list[SupportOffice] = []
    for group in groups.values():
        kept = _told_apart(group, report)
        offices += _satellite_ids(kept) if len(kept) > 1 else kept
    report.offices = len(offices)
    return offices, report


def _told_apart(group: list[tuple[int, SupportOffice]], report: OfficesReport) -> list[SupportOffice]:
    """The rows of one number and service that are offices of their own, smallest NO first; the
    others are counted in ``report``."""
    kept: list[SupportOffice] = []
    for number, office in sorted(group, key=lambda pair: (pair[1]["wam_no"] or "", pair[0])):
        problem = _duplicate(office, kept)
        if problem is None:
            kept.append(office)
            continue
        report.quarantined[problem[0]] += 1
        report.rejected.append(Rejected(number, problem[0], problem[1], office["office_id"]))
    return kept


def _duplicate(office: SupportOffice, kept: list[SupportOffice]) -> tuple[str, str] | None:
    """Why a row cannot be served beside the rows of its number already kept, or None."""
    same = next((o for o in kept if _same_premises(o, office)), None)
    if same is not None:
        return ("duplicate_office_row", f"office {office['office_id']}: this row (NO {office['wam_no']}) repeats "
                                        f"the row of NO {same['wam_no']} (same name and place)")
    if any((o["wam_no"] or "") == (office["wam_no"] or "") for o in kept):
        return ("duplicate_office_number", f"office {office['office_id']}: this row has the NO of another row "
                                           f"of its number ({office['wam_no']}) and cannot be told apart from it")
    return None

"""Support near the person's home, as the jobs page shows it once above the listings: the Hello
Work office in charge of their area and the employment-support offices of the services their
needs call for, nearest first, each with its kind in plain words, distance, hours, phone and
website. It comes from the page's own support block (ranker.support.beside, through
ranker.present.page_to_dict) and the snapshot's support tables (ranker.support.answer); without a
home in Japan there is nothing to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.page.catalogue import Words
from ranker.profile import Home
from ranker.serving_index import ServingIndex
from ranker.support.answer import support_near
from ranker.support.tables import support_tables
from ranker.wording import grouped

SHOWN_OFFICES = 5
RADIUS_KM = 10.0


@dataclass
class OfficeView:
    name: str
    kind: str
    distance: str
    hours: str | None
    closed: str | None
    phone: str | None
    url: str | None


@dataclass
class SupportView:
    hellowork: str
    notes: list[str] = field(default_factory=list)
    offices: list[OfficeView] = field(default_factory=list)


def _hellowork(block: dict[str, Any], words: Words) -> str:
    if not block.get("hellowork_loaded"):
        return words("support.hellowork_not_loaded")
    offices = block.get("hellowork_offices") or []
    if not offices:
        return words("support.hellowork_unlisted")
    return words("support.hellowork", offices=("、" if words.language == "ja" else ", ").join(offices))


def _office(office: dict[str, Any], home_approximate: bool, words: Words) -> OfficeView:
    km = office.get("distance_km")
    rough = home_approximate or bool(office.get("approximate"))
    distance = "" if km is None else words("support.distance_approx" if rough else "support.distance",
                                           km=grouped(float(km)))
    kind = office.get("service_type") or ""
    url = office.get("url")
    weekday = (office.get("hours") or {}).get("weekday")
    return OfficeView(
        name=office.get("name") or "", kind=words(f"service.{kind}") if words.has(f"service.{kind}") else kind,
        distance=distance, hours=words("support.hours", hours=weekday) if weekday else None,
        closed=words("support.closed", days=office["closed_days"]) if office.get("closed_days") else None,
        phone=office.get("phone") or None,
        url=url if isinstance(url, str) and url.startswith(("http://", "https://")) else None)


def support_view(index: ServingIndex, home: Home | None, block: dict[str, Any] | None,
                 words: Words) -> SupportView | None:
    """What the jobs page shows about support near home; None without a home in Japan."""
    if home is None or block is None:
        return None
    view = SupportView(hellowork=_hellowork(block, words))
    types = list(block.get("service_types") or [])
    if not block.get("offices_loaded"):
        view.notes.append(words("support.not_loaded"))
        return view
    if not types:
        view.notes.append(words("support.no_types"))
        return view
    answer = support_near(support_tables(index), home, types, radius_km=RADIUS_KM, limit=SHOWN_OFFICES)
    home_approximate = bool(answer["place"].get("approximate"))
    view.offices = [_office(o, home_approximate, words) for o in answer["offices"]]
    if not view.offices:
        view.notes.append(words("support.none_near", km=grouped(RADIUS_KM)))
    elif home_approximate:
        view.notes.append(words("support.home_approx"))
    return view

"""One JSON shape for recommendations, shared by the CLI and the API."""

from __future__ import annotations

from typing import Any

from ranker.recommend import Recommendation, RecommendationPage
from ranker.support.beside import PageSupport
from ranker.wording import Language, Names, grouped, join, say


def location_text(listing: dict[str, Any], language: Language = "en") -> str:
    places = []
    for loc in listing.get("locations") or []:
        parts = [loc.get("region"), loc.get("locality")] if loc.get("country") == "JP" else [
            loc.get("locality"), loc.get("region"), loc.get("country")]
        text = " ".join(p for p in parts if p) if loc.get("country") == "JP" else ", ".join(p for p in parts if p)
        if text and text not in places:
            places.append(text)
    if listing.get("remote") == "remote":
        places.append(say(language, "frame.remote"))
    return "; ".join(places) or say(language, "frame.place_unstated")


def listing_signals(listing: dict[str, Any]) -> list[dict[str, Any]]:
    """The listing's signals and its employer's registry tags, each with its evidence and source."""
    registry = (listing.get("employer") or {}).get("registry_tags") or []
    return [{"tag": s.get("tag"), "evidence": s.get("evidence"), "source": s.get("source")}
            for s in [*(listing.get("signals") or []), *registry]]


def recommendation_to_dict(rank: int, rec: Recommendation, language: Language = "en",
                           support: PageSupport | None = None) -> dict[str, Any]:
    """One result; ``support_nearby`` and ``commute_km`` are None unless the page has a home in
    Japan (ranker.support.beside), and ``support_nearby`` is None too when nothing was searched."""
    listing = rec.listing
    return {
        "rank": rank,
        "id": listing["id"],
        "title": listing["title"],
        "employer": (listing.get("employer") or {}).get("name"),
        "location": location_text(listing, language),
        "url": listing.get("url"),
        "apply_url": listing.get("apply_url"),
        "remote": listing.get("remote"),
        "employment_types": listing.get("employment_types") or [],
        "salary": listing.get("salary"),
        "hours_per_week": listing.get("hours_per_week"),
        "language": listing.get("language"),
        "occupation": listing.get("occupation"),
        "signals": listing_signals(listing),
        "score": rec.score,
        "score_parts": rec.parts,
        "misses": rec.misses,
        "reasons": rec.reasons,
        "support_nearby": None if support is None else support.nearby.get(listing["id"]),
        "commute_km": None if support is None else support.commute.get(listing["id"]),
    }


def page_to_dict(page: RecommendationPage, first_rank: int = 1) -> dict[str, Any]:
    """The page as JSON; its results are ranked from ``first_rank`` (a later page of a longer list)."""
    return {
        "snapshot_version": page.snapshot_version,
        "candidates": page.candidates,
        "matching": page.matching,
        "confirmed": page.confirmed,
        "narrowest_constraint": page.narrowest_constraint,
        "notice": None if page.notice is None else {
            "kind": page.notice.kind, "message": page.notice.message,
            "widen": page.notice.widen, "widen_adds": page.notice.widen_adds,
        },
        "notes": page.notes,
        "language": page.language,
        "support": None if page.support is None else page.support.to_dict(),
        "results": [recommendation_to_dict(i, r, page.language, page.support)
                    for i, r in enumerate(page.results, start=first_rank)],
    }


def salary_text(salary: dict[str, Any] | None, language: Language = "en") -> str:
    if not salary:
        return say(language, "frame.pay_unstated")
    lo, hi = salary.get("min"), salary.get("max")
    unit = salary.get("unit") or ""
    currency = salary.get("currency") or ""
    if lo is None and hi is None:
        return salary.get("text") or say(language, "frame.pay_unstated")
    amount = grouped(lo or 0) if hi in (None, lo) else f"{grouped(lo or 0)}-{grouped(hi)}"
    per_unit = say(language, "frame.per_unit", unit=unit.lower()) if unit else ""
    return say(language, "frame.pay", amount=amount, currency=Names.of("currency", [currency]) if language == "ja"
               else currency, unit=Names.of("salary_unit", [unit]) if unit else "", per_unit=per_unit)


def page_to_text(page: RecommendationPage) -> str:
    language = page.language
    lines = [say(language, "frame.header", matching=page.matching, candidates=page.candidates,
                 confirmed=page.confirmed, version=page.snapshot_version)]
    if page.notice is not None:
        lines.append(f"!! {page.notice.message}")
    lines += [say(language, "frame.note", note=n) for n in page.notes]
    if page.support is not None:
        lines += support_page_lines(page.support, language)
    nearest_heading = False
    for i, rec in enumerate(page.results, start=1):
        item = recommendation_to_dict(i, rec, language, page.support)
        if rec.misses and not nearest_heading:
            lines += ["", say(language, "frame.nearest")]
            nearest_heading = True
        lines.append("")
        lines.append(f"{i}. {item['title']} — {item['employer'] or say(language, 'frame.employer_unstated')}")
        score = say(language, "frame.score", score=f"{item['score']:.3f}")
        lines.append(f"   {item['location']} | {salary_text(item['salary'], language)} | {score}")
        lines.append(f"   {item['url']}")
        for reason in item["reasons"]:
            evidence = f" 「{reason['evidence']}」" if reason.get("evidence") else ""
            lines.append(f"   - [{reason['kind']}] {reason['text']}{evidence}")
        lines += support_result_lines(item, language)
    return "\n".join(lines)


def hellowork_line(offices: list[str], loaded: bool, known_place: bool, language: Language) -> str:
    """The Hello Work office(s) in charge, or why they are not known."""
    if not loaded:
        return say(language, "support.hellowork_not_loaded")
    if offices:
        return say(language, "support.hellowork", offices=join(offices, language))
    return say(language, "support.hellowork" + ("_unlisted" if known_place else "_unknown"))


def office_line(office: dict[str, Any], language: Language) -> str:
    """One support office in a line: its service, name and distance (approximate when so)."""
    label = Names.of("service_type", [office.get("service_type") or ""])
    approx = say(language, "support.approx") if office.get("approximate") else ""
    return say(language, "support.office", label=label, name=office.get("name"), km=office.get("distance_km"),
               approx=approx)


def support_page_lines(support: PageSupport, language: Language) -> list[str]:
    """The page's support header: the Hello Work office in charge, and what is (not) known."""
    lines = [say(language, "frame.note", note=hellowork_line(
        support.hellowork_offices, support.hellowork_loaded, support.home.municipality is not None, language))]
    if not support.offices_loaded:
        lines.append(say(language, "frame.note", note=say(language, "support.not_loaded")))
    elif not support.service_types:
        lines.append(say(language, "frame.note", note=say(language, "support.no_types")))
    return lines


def support_result_lines(item: dict[str, Any], language: Language) -> list[str]:
    """The commute and the support offices beside one result (none without a home in Japan)."""
    lines = []
    if item.get("commute_km") is not None:
        lines.append(f"   {say(language, 'support.commute', km=item['commute_km'])}")
    for office in item.get("support_nearby") or []:
        lines.append(f"   + {office_line(office, language)}")
    return lines

"""One JSON shape for recommendations, shared by the CLI and the API."""

from __future__ import annotations

from typing import Any

from ranker.recommend import Recommendation, RecommendationPage


def location_text(listing: dict[str, Any]) -> str:
    places = []
    for loc in listing.get("locations") or []:
        parts = [loc.get("region"), loc.get("locality")] if loc.get("country") == "JP" else [
            loc.get("locality"), loc.get("region"), loc.get("country")]
        text = " ".join(p for p in parts if p) if loc.get("country") == "JP" else ", ".join(p for p in parts if p)
        if text and text not in places:
            places.append(text)
    if listing.get("remote") == "remote":
        places.append("remote")
    return "; ".join(places) or "not stated"


def recommendation_to_dict(rank: int, rec: Recommendation) -> dict[str, Any]:
    listing = rec.listing
    return {
        "rank": rank,
        "id": listing["id"],
        "title": listing["title"],
        "employer": (listing.get("employer") or {}).get("name"),
        "location": location_text(listing),
        "url": listing.get("url"),
        "apply_url": listing.get("apply_url"),
        "remote": listing.get("remote"),
        "employment_types": listing.get("employment_types") or [],
        "salary": listing.get("salary"),
        "hours_per_week": listing.get("hours_per_week"),
        "language": listing.get("language"),
        "occupation": listing.get("occupation"),
        "score": rec.score,
        "score_parts": rec.parts,
        "misses": rec.misses,
        "reasons": rec.reasons,
    }


def page_to_dict(page: RecommendationPage) -> dict[str, Any]:
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
        "results": [recommendation_to_dict(i, r) for i, r in enumerate(page.results, start=1)],
    }


def salary_text(salary: dict[str, Any] | None) -> str:
    if not salary:
        return "pay not stated"
    lo, hi = salary.get("min"), salary.get("max")
    unit = (salary.get("unit") or "").lower()
    cur = salary.get("currency") or ""
    if lo is None and hi is None:
        return salary.get("text") or "pay not stated"
    amount = f"{lo:,.0f}" if hi in (None, lo) else f"{lo or 0:,.0f}-{hi:,.0f}"
    return f"{amount} {cur}{' per ' + unit if unit else ''}"


def page_to_text(page: RecommendationPage) -> str:
    lines = [f"{page.matching} of {page.candidates} open listings meet every constraint, {page.confirmed} of them "
             f"stating every one (snapshot {page.snapshot_version})"]
    if page.notice is not None:
        lines.append(f"!! {page.notice.message}")
    lines += [f"note: {n}" for n in page.notes]
    nearest_heading = False
    for i, rec in enumerate(page.results, start=1):
        item = recommendation_to_dict(i, rec)
        if rec.misses and not nearest_heading:
            lines += ["", "--- nearest listings (each misses something you asked for) ---"]
            nearest_heading = True
        lines.append("")
        lines.append(f"{i}. {item['title']} — {item['employer'] or 'employer not stated'}")
        lines.append(f"   {item['location']} | {salary_text(item['salary'])} | score {item['score']:.3f}")
        lines.append(f"   {item['url']}")
        for reason in item["reasons"]:
            evidence = f" 「{reason['evidence']}」" if reason.get("evidence") else ""
            lines.append(f"   - [{reason['kind']}] {reason['text']}{evidence}")
    return "\n".join(lines)

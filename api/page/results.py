"""What a recommendation shows on the page, from the API's own result (ranker.present.page_to_dict):
title, employer, place, pay and hours in the listing's own units, the supportive signs with the
words quoted from the listing, the employer's recognitions, why it may suit, what it may lack or
does not say, and the distance and support nearby when the result carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.page.catalogue import Words
from ranker.present import office_line, salary_text
from ranker.profile import EMPLOYER_NEEDS
from ranker.wording import grouped

GOOD_KINDS = ("relevance", "interest", "need", "feedback", "constraint")
WORTH_KNOWING_KINDS = ("misses", "lacks", "unknown", "caveat")


@dataclass
class Sign:
    label: str
    evidence: str | None


@dataclass
class ResultView:
    rank: int
    id: str
    title: str
    employer: str
    place: str
    pay: str
    hours: str
    employment: str
    url: str | None
    signs: list[Sign] = field(default_factory=list)
    certifications: list[Sign] = field(default_factory=list)
    why: list[Sign] = field(default_factory=list)
    worth_knowing: list[Sign] = field(default_factory=list)
    commute: str | None = None
    support_nearby: list[str] = field(default_factory=list)


def hours_text(hours: dict[str, Any] | None, words: Words) -> str:
    if not hours or (hours.get("min") is None and hours.get("max") is None):
        return words("jobs.hours_unstated")
    low, high = hours.get("min"), hours.get("max")
    if low is None or high is None or low == high:
        single = low if low is not None else high
        return words("jobs.hours_one", h=grouped(float(single or 0)))
    return words("jobs.hours", min=grouped(low), max=grouped(high))


def _label(words: Words, tag: str | None) -> str:
    key = f"need.{tag}"
    return words(key) if tag and words.has(key) else (tag or "")


def _support_lines(value: Any, words: Words) -> list[str]:
    """The support offices near the person, one line each as the API's text page says them."""
    if not isinstance(value, list):
        return []
    return [office_line(item, words.language) if isinstance(item, dict) else str(item) for item in value]


def result_view(item: dict[str, Any], words: Words) -> ResultView:
    """One result of page_to_dict as the page shows it."""
    signals = item.get("signals") or []
    reasons = item.get("reasons") or []
    commute = item.get("commute_km")
    return ResultView(
        rank=item["rank"], id=item["id"], title=item.get("title") or "",
        employer=item.get("employer") or words("jobs.employer_unstated"),
        place=item.get("location") or "", pay=salary_text(item.get("salary"), words.language),
        hours=hours_text(item.get("hours_per_week"), words),
        employment="・".join(words(f"employment.{t}") for t in item.get("employment_types") or []
                             if words.has(f"employment.{t}")),
        url=item.get("apply_url") or item.get("url"),
        signs=[Sign(_label(words, s.get("tag")), s.get("evidence")) for s in signals
               if s.get("tag") not in EMPLOYER_NEEDS],
        certifications=[Sign(_label(words, s.get("tag")), s.get("evidence")) for s in signals
                        if s.get("tag") in EMPLOYER_NEEDS],
        why=[Sign(r.get("text", ""), r.get("evidence")) for r in reasons if r.get("kind") in GOOD_KINDS],
        worth_knowing=[Sign(r.get("text", ""), r.get("evidence")) for r in reasons
                       if r.get("kind") in WORTH_KNOWING_KINDS],
        commute=words("jobs.commute", km=grouped(round(float(commute), 1)))
        if isinstance(commute, int | float) else None,
        support_nearby=_support_lines(item.get("support_nearby"), words),
    )

"""The profile's questions, one short step each, and how each step's form becomes a change to the
stored profile (a JSON merge patch, applied by ranker.users.stored.update_profile).

Every step can be skipped (nothing changes). Needs that reveal health or disability have their
own step and are kept only with the person's consent (consent.sensitive_needs); the other needs
are kept as they are when that step changes, and the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from api.page.catalogue import Words
from api.page.home_place import UnknownHome, commute_choice, home_from_answer
from pipeline.canonical import EMPLOYMENT_TYPES
from ranker.profile import AVOIDABLE, EMPLOYER_NEEDS, LISTING_NEEDS, RIASEC, SENSITIVE_NEEDS, AptitudeProfile

STEPS = ("work", "needs", "health", "interests", "hours", "place", "pay")
EVERYDAY_NEEDS = tuple(n for n in LISTING_NEEDS if n not in SENSITIVE_NEEDS)
HEALTH_NEEDS = tuple(n for n in LISTING_NEEDS if n in SENSITIVE_NEEDS)
REMOTE_CHOICES = ("any", "preferred", "required", "avoid")
PAY_UNITS = ("HOUR", "DAY", "MONTH", "YEAR")
CURRENCIES = ("JPY", "USD", "EUR", "GBP")
# The interest check: five items per RIASEC letter (their words: [interests] of the catalogues).
INTEREST_ITEMS = tuple(f"{letter}{n}" for n in range(1, 6) for letter in RIASEC)
INTEREST_ANSWERS = {"like": 1.0, "unsure": 0.5, "dislike": 0.0}
_SEPARATORS = re.compile(r"[,、，\n;；/／]+")


@dataclass
class StepOutcome:
    """A step's change to the profile, or the problem to show (then nothing is stored)."""

    patch: dict[str, Any] | None = None
    problem: str | None = None


def split_terms(text: str, limit: int) -> list[str]:
    terms = [t.strip()[:200] for t in _SEPARATORS.split(text) if t.strip()]
    return list(dict.fromkeys(terms))[:limit]


def starting_summary(words: Words) -> str:
    """What a new profile (or one whose work question was left empty) looks for."""
    return words("step.work.not_sure")


def is_starting_summary(summary: str) -> bool:
    return summary in {Words("ja")("step.work.not_sure"), Words("en")("step.work.not_sure")}


def answered(step: str, profile: AptitudeProfile) -> bool:
    """Whether the person has said anything for this step."""
    c = profile.constraints
    return {
        "work": bool(profile.desired_titles or profile.skills
                     or (profile.summary and not is_starting_summary(profile.summary))),
        "needs": any(n not in SENSITIVE_NEEDS for n in profile.needs) or bool(profile.avoid),
        "health": any(n in SENSITIVE_NEEDS for n in profile.needs),
        "interests": bool(profile.interests),
        "hours": c.max_hours_per_week is not None or bool(c.employment_types),
        "place": bool(c.locations) or c.remote != "any" or profile.home is not None,
        "pay": c.min_salary is not None,
    }[step]


def _work(form: dict[str, list[str]], words: Words) -> StepOutcome:
    titles = split_terms(_one(form, "titles"), 30)
    skills = split_terms(_one(form, "skills"), 100)
    summary = _one(form, "summary")[:5000]
    if not (titles or skills or summary):
        summary = starting_summary(words)
    return StepOutcome({"desired_titles": titles, "skills": skills, "summary": summary})


def _needs(form: dict[str, list[str]], profile: AptitudeProfile) -> StepOutcome:
    chosen = [n for n in form.get("need", []) if n in EVERYDAY_NEEDS or n in EMPLOYER_NEEDS]
    kept = [n for n in profile.needs if n in SENSITIVE_NEEDS]
    avoid = [a for a in form.get("avoid", []) if a in AVOIDABLE]
    return StepOutcome({"needs": list(dict.fromkeys(chosen + kept)), "avoid": avoid})


def _health(form: dict[str, list[str]], profile: AptitudeProfile, words: Words) -> StepOutcome:
    chosen = [n for n in form.get("need", []) if n in HEALTH_NEEDS]
    kept = [n for n in profile.needs if n not in SENSITIVE_NEEDS]
    if not chosen:
        return StepOutcome({"needs": kept, "consent": {"sensitive_needs": False}})
    if _one(form, "consent") != "yes":
        return StepOutcome(problem=words("step.health.need_consent"))
    return StepOutcome({"needs": kept + chosen, "consent": {"sensitive_needs": True}})


def interest_scores(form: dict[str, list[str]]) -> dict[str, float]:
    """The mean answer per RIASEC letter over the items answered (1 like, 0.5 not sure, 0 not for
    me); letters without an answer are left out."""
    sums: dict[str, list[float]] = {}
    for item in INTEREST_ITEMS:
        value = INTEREST_ANSWERS.get(_one(form, f"i_{item}"))
        if value is not None:
            sums.setdefault(item[0], []).append(value)
    return {letter: round(sum(v) / len(v), 3) for letter, v in sums.items()}


def _interests(form: dict[str, list[str]]) -> StepOutcome:
    scores = interest_scores(form)
    return StepOutcome({"interests": scores} if scores else None)


def _number(text: str) -> float | None:
    cleaned = text.replace(",", "").replace("，", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _hours(form: dict[str, list[str]], words: Words) -> StepOutcome:
    text = _one(form, "hours")
    hours = _number(text) if text else None
    if text and (hours is None or not 0 < hours <= 80):
        return StepOutcome(problem=words("step.hours.bad_hours"))
    types = [t for t in form.get("employment_type", []) if t in EMPLOYMENT_TYPES]
    return StepOutcome({"constraints": {"max_hours_per_week": hours, "employment_types": types}})


def _place(form: dict[str, list[str]], words: Words) -> StepOutcome:
    remote = _one(form, "remote")
    region, locality = _one(form, "region")[:100], _one(form, "locality")[:100]
    place = {k: v for k, v in (("region", region), ("locality", locality)) if v}
    typed = _one(form, "home")[:100]
    try:
        home = home_from_answer(typed) if typed else None
    except UnknownHome:
        return StepOutcome(problem=words("step.place.home_unknown", value=typed))
    commute = commute_choice(_one(form, "max_commute_km"))
    if commute is not None and home is None:
        return StepOutcome(problem=words("step.place.commute_needs_home"))
    # Every field of home is sent, so a postcode replaces a municipality (and the other way round).
    home_patch = None if home is None else home.model_dump()
    return StepOutcome({"home": home_patch,
                        "constraints": {"remote": remote if remote in REMOTE_CHOICES else "any",
                                        "locations": [place] if place else [], "max_commute_km": commute}})


def _pay(form: dict[str, list[str]], words: Words) -> StepOutcome:
    text = _one(form, "amount")
    if not text:
        return StepOutcome({"constraints": {"min_salary": None}})
    amount = _number(text)
    if amount is None or amount <= 0:
        return StepOutcome(problem=words("step.pay.bad_amount"))
    unit = _one(form, "unit") if _one(form, "unit") in PAY_UNITS else "HOUR"
    currency = _one(form, "currency") if _one(form, "currency") in CURRENCIES else "JPY"
    return StepOutcome({"constraints": {"min_salary": {"amount": amount, "unit": unit, "currency": currency}}})


def step_outcome(step: str, form: dict[str, list[str]], profile: AptitudeProfile, words: Words) -> StepOutcome:
    """The change a step's submitted form makes."""
    if step == "work":
        return _work(form, words)
    if step == "needs":
        return _needs(form, profile)
    if step == "health":
        return _health(form, profile, words)
    if step == "interests":
        return _interests(form)
    if step == "hours":
        return _hours(form, words)
    if step == "place":
        return _place(form, words)
    return _pay(form, words)


def _one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip()

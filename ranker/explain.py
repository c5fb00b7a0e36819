"""Reasons for one recommendation, in plain words, each traceable to evidence.

Kinds: ``relevance`` (why it fits what the person asked for), ``interest`` (how the person's
RIASEC interests agree with the listing's occupation), ``need`` (a need it meets, with the
listing's own words or the registry row), ``feedback`` (it resembles a job the person saved or
applied to), ``constraint`` (a limit it respects), ``caveat`` (something not stated or
inferred), ``misses`` (a constraint it does not meet, shown only for nearest matches),
``lacks`` (a need it does not show, text that speaks against a need, a fact to avoid, or a
poor interest fit).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.aptitude import interest_reason
from ranker.feedback import FeedbackSignals, feedback_reasons
from ranker.filters import ConstraintResult, listing_hours_min
from ranker.profile import AptitudeProfile

# Cosine similarities above which a listing is said to resemble the profile (MiniLM sentence
# vectors; character 2-3-gram TF-IDF). Below them no relevance claim is made.
DENSE_SIMILAR = 0.45
LEXICAL_SIMILAR = 0.2

_NEED_WORDS = {
    "no_experience_ok": "no experience needed",
    "career_gap_ok": "a gap in work history is welcome",
    "remote_ok": "can be done from home",
    "short_hours": "short hours possible",
    "flexible_schedule": "you choose days or hours",
    "training_provided": "training is provided",
    "gradual_start": "a trial or step-by-step start",
    "disability_employment": "a disability employment position",
    "accommodations": "adjustments to how the work is done",
    "on_the_job_support": "a person supports you in the job",
    "low_social_load": "little customer or phone contact",
    "neurodiversity": "a neurodiversity programme",
    "fair_chance": "open to people with a record",
    "youth_friendly": "aimed at first-time workers",
    "income_cap_friendly": "hours and pay can stay under a benefit limit",
}


def _signal_index(row: dict[str, Any]) -> dict[str, dict[str, str]]:
    registry = (row.get("employer") or {}).get("registry_tags") or []
    found: dict[str, dict[str, str]] = {}
    for signal in [*(row.get("signals") or []), *registry]:
        found.setdefault(signal["tag"], signal)
    return found


def _against_evidence(row: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Tags the listing's text speaks against (未経験不可 against no_experience_ok), by tag: the
    snapshot's ``against`` column, tagged at publish (pipeline.warehouse.serving_columns)."""
    return {signal["tag"]: signal for signal in row.get("against") or []}


def explain(
    row: dict[str, Any],
    profile: AptitudeProfile,
    constraints: list[ConstraintResult],
    i: int,
    parts: dict[str, float],
    feedback: FeedbackSignals | None = None,
    vector: np.ndarray | None = None,
    aptitude_known: bool = False,
) -> list[dict[str, str]]:
    reasons: list[dict[str, str]] = []
    title_hits = [t for t in profile.desired_titles if t.casefold() in row["title"].casefold()]
    if title_hits:
        reasons.append(
            {"kind": "relevance", "text": f"the title matches what you are looking for: {', '.join(title_hits)}"}
        )
    elif parts["dense"] >= DENSE_SIMILAR or parts["lexical"] >= LEXICAL_SIMILAR:
        reasons.append({"kind": "relevance", "text": "the job's title and description resemble your profile"})
    skill_hits = [s for s in profile.skills if s.casefold() in (row.get("description") or "").casefold()]
    if skill_hits:
        reasons.append({"kind": "relevance", "text": f"uses your skills: {', '.join(skill_hits[:5])}"})

    if profile.interests:
        occupation = row.get("occupation")
        interests = row.get("occupation_interests") if aptitude_known else None
        reason = interest_reason(profile.interests, occupation, interests, parts.get("aptitude", 0.5))
        if reason:
            reasons.append(reason)

    signals = _signal_index(row)
    against = _against_evidence(row) if profile.needs else {}
    for need in profile.needs:
        signal = signals.get(need)
        words = _NEED_WORDS.get(need, need)
        if signal:
            reasons.append({"kind": "need", "tag": need, "text": f"meets your need: {words}",
                            "evidence": signal["evidence"], "source": signal["source"]})
        elif need in against:
            reasons.append({"kind": "lacks", "tag": need, "text": f"says the opposite of: {words}",
                            "evidence": against[need]["evidence"], "source": "text"})
        else:
            reasons.append({"kind": "lacks", "tag": need, "text": f"does not say: {words}"})
    if feedback is not None:
        reasons.extend(feedback_reasons(vector, feedback))

    for c in constraints:
        if c.passes[i]:
            if c.name != "avoid":
                reasons.append({"kind": "constraint", "tag": c.name, "text": f"fits your limit: {c.description}"})
        else:
            reasons.append({"kind": "misses", "tag": c.name, "text": f"does not meet: {c.description}"})
    for tag in profile.avoid:
        if tag in signals:
            reasons.append({"kind": "lacks", "tag": tag, "text": f"mentions {tag.replace('_', ' ')}",
                            "evidence": signals[tag]["evidence"]})

    hours, inferred = listing_hours_min(row)
    if profile.constraints.max_hours_per_week is not None:
        if hours is None:
            reasons.append({"kind": "caveat", "text": "hours per week are not stated"})
        elif inferred:
            reasons.append({"kind": "caveat", "text": "hours not stated; full-time assumed to be about 35 a week"})
    if profile.constraints.min_salary is not None:
        salary = row.get("salary") or {}
        if salary.get("min") is None and salary.get("max") is None:
            reasons.append({"kind": "caveat", "text": "pay is not stated"})
        elif salary.get("currency") != profile.constraints.min_salary.currency:
            reasons.append({"kind": "caveat", "text": f"pay is in {salary.get('currency')}, not compared"})
    if profile.constraints.locations and not row.get("locations"):
        reasons.append({"kind": "caveat", "text": "the place of work is not stated"})
    return reasons

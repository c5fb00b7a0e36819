"""Reasons for one recommendation, in plain words, each traceable to evidence.

Kinds: ``relevance`` (why it fits what the person asked for), ``interest`` (how the person's
RIASEC interests agree with the listing's occupation), ``need`` (a need it meets, with the
listing's own words or the registry row), ``feedback`` (it resembles a job the person saved or
applied to), ``constraint`` (a limit it states and respects), ``unknown`` (a limit it does
not state: "does not say its hours", never "fits"), ``caveat`` (something inferred), ``misses``
(a constraint it does not meet, or does not state when asked to; shown only for nearest
matches, as is a relevance below the floor), ``lacks`` (a need it does not show, text that
speaks against a need, a fact to avoid, a poor interest fit, or a level or years of experience
well above what the profile states, or signs of a commission-only, pay-to-start or MLM offer).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.aptitude import interest_reason
from ranker.experience import experience_reasons
from ranker.feedback import FeedbackSignals, feedback_reasons
from ranker.filters import ConstraintResult, listing_hours_min
from ranker.listing_features import ANYWHERE, remote_region_values
from ranker.profile import AptitudeProfile
from ranker.suspicious import suspicious_reasons

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
    relevant: bool = True,
) -> list[dict[str, str]]:
    reasons: list[dict[str, str]] = []
    if not relevant:
        reasons.append({"kind": "misses", "tag": "relevance", "text": "not close to what you asked for: "
                        "it shares little with your titles, skills and summary"})
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
    reasons.extend(experience_reasons(row, profile))
    reasons.extend(suspicious_reasons(row))
    if feedback is not None:
        reasons.extend(feedback_reasons(vector, feedback))

    for c in constraints:
        reasons.extend(_constraint_reasons(c, c.state(i), row, profile))
    for tag in profile.avoid:
        if tag in signals:
            reasons.append({"kind": "lacks", "tag": tag, "text": f"mentions {tag.replace('_', ' ')}",
                            "evidence": signals[tag]["evidence"]})
    return reasons


def _constraint_reasons(
    c: ConstraintResult, state: str, row: dict[str, Any], profile: AptitudeProfile
) -> list[dict[str, str]]:
    """What a listing does against one constraint: fits it (stated), does not say, or misses it."""
    remote_note = _remote_note(row) if c.name == "location" else ""
    if state == "meets":
        if c.name == "avoid":
            return []
        return [{"kind": "constraint", "tag": c.name, "text": f"fits your limit: {c.description}{remote_note}"}]
    if state == "unknown":
        unstated = _unstated(c.name, row, profile)
        if c.required_stated:
            return [{"kind": "misses", "tag": c.name,
                     "text": f"does not meet: {c.description} ({unstated}, and you asked for it to be stated)"}]
        return [{"kind": "unknown", "tag": c.name, "text": unstated}]
    reasons = [{"kind": "misses", "tag": c.name, "text": f"does not meet: {c.description}{remote_note}"}]
    if c.name == "hours" and listing_hours_min(row)[1]:
        reasons.append({"kind": "caveat", "text": "hours not stated; full-time assumed to be about 35 a week"})
    return reasons


def _remote_note(row: dict[str, Any]) -> str:
    """Where a fully remote listing may be done from, for the location reasons."""
    if row.get("remote") != "remote":
        return ""
    regions = remote_region_values(row)
    if not regions:
        return " (remote, does not say from where)"
    if ANYWHERE in regions:
        return " (remote, open to people anywhere)"
    return f" (remote, open to residents of {', '.join(regions)})"


def _unstated(name: str, row: dict[str, Any], profile: AptitudeProfile) -> str:
    """What the listing leaves unstated about one constraint, in plain words."""
    if name == "hours":
        if listing_hours_min(row)[1]:
            return "does not say its hours (full-time, taken as about 35 a week)"
        return "does not say its hours"
    if name == "employment_type":
        return "does not say its employment type"
    if name == "remote":
        return "does not say whether it is done remotely or on site"
    if name == "location":
        return "remote, does not say from where" if row.get("remote") == "remote" else "does not say where"
    if name == "min_salary":
        return _unstated_pay(row, profile)
    return f"does not say: {name}"


def _unstated_pay(row: dict[str, Any], profile: AptitudeProfile) -> str:
    salary = row.get("salary") or {}
    wanted = profile.constraints.min_salary
    if salary.get("min") is None and salary.get("max") is None:
        return "does not say its pay"
    if wanted is not None and salary.get("currency") != wanted.currency:
        return f"pays in {salary.get('currency') or 'an unstated currency'}, not compared with your minimum"
    return "does not say its pay per hour, day, week, month or year"

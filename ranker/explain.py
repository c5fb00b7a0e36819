"""Reasons for one recommendation, in plain words, each traceable to evidence.

Kinds: ``relevance`` (why it fits what the person asked for), ``interest`` (how the person's
RIASEC interests agree with the listing's occupation), ``need`` (a need it meets, with the
listing's own words or the registry row), ``feedback`` (it resembles a job the person saved or
applied to), ``constraint`` (a limit it states and respects), ``unknown`` (a limit it does
not state: "does not say its hours", never "fits"), ``caveat`` (something inferred), ``misses``
(a constraint it does not meet, or does not state when asked to; shown only for nearest
matches, as is a relevance below the floor), ``lacks`` (a need it does not show, text that
speaks against a need, a fact to avoid, a poor interest fit, or a level or years of experience
well above what the profile states, a language the person does not read, or signs of a
commission-only, pay-to-start or MLM offer).

Every ``text`` is in the page's language (``ranker.notice.page_language``: Japanese for a
Japanese profile, else English), written from the tables of ranker.wording; evidence quoted
from the listing (``evidence``) and the person's own words (titles, skills) stay as written.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.aptitude import interest_reason
from ranker.experience import experience_reasons
from ranker.feedback import FeedbackSignals, feedback_reasons
from ranker.filters import ConstraintResult, listing_hours_min
from ranker.language_fit import language_reasons
from ranker.listing_features import ANYWHERE, remote_region_values
from ranker.notice import page_language
from ranker.profile import AptitudeProfile
from ranker.suspicious import suspicious_reasons
from ranker.wording import Language, Names, join, language_of, say

# Cosine similarities above which a listing is said to resemble the profile (MiniLM sentence
# vectors; character 2-3-gram TF-IDF). Below them no relevance claim is made.
DENSE_SIMILAR = 0.45
LEXICAL_SIMILAR = 0.2

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
    language: str | None = None,
) -> list[dict[str, str]]:
    """The reasons for listing ``row`` (position ``i``), in ``language`` (ja or en; by default
    the profile's page language)."""
    lang = language_of(language or page_language(profile))
    signals = _signal_index(row)
    reasons = _relevance_reasons(row, profile, parts, relevant, lang)
    if profile.interests:
        occupation = row.get("occupation")
        interests = row.get("occupation_interests") if aptitude_known else None
        reason = interest_reason(profile.interests, occupation, interests, parts.get("aptitude", 0.5), lang)
        if reason:
            reasons.append(reason)
    reasons.extend(_need_reasons(row, profile, signals, lang))
    reasons.extend(experience_reasons(row, profile, lang))
    reasons.extend(language_reasons(row, profile, lang))
    reasons.extend(suspicious_reasons(row, lang))
    if feedback is not None:
        reasons.extend(feedback_reasons(vector, feedback, lang))

    for c in constraints:
        reasons.extend(_constraint_reasons(c, c.state(i), row, profile, lang))
    for tag in profile.avoid:
        if tag in signals:
            text = say(lang, "avoid.mentioned", spoken=tag.replace("_", " "), avoid=Names.of("avoid", [tag]))
            reasons.append({"kind": "lacks", "tag": tag, "text": text, "evidence": signals[tag]["evidence"]})
    return reasons


def _relevance_reasons(
    row: dict[str, Any], profile: AptitudeProfile, parts: dict[str, float], relevant: bool, lang: Language
) -> list[dict[str, str]]:
    """Why the listing is close to what the person asked for (or, below the floor, that it is not)."""
    reasons: list[dict[str, str]] = []
    if not relevant:
        reasons.append({"kind": "misses", "tag": "relevance", "text": say(lang, "relevance.far")})
    title_hits = [t for t in profile.desired_titles if t.casefold() in row["title"].casefold()]
    if title_hits:
        reasons.append({"kind": "relevance", "text": say(lang, "relevance.title", titles=join(title_hits, lang))})
    elif parts["dense"] >= DENSE_SIMILAR or parts["lexical"] >= LEXICAL_SIMILAR:
        reasons.append({"kind": "relevance", "text": say(lang, "relevance.similar")})
    skill_hits = [s for s in profile.skills if s.casefold() in (row.get("description") or "").casefold()]
    if skill_hits:
        reasons.append({"kind": "relevance", "text": say(lang, "relevance.skills", skills=join(skill_hits[:5], lang))})
    return reasons


def _need_reasons(
    row: dict[str, Any], profile: AptitudeProfile, signals: dict[str, dict[str, str]], lang: Language
) -> list[dict[str, str]]:
    """Per need: met (with the evidence), spoken against (with the span), or not stated."""
    against = _against_evidence(row) if profile.needs else {}
    reasons: list[dict[str, str]] = []
    for need in profile.needs:
        signal = signals.get(need)
        words = Names.of("need", [need])
        if signal:
            reasons.append({"kind": "need", "tag": need, "text": say(lang, "need.met", need=words),
                            "evidence": signal["evidence"], "source": signal["source"]})
        elif need in against:
            reasons.append({"kind": "lacks", "tag": need, "text": say(lang, "need.against", need=words),
                            "evidence": against[need]["evidence"], "source": "text"})
        else:
            reasons.append({"kind": "lacks", "tag": need, "text": say(lang, "need.unstated", need=words)})
    return reasons


def _constraint_reasons(
    c: ConstraintResult, state: str, row: dict[str, Any], profile: AptitudeProfile, lang: Language
) -> list[dict[str, str]]:
    """What a listing does against one constraint: fits it (stated), does not say, or misses it."""
    note = _remote_note(row, lang) if c.name == "location" else ""
    wish = c.described(lang)
    if state == "meets":
        if c.name == "avoid":
            return []
        return [{"kind": "constraint", "tag": c.name, "text": say(lang, "constraint.meets", wish=wish, note=note)}]
    if state == "unknown":
        unstated = _unstated(c.name, row, profile, lang)
        if c.required_stated:
            return [{"kind": "misses", "tag": c.name,
                     "text": say(lang, "constraint.misses_unstated", wish=wish, unstated=unstated)}]
        return [{"kind": "unknown", "tag": c.name, "text": unstated}]
    reasons = [{"kind": "misses", "tag": c.name, "text": say(lang, "constraint.misses", wish=wish, note=note)}]
    if c.name == "hours" and listing_hours_min(row)[1]:
        reasons.append({"kind": "caveat", "text": say(lang, "caveat.hours_assumed")})
    return reasons


def _remote_note(row: dict[str, Any], lang: Language) -> str:
    """Where a fully remote listing may be done from, for the location reasons."""
    if row.get("remote") != "remote":
        return ""
    regions = remote_region_values(row)
    if not regions:
        return say(lang, "note.remote_unplaced")
    if ANYWHERE in regions:
        return say(lang, "note.remote_anywhere")
    return say(lang, "note.remote_regions", regions=Names.of("region", regions))


# What a listing leaves unstated, by constraint (hours, location and pay depend on the listing).
_UNSTATED_KEYS = {"employment_type": "unknown.employment_type", "remote": "unknown.remote",
                  "commute": "unknown.commute"}


def _unstated(name: str, row: dict[str, Any], profile: AptitudeProfile, lang: Language) -> str:
    """What the listing leaves unstated about one constraint, in plain words."""
    if name == "hours":
        return say(lang, "unknown.hours_assumed" if listing_hours_min(row)[1] else "unknown.hours")
    if name == "location":
        return say(lang, "unknown.location_remote" if row.get("remote") == "remote" else "unknown.location")
    if name == "min_salary":
        return _unstated_pay(row, profile, lang)
    if name in _UNSTATED_KEYS:
        return say(lang, _UNSTATED_KEYS[name])
    return say(lang, "unknown.other", name=name)


def _unstated_pay(row: dict[str, Any], profile: AptitudeProfile, lang: Language) -> str:
    salary = row.get("salary") or {}
    wanted = profile.constraints.min_salary
    if salary.get("min") is None and salary.get("max") is None:
        return say(lang, "unknown.pay")
    if wanted is not None and salary.get("currency") != wanted.currency:
        currency = salary.get("currency")
        if not currency:
            return say(lang, "unknown.pay_no_currency")
        return say(lang, "unknown.pay_currency", currency=Names.of("currency", [currency]))
    return say(lang, "unknown.pay_period")

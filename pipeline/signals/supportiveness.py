"""How much a listing lowers the barrier to starting and staying: one readable place.

The weights are a product decision. Each says how much the tag helps a person who is coming
back after years away, ill, or with a disability. The score is the sum of the weights of the
distinct tags a listing carries (from its text, its structured data and its employer's
registries), squashed to [0, 1) so that a listing with many weak tags cannot outrank one with
a few strong ones by volume alone. Every point is traceable: ``explain`` lists the tags and
their evidence behind a score.
"""

from __future__ import annotations

import math

from pipeline.canonical import Signal

WEIGHTS: dict[str, float] = {
    # Can I get in at all?
    "no_experience_ok": 1.0,  # the first barrier after a long gap: "no experience" opens the door
    "career_gap_ok": 1.2,  # says outright that a gap is not held against you
    "gradual_start": 1.0,  # trial days or step-by-step hours make starting survivable
    "disability_employment": 1.2,  # a position within disability employment: support is the premise
    "youth_friendly": 0.4,  # first jobs welcome; helps younger returners only
    "fair_chance": 0.8,  # a record is not an automatic no
    # Can I keep it?
    "on_the_job_support": 1.2,  # a named person who helps you stay (job coach, 定着支援)
    "accommodations": 1.0,  # adjustments to how the work is done
    "training_provided": 0.8,  # you are taught, not thrown in
    "neurodiversity": 0.8,  # an explicit programme, not just words
    # Can I fit it around my life and health?
    "short_hours": 0.7,  # under 30 hours a week is how many people restart
    "flexible_schedule": 0.7,  # choosing days absorbs bad days
    "remote_ok": 0.6,  # no commute and fewer crowds; not everyone wants it
    "low_social_load": 0.7,  # little phone, customer or crowd contact lowers anxiety
    "income_cap_friendly": 0.3,  # keeps benefits or dependant status intact
    # Employer registries: independent evidence about the employer as a whole.
    "cert_disability_award": 1.0,  # ministerial award for excellent disability employment
    "cert_monisu": 1.0,  # もにす: certified small employer of disabled people
    "disability_confident": 0.6,  # UK scheme; level unknown in most lists
    "dei_disability_index": 0.5,  # US index score
    "fair_chance_pledge": 0.5,  # a public pledge, weaker than practice
    "cert_youth_yell": 0.5,  # good at hiring and keeping young people
    "cert_kurumin": 0.2,  # work-life support: a workplace-quality sign, weaker
    "cert_eruboshi": 0.2,  # women's advancement: workplace-quality sign
    "cert_telework": 0.3,  # telework award
}

# A listing whose weights sum to SCALE scores 1 - 1/e (about 0.63).
SCALE = 3.0


def score(signals: list[Signal]) -> float:
    total = sum(WEIGHTS.get(tag, 0.0) for tag in {s["tag"] for s in signals})
    return round(1.0 - math.exp(-total / SCALE), 4)


def explain(signals: list[Signal]) -> list[tuple[str, float, str]]:
    """(tag, weight, evidence) for every tag that counted, strongest first."""
    seen: dict[str, Signal] = {}
    for signal in signals:
        seen.setdefault(signal["tag"], signal)
    rows = [(tag, WEIGHTS[tag], s["evidence"]) for tag, s in seen.items() if tag in WEIGHTS]
    return sorted(rows, key=lambda row: -row[1])

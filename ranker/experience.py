"""How far a listing's level and stated years lie above the person's, as a score penalty.

Listings carry ``seniority`` (entry | mid | senior | lead, or not stated) and
``experience_years_min`` (a stated minimum, or not stated). A profile may say where the person
stands (``experience: {"years": 2, "level": "entry"}``). The penalty is the larger of:

- the level gap: how many steps the listing's level lies above the person's (none and entry
  are the same step), LEVEL_PENALTY by steps: a mid role costs an entry-level person a little,
  a senior role a lot, a lead role more;
- the years gap: the stated minimum minus the person's years, YEARS_PENALTY_PER_YEAR a year,
  at most YEARS_PENALTY_CAP. Level ``none`` without ``years`` counts as 0 years.

The larger, not the sum, because both measure one thing (how far above the person the role
is) and a "senior, 5+ years" listing states it twice. A listing that states neither costs
nothing.

Where the person stands is what the profile says (:func:`stated_level`): its ``experience``; else
a need for work open to beginners (``no_experience_ok``) or a desired title that names a junior
or entry level ("Junior Software Engineer", アシスタント) says entry level, without years. A
profile that says none of these costs nothing: nothing is guessed from a summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.canonical import SENIORITY_LEVELS
from pipeline.fields.seniority import seniority_from_title
from ranker.profile import AptitudeProfile, Experience
from ranker.wording import Language, Names, Phrase, say

# Listing levels as steps; the person's levels on the same steps (none: no experience yet).
LISTING_STEP = {level: step for step, level in enumerate(SENIORITY_LEVELS)}
PERSON_STEP = {"none": 0, "entry": 0, "mid": 1, "senior": 2, "lead": 3}
# Penalty by how many steps the listing's level lies above the person's.
LEVEL_PENALTY = (0.0, 0.05, 0.2, 0.3)
YEARS_PENALTY_PER_YEAR = 0.05
YEARS_PENALTY_CAP = 0.3
# A gap costing at least this much is named in the reasons ("lacks").
LARGE_GAP = 0.1


@dataclass(frozen=True)
class StatedLevel:
    """Where the person stands, and how the profile said it (for the reasons)."""

    experience: Experience
    said: Phrase  # e.g. "you describe your level as entry" (ranker.wording)


def stated_level(profile: AptitudeProfile) -> StatedLevel | None:
    """The person's level as the profile states it, or None when it says nothing about it."""
    if profile.experience is not None:
        level = profile.experience.level
        said = Phrase("said.level", {"level": Names.of("person_level", [level])}) if level else Phrase("said.unstated")
        return StatedLevel(profile.experience, said)
    if "no_experience_ok" in profile.needs:
        return StatedLevel(Experience(level="entry"), Phrase("said.beginner"))
    junior = next((title for title in profile.desired_titles if seniority_from_title(title) == "entry"), None)
    if junior is not None:
        return StatedLevel(Experience(level="entry"), Phrase("said.junior_title", {"title": junior}))
    return None


def person_years(experience: Experience) -> float | None:
    """The person's years of experience: stated, or 0 for level none, else not known."""
    if experience.years is not None:
        return experience.years
    return 0.0 if experience.level == "none" else None


def level_penalty(listing_steps: np.ndarray, experience: Experience) -> np.ndarray:
    """Per listing (steps: -1 not stated, 0 entry ... 3 lead), the level-gap penalty."""
    out = np.zeros(len(listing_steps), dtype=np.float32)
    if experience.level is None:
        return out
    gap = listing_steps.astype(np.int16) - PERSON_STEP[experience.level]
    stated = listing_steps >= 0
    table = np.array(LEVEL_PENALTY, dtype=np.float32)
    out[stated] = table[np.clip(gap[stated], 0, len(LEVEL_PENALTY) - 1)]
    return out


def years_penalty(years_min: np.ndarray, experience: Experience) -> np.ndarray:
    """Per listing (NaN = not stated), the years-gap penalty."""
    years = person_years(experience)
    if years is None:
        return np.zeros(len(years_min), dtype=np.float32)
    shortfall = np.nan_to_num(years_min - years, nan=0.0)
    return np.clip(YEARS_PENALTY_PER_YEAR * shortfall, 0.0, YEARS_PENALTY_CAP).astype(np.float32)


def experience_penalty(seniority: np.ndarray, years_min: np.ndarray, profile: AptitudeProfile) -> np.ndarray | None:
    """The penalty of each listing (aligned with the arrays), or None when the profile says
    nothing about the person's level."""
    stated = stated_level(profile)
    if stated is None:
        return None
    experience = stated.experience
    return np.maximum(level_penalty(seniority, experience), years_penalty(years_min, experience))


def experience_reasons(
    row: dict[str, Any], profile: AptitudeProfile, language: Language = "en"
) -> list[dict[str, str]]:
    """A ``lacks`` reason for each large gap (level, years) between the listing and the person,
    in ``language``."""
    stated = stated_level(profile)
    if stated is None:
        return []
    experience = stated.experience
    reasons = []
    level = row.get("seniority")
    steps = np.array([LISTING_STEP.get(level, -1) if isinstance(level, str) else -1], dtype=np.int8)
    if experience.level is not None and level_penalty(steps, experience)[0] >= LARGE_GAP:
        text = say(language, "experience.level", level=Names.of("listing_level", [str(level)]), said=stated.said)
        reasons.append({"kind": "lacks", "tag": "experience", "text": text})
    wanted = row.get("experience_years_min")
    years = person_years(experience)
    if wanted is not None and years is not None:
        penalty = years_penalty(np.array([float(wanted)], dtype=np.float32), experience)[0]
        if penalty >= LARGE_GAP:
            key = "experience.years_none" if years == 0 else "experience.years"
            text = say(language, key, wanted=float(wanted), years=years)
            reasons.append({"kind": "lacks", "tag": "experience", "text": text})
    return reasons

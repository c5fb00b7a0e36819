"""Whether the person can read a listing: a listing written in a language the person does not
read is hard to judge and to apply to, so it ranks lower and says so.

The languages a person reads are the profile's ``reads``; when it names none, the language of
the page (the profile's language, stated or detected: ``ranker.notice.page_language``). A
listing whose language is not known costs nothing: nothing is guessed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ranker.listing_features import LANGUAGE_CODES
from ranker.notice import page_language
from ranker.profile import AptitudeProfile
from ranker.wording import Language, Names, say

# What a listing in a language the person does not read loses: more than a level one step
# above the person's (ranker.experience), so an equally relevant listing they can read comes
# first, and less than a large relevance gap, so a close match still shows.
LANGUAGE_PENALTY = 0.1


def read_languages(profile: AptitudeProfile, language: str | None = None) -> list[str]:
    """The languages the person reads listings in; ``language`` is the page language when the
    caller already knows it (else it is found from the profile)."""
    return list(profile.reads) or [language or page_language(profile)]


def language_penalty(codes: np.ndarray, profile: AptitudeProfile, language: str | None = None) -> np.ndarray:
    """LANGUAGE_PENALTY for each listing whose stated language the person does not read, else 0."""
    readable = [LANGUAGE_CODES[read] for read in read_languages(profile, language)]
    unreadable = (codes != 0) & ~np.isin(codes, readable)
    return (LANGUAGE_PENALTY * unreadable).astype(np.float32)


def language_reasons(row: dict[str, Any], profile: AptitudeProfile, language: Language = "en") -> list[dict[str, str]]:
    """A ``lacks`` reason when the listing is written in a language the person does not read."""
    written = row.get("language")
    if not written or written in read_languages(profile, language):
        return []
    name = written if written in LANGUAGE_CODES and written != "other" else "other"
    text = say(language, "language.unread", written=Names.of("language", [name]))
    return [{"kind": "lacks", "tag": "language", "text": text}]

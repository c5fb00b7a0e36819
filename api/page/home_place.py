"""The person's home as the place step asks for it: a Japanese postcode (164-0014, 〒1640014) or a
municipality (中野区, 東京都中野区, or its code 13114). It is used only to find support services
near home and the distance to work (ranker.support); what was typed is never logged.

``home_from_answer`` turns the typed text into the profile's ``home`` (ranker.profile.Home), or
raises UnknownHome when it names no place Japan Post's data or the municipality table knows.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.places.municipalities import PlaceCodeError, municipality_by_code, municipality_in_address
from ranker.profile import Home
from ranker.support.places import home_from_text

# The choices offered for the farthest a workplace may be (straight line, km).
COMMUTE_CHOICES = (5, 10, 20, 30, 50)
_POSTCODE = re.compile(r"^〒?\s*\d{3}\s*[-ー−‐]?\s*\d{4}$")
_CODE = re.compile(r"^\d{5,6}$")


class UnknownHome(ValueError):
    """The typed place is not a postcode or municipality ippo knows (the page names it back)."""


def home_from_answer(text: str) -> Home:
    """The home a typed postcode, municipality name or municipality code names."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if _POSTCODE.match(folded) or _CODE.match(folded):
        try:
            home = home_from_text(folded)  # the one reader of postcodes and codes (CLI, API, page)
        except (PlaceCodeError, ValueError):
            raise UnknownHome(text) from None
        postcode = home.postal_code
        return Home(postal_code=f"{postcode[:3]}-{postcode[3:]}") if postcode else home
    found = municipality_in_address(folded)
    if found is None:
        raise UnknownHome(text)
    return Home(municipality_code=found.code)


def home_answer(home: Home | None) -> str:
    """The home as the place step shows it again: the postcode, else the municipality's name."""
    if home is None:
        return ""
    if home.postal_code:
        return home.postal_code
    if home.municipality_code:
        try:
            return municipality_by_code(home.municipality_code).full_name
        except PlaceCodeError:
            return home.municipality_code
    return ""


def commute_choice(text: str) -> float | None:
    """The farthest distance chosen, or None (any distance, or a value not offered)."""
    return float(text) if text.isdigit() and int(text) in COMMUTE_CHOICES else None

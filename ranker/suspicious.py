"""Listings that look like commission-only, pay-to-start or multi-level-marketing offers.

The pipeline marks them (``suspicious``: commission_only, pay_to_start, mlm). They are never
shown, not even as nearest matches, to a person who did not ask for sales work: for someone
coming back to work, a job that pays nothing without sales, or costs money to start, is a
trap. A person who asked for sales may weigh such offers themselves, so they are shown to
them, each with a ``lacks`` reason naming what was found.

"Asked for sales" is a plain term check on the desired titles (folded, case-insensitive):
営業, 販売, セールス, 外交員, or the English words sales, account executive, business
development, bizdev. Office roles that support sales are not sales work and do not count:
営業事務, 営業アシスタント, 営業サポート, sales admin(istrator), sales support, sales
coordinator, and Salesforce (a software product).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.text.fold import fold
from ranker.profile import AptitudeProfile
from ranker.wording import NAMES, Language, Names, say

_SALES = re.compile(
    r"営業(?!事務|アシスタント|サポート)|販売|セールス(?!サポート)|外交員"
    r"|\bsales(?!force|\s*(?:admin|support|coordinator))|\baccount executive|\bbusiness development|\bbizdev",
    re.IGNORECASE,
)


def asks_for_sales(profile: AptitudeProfile) -> bool:
    """Whether a desired title names sales work."""
    return any(_SALES.search(fold(title)) is not None for title in profile.desired_titles)


def suspicious_reasons(row: dict[str, Any], language: Language = "en") -> list[dict[str, str]]:
    """A ``lacks`` reason for each suspicious reason the listing carries, in ``language``."""
    return [{"kind": "lacks", "tag": reason, "text": _suspicious_text(reason, language)}
            for reason in dict.fromkeys(row.get("suspicious") or [])]


def _suspicious_text(reason: str, language: Language) -> str:
    if reason in NAMES[language]["suspicious"]:
        return say(language, "suspicious.known", reason=Names.of("suspicious", [reason]))
    return say(language, "suspicious.other", code=reason)

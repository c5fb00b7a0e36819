"""Strip the parts of a listing title that say how a job is offered, not what the job is.

Listing titles carry shifts, contract types, pay and hiring slogans ("RN - Night Shift",
"Cashier (Part-Time) $15/hr", "【未経験OK】一般事務（パート）"). Those words are not evidence
of an occupation, but they match O*NET and job tag text that mentions them ("night shift"
appears in machine-operator tasks), so they are removed before a listing is classified.
If cleaning leaves nothing, the original title is kept.
"""

from __future__ import annotations

import re

_EN_NOISE = re.compile(
    r"""(?ix)
    \b(?:night|day|evening|overnight|weekend|rotating|swing|graveyard|early|late|split)\s*shifts?\b
    | \b(?:nights?|weekends?|days|evenings|overnights)\b(?!\s*(?:manager|supervisor|nurse|clerk))
    | \b(?:full|part)[\s-]*time\b | \b(?:ft|pt|prn|per\s+diem|fte)\b
    | \b(?:temporary|temp[\s-]to[\s-]hire|seasonal|permanent|fixed[\s-]term|contract[\s-]to[\s-]hire)\b
    | \b(?:remote|hybrid|on[\s-]?site|in[\s-]office|work\s+from\s+home|wfh)\b
    | \b(?:urgently\s+hiring|now\s+hiring|hiring\s+(?:now|immediately)|immediate(?:ly)?\s+(?:start|hire))\b
    | \b(?:sign[\s-]?on|signing|retention)\s+bonus\b | \bbonus\b | \bbenefits\b | \bno\s+experience(?:\s+needed)?\b
    | (?:up\s+to\s+)?[$£€¥]\s?\d[\d,.]*\s*k?(?:\s*(?:-|to)\s*[$£€¥]?\s?\d[\d,.]*\s*k?)?
      (?:\s*(?:/|per|an|a)\s*(?:hr|hour|h|wk|week|month|mo|year|yr|annum))?
    | \b\d+(?:\.\d+)?\s*(?:hrs?|hours)(?:\s*(?:/|per)\s*(?:wk|week))?\b
    | \(\s*[mfwdhx]\s*/\s*[mfwdhx]\s*(?:/\s*[mfwdhx*]\s*)?\)
    """
)
_JA_TAG_BRACKETS = re.compile(r"【[^】]*】|［[^］]*］|\[[^\]]*\]|≪[^≫]*≫|《[^》]*》|<[^>]*>")
_JA_NOISE_WORDS = (
    "日勤",
    "夜勤",
    "パート",
    "アルバイト",
    "バイト",
    "正社員",
    "契約社員",
    "派遣",
    "嘱託",
    "週",
    "時給",
    "月給",
    "日給",
    "年収",
    "未経験",
    "土日",
    "残業",
    "在宅",
    "リモート",
    "扶養",
    "ブランク",
    "急募",
    "駅",
    "勤務",
)
_JA_PARENS = re.compile(r"[（(]([^（()）]*)[)）]")
_SEPARATORS = re.compile(r"\s*(?:[-–—|/,:;+&・／｜]\s*)+$|^\s*(?:[-–—|/,:;+&・／｜]\s*)+")
_EMPTY_PARENS = re.compile(r"[（(]\s*[)）]")
_SPACES = re.compile(r"\s+")


def _drop_noisy_parens(match: re.Match[str]) -> str:
    inner = match.group(1)
    return "" if any(word in inner for word in _JA_NOISE_WORDS) else match.group(0)


def clean_listing_title(title: str) -> str:
    """The occupation-bearing part of a listing title (the input itself if nothing is left)."""
    text = _JA_TAG_BRACKETS.sub(" ", title)
    text = _JA_PARENS.sub(_drop_noisy_parens, text)
    text = _EN_NOISE.sub(" ", text)
    text = _EMPTY_PARENS.sub(" ", text)
    text = _SPACES.sub(" ", text)
    for _ in range(3):
        text = _SEPARATORS.sub("", text).strip()
    text = re.sub(r"\s+(?:[-–—|/]\s+)+", " - ", text)
    return text if text.strip() else title.strip()

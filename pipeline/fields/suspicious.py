"""Why a listing looks dubious: ``suspicious`` of the canonical listing (reasons of
``pipeline.canonical.SUSPICIOUS_REASONS``, in that order, each once; [] = none found).

- ``commission_only``: pay is commission and nothing else: "commission only", "100% commission",
  "straight commission", "no base salary"; 完全歩合制, フルコミッション, 完全出来高(制/払い).
- ``pay_to_start``: the worker pays to begin: a starter kit to buy, a registration / training /
  enrolment fee, an upfront investment; 登録料, 入会金, 研修費(用)は自己負担 / 実費, 教材費が必要,
  初期費用が必要, スターターキット購入.
- ``mlm``: network / multi-level marketing: "network marketing", "multi-level marketing", "MLM",
  "be your own boss" together with recruiting a team or a "downline"; ネットワークビジネス,
  マルチ商法, 連鎖販売, MLM.

Precision comes first: a false flag hides a real job from a person who may already find
applying hard. So each reason needs an explicit phrase; a negation or a promise beside it
("not commission only", "base salary plus commission", 登録料無料, 研修費は会社負担, "we will never
ask you to pay", "this is not an MLM") cancels it; 歩合制 alone (a commission on top of a wage) and
"commission" alone are not flagged.
"""

from __future__ import annotations

import re

from pipeline.text.normalize import FIELD_LITERALS, finditer_at, fold, literal_starts, positions_line_up

__all__ = ["suspicious_reasons"]

_MAX_TEXT = 30_000
# A phrase is cancelled by one of these within this many characters before or after it.
_NEAR = 40

_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "commission_only",
        re.compile(
            r"\bcommission[\s-]only\b|\b100\s?%\s+commission\b|\bstraight commission\b|\bcommission[\s-]based only\b"
            r"|\bpaid (?:solely|only|entirely) (?:on|by|in) commissions?\b|\bno base (?:salary|pay)\b"
            r"|完全歩合(?:制)?|フルコミッション|完全出来高(?:制|払い)?",
            re.IGNORECASE,
        ),
        re.compile(
            r"\bnot (?:a )?(?:commission[\s-]only|100\s?%\s+commission|straight commission)\b|\bno commission\b"
            r"|\bbase (?:salary|pay) (?:plus|\+|and)\b|\bguaranteed (?:base|salary|hourly)\b"
            r"|完全歩合(?:制)?(?:で)?は(?:ありません|ない)|完全歩合(?:制)?(?:では)?なし|固定給",
            re.IGNORECASE,
        ),
    ),
    (
        "pay_to_start",
        re.compile(
            r"\b(?:purchase|buy|pay for)\s+(?:a |an |the |your )?(?:own )?starter kit\b"
            r"|\bstarter kit (?:fee|cost|for \$|is \$)"
            r"|\b(?:pay|paying)\s+(?:a |an |the )?(?:one[\s-]time\s+)?(?:registration|enrollment|enrolment|training"
            r"|onboarding|sign[\s-]?up|application|joining|membership)\s+fee\b"
            r"|\b(?:registration|enrollment|enrolment|joining|sign[\s-]?up)\s+fee\s+(?:of|is|:)\s*[$£€¥]?\s*\d"
            r"|\bupfront (?:investment|fee|payment) (?:of|is|required)\b|\binitial investment (?:of|is|required)\b"
            r"|登録料|入会金|研修費(?:用)?(?:は|が)?(?:自己負担|実費|有料|必要)|教材費(?:は|が)?(?:自己負担|実費|必要)"
            r"|初期費用(?:が|として)(?:必要|かかります)|スターターキット(?:の)?(?:購入|代)",
            re.IGNORECASE,
        ),
        re.compile(
            r"\bno (?:fees?|cost|charge|starter kit|registration fee|upfront)\b|\bfree of charge\b|\bat no cost\b"
            r"|\bnever (?:ask|charge|require)\b|\bwill not (?:ask|charge|require)\b"
            r"|\bdo(?:es)? not (?:charge|require|ask)\b"
            r"|\b(?:scam|fraud)\w*\b|\bfee is waived\b|\bcompany[\s-](?:paid|covered)\b"
            r"|(?:登録料|入会金|研修費(?:用)?|教材費|初期費用)(?:は|も)?(?:一切)?(?:無料|不要|なし|無し|0円|かかりません|会社負担|当社負担)"
            r"|(?:無料|不要|一切かかりません)",
            re.IGNORECASE,
        ),
    ),
    (
        "mlm",
        re.compile(
            r"\bnetwork marketing\b|\bmulti[\s-]?level marketing\b|\bmlm\b|\bdownline\b"
            r"|\bbe your own boss\b(?=[\s\S]{0,300}\b(?:recruit|build (?:your|a) team|team builder)\w*)"
            r"|ネットワークビジネス|マルチ商法|マルチレベルマーケティング|連鎖販売",
            re.IGNORECASE,
        ),
        re.compile(
            r"\bnot (?:an? )?(?:mlm|network marketing|multi[\s-]?level marketing|pyramid)\b|\bno (?:mlm|pyramid)\b"
            r"|(?:MLM|ネットワークビジネス|マルチ商法|連鎖販売)(?:では|とは)?(?:ありません|ない|異なり|違い|一切関係)",
            re.IGNORECASE,
        ),
    ),
)


def _cancelled(folded: str, start: int, end: int, against: re.Pattern[str]) -> bool:
    """A negation or promise in the same sentence, close to the phrase."""
    begin = max(0, start - _NEAR)
    stop = min(len(folded), end + _NEAR)
    for mark in ".。\n!！?？":
        cut = folded.rfind(mark, begin, start)
        if cut >= 0:
            begin = cut + 1
        after = folded.find(mark, end, stop)
        if after >= 0:
            stop = after
    return against.search(folded, begin, stop) is not None


# Words every phrase of a rule contains (lower case): a rule whose words are all absent cannot
# match, and its regular expression, slow over long descriptions, is not run.
_TRIGGER_WORDS = {
    "commission_only": ("commission", "no base", "完全歩合", "フルコミッション", "完全出来高"),
    # "fee" in these phrases always follows white space ("registration fee"), never "feedback"
    "pay_to_start": ("starter kit", " fee", "\nfee", "\tfee", "upfront", "initial investment", "登録料", "入会金",
                     "研修費", "教材費", "初期費用", "スターターキット"),
    "mlm": ("network marketing", "level marketing", "mlm", "downline", "be your own boss", "ネットワークビジネス",
            "マルチ", "連鎖販売"),
}
_TRIGGERS = {reason: literal_starts(words) for reason, words in _TRIGGER_WORDS.items()}
# The words every match of a rule's raising pattern starts with (lower case), so the pattern is
# tried only there (finditer_at) instead of at every character of a long description.
_START_WORDS = {
    "commission_only": ("commission", "100", "straight commission", "paid ", "no base ", "完全歩合", "フルコミッション",
                        "完全出来高"),
    "pay_to_start": ("purchase", "buy", "pay", "starter kit ", "registration", "enrollment", "enrolment", "joining",
                     "sign", "upfront ", "initial investment ", "登録料", "入会金", "研修費", "教材費", "初期費用",
                     "スターターキット"),
    "mlm": ("network marketing", "multi", "mlm", "downline", "be your own boss", "ネットワークビジネス", "マルチ",
            "連鎖販売"),
}
# Per rule: (group of its trigger words, group of its start words) in the field readers' one pass.
_GROUPS = {reason: (FIELD_LITERALS.add(_TRIGGER_WORDS[reason]), FIELD_LITERALS.add(_START_WORDS[reason]))
           for reason in _TRIGGER_WORDS}


def suspicious_reasons(text: str) -> list[str]:
    """The reasons a listing's title and description make it look dubious (see the module docstring)."""
    if not isinstance(text, str) or not text:
        return []
    folded = fold(text[:_MAX_TEXT])
    lowered = folded.lower()
    if not positions_line_up(folded, lowered):
        return _reasons_scanning_all(folded, lowered)
    positions = FIELD_LITERALS.positions(lowered)
    found = []
    for reason, raising, against in _RULES:
        triggers, starts = _GROUPS[reason]
        if not positions[triggers]:
            continue
        matches = finditer_at(raising, folded, positions[starts])
        if any(not _cancelled(folded, m.start(), m.end(), against) for m in matches):
            found.append(reason)
    return found


def _reasons_scanning_all(folded: str, lowered: str) -> list[str]:
    """The reasons for a text whose lower-case positions do not line up with it: each
    triggered pattern is run over the whole text."""
    found = []
    for reason, raising, against in _RULES:
        if _TRIGGERS[reason].search(lowered) is None:
            continue
        if any(not _cancelled(folded, m.start(), m.end(), against) for m in raising.finditer(folded)):
            found.append(reason)
    return found

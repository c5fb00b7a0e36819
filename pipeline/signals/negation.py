"""Negation scope: a supportive phrase said inside a negated clause speaks against its tag.

The tags' own against patterns catch the fixed negations (未経験不可, "no remote"). Listings
negate in many other ways: 在宅勤務制度はありません, 本求人は障害者雇用枠の対象外です, 時短での勤務は
できません, "we do not offer remote or hybrid arrangements", "remote candidates will not be
considered", "working from home is not possible". For the tags whose phrases name the support
itself (``negation_scope = true`` in pipeline/vocab/signals.toml), a raised phrase is turned into
evidence AGAINST the tag when a negation cue governs it in the same clause:

- Japanese negates at the end of the clause: a cue (ません, ない after a verb, 不可, 対象外, お断り,
  ご遠慮, ...) after the phrase and before the clause ends (。, 、, a line break);
- English negates before the phrase (not, no, cannot, unable to, do not offer ... within a few
  words) or after it (is not possible, will not be considered, are not accepted, ...).

Negations that say yes are not cues: 問題ありません, 構いません, 心配いりません, 問いません,
"not only", "no matter", "whether or not". Tags whose phrases carry their own negation
(no_experience_ok: 経験不問, "no experience needed") are not scoped.
"""

from __future__ import annotations

import re

from pipeline.signals.clauses import clause_end, clause_start

Found = tuple[str, bool, int, int]

_JA_ENDS = ("。", "、", "！", "？", "!", "?", "\n", ",")
_EN_ENDS = (".", ";", ":", "!", "?", "\n", ",", "(", ")", "—", " - ")
_EN_CONTRAST = re.compile(r"\b(?:but|however|although|though|while|whereas)\b")
_JA_REACH = 40
_EN_WORDS_BEFORE = 5

_JA_CUE = re.compile(
    r"ません|(?:でき|し|行わ|対応し|実施し|設け|用意し|受け付け|受付し|採用し|い|お|認め|行っ)(?:て(?:い|お))?ない"
    r"|不可(?!欠)|対象外|お断り|ご遠慮|できかね|いたしかね|ng\b|×|(?:こと|の)は(?:なく|ない)|難しい|困難|が(?:ない|なく)(?!な)"
)
# Negative forms that say yes (no problem, never mind, not asked): not cues.
_JA_YES = re.compile(
    r"(?:問題|心配|関係|必要|差し?支え|気|遠慮|不安)(?:は|も)?(?:あり|い|要り|いり|な|ござい)ません"
    r"|(?:構い|かまい|問い)ません|(?:問題|心配|関係|必要|不安|支障)(?:が|は|も)?な[いく]|(?:構わ|かまわ|問わ)ない"
)
_EN_CUE_BEFORE = re.compile(
    r"\b(?:not|no|never|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't|unable to|nor)\b"
    rf"(?P<gap>(?:\s+[\w'/-]+){{0,{_EN_WORDS_BEFORE - 1}}})\s*$"
)
_EN_YES_BEFORE = re.compile(r"\b(?:not only|not just|no matter|whether or not|no need to|not sure)\b")
_EN_CUE_AFTER = re.compile(
    r"^[\w'/-]*(?:\s+[\w'/-]+){0,4}?\s+(?:is|are|will|would|can|may|be)?\s*(?:not|n't|never)\s+(?:be\s+)?"
    r"(?:possible|available|offered|an option|considered|accepted|eligible|supported|provided|permitted|"
    r"allowed|part of|applicable|guaranteed)\b"
    r"|^[\w'/-]*(?:\s+[\w'/-]+){0,2}?\s+(?:isn't|aren't|won't be|cannot be|can't be)\b"
)


def _ja_negation_end(folded: str, end: int) -> int | None:
    """Where the negation of a phrase ending at ``end`` ends, or None when the clause does not negate it."""
    tail = folded[end:clause_end(folded, end, _JA_ENDS, _JA_REACH)]
    cue = _JA_CUE.search(tail)
    if cue is None or _JA_YES.search(tail, 0, min(len(tail), cue.end() + 2)):
        return None
    return end + cue.end()


def _en_negation(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """The span from a governing negation cue to the phrase (or from the phrase to the cue)."""
    head_start = clause_start(folded, start, _EN_ENDS, 80)
    head = folded[head_start:start]
    contrast = list(_EN_CONTRAST.finditer(head))
    if contrast:
        head_start += contrast[-1].end()
        head = folded[head_start:start]
    cue = _EN_CUE_BEFORE.search(head)
    if cue is not None and not _EN_YES_BEFORE.search(head[max(0, cue.start() - 8):]):
        return head_start + cue.start(), end
    tail = folded[end:clause_end(folded, end, _EN_ENDS, 80)]
    after = _EN_CUE_AFTER.search(tail)
    if after is not None:
        return start, end + after.end()
    return None


def negate_in_scope(found: list[Found], folded: str, lang: str, scoped: frozenset[str]) -> list[Found]:
    """``found`` with each raised phrase of a scoped tag that a clause negates turned into
    evidence against the tag, its span reaching the negation cue."""
    out: list[Found] = []
    for tag, against, start, end in found:
        if against or tag not in scoped:
            out.append((tag, against, start, end))
            continue
        if lang == "ja":
            negated_end = _ja_negation_end(folded, end)
            span = (start, negated_end) if negated_end is not None else None
        else:
            span = _en_negation(folded, start, end)
        out.append((tag, True, *span) if span is not None else (tag, False, start, end))
    return out

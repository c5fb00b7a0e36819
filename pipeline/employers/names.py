"""Employer names: one spelling per employer, so listings and registries can be joined.

The same employer is written many ways across sources: 株式会社スーパーナース, ㈱スーパーナース,
(株)スーパーナース, ＣＭＥコンサルティング株式会社 大阪支店, "PaperCut Software Inc.", "Careers at Libra
Group". Registry tags (awards, pledges) are attached to every listing of an employer, so the join key
must survive legal forms, full-width letters, spacing, case and punctuation, while the legal form
itself is kept as a known fact (it tells a 株式会社 from a 社会福祉法人 of the same name).

Three levels are offered:
- ``parse_employer_name`` -> the parts: display name, base name, legal forms found;
- ``normalize_employer_name`` -> a readable normalized form (casefolded, legal forms and noise
  removed, single spaces), the ``employer.normalized_name`` of a canonical listing;
- ``employer_key`` -> the join key (the normalized form without spaces).

Every function accepts anything (None, numbers, empty strings) and never raises: a name that is
missing or undisclosed gives an empty key, which never joins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

# Japanese legal forms (法人格), longest first so 医療法人社団 wins over 医療法人.
JA_LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        (
            "株式会社",
            "有限会社",
            "合同会社",
            "合名会社",
            "合資会社",
            "相互会社",
            "一般社団法人",
            "公益社団法人",
            "一般財団法人",
            "公益財団法人",
            "社団法人",
            "財団法人",
            "社会福祉法人",
            "社会医療法人社団",
            "社会医療法人財団",
            "社会医療法人",
            "特定医療法人",
            "医療法人社団",
            "医療法人財団",
            "医療法人",
            "特定非営利活動法人",
            "認定特定非営利活動法人",
            "認定NPO法人",
            "NPO法人",
            "学校法人",
            "宗教法人",
            "独立行政法人",
            "地方独立行政法人",
            "国立研究開発法人",
            "国立大学法人",
            "公立大学法人",
            "弁護士法人",
            "税理士法人",
            "有限責任監査法人",
            "監査法人",
            "司法書士法人",
            "行政書士法人",
            "社会保険労務士法人",
            "土地家屋調査士法人",
            "特許業務法人",
            "有限責任事業組合",
            "農事組合法人",
        ),
        key=len,
        reverse=True,
    )
)

# Bracketed abbreviations, as they look after NFKC (㈱ -> (株), （株） -> (株)).
JA_ABBREVIATIONS: dict[str, str] = {
    "株": "株式会社",
    "有": "有限会社",
    "同": "合同会社",
    "名": "合名会社",
    "資": "合資会社",
    "医": "医療法人",
    "医社": "医療法人社団",
    "医財": "医療法人財団",
    "社": "社団法人",
    "財": "財団法人",
    "一社": "一般社団法人",
    "公社": "公益社団法人",
    "一財": "一般財団法人",
    "公財": "公益財団法人",
    "福": "社会福祉法人",
    "社福": "社会福祉法人",
    "学": "学校法人",
    "宗": "宗教法人",
    "独": "独立行政法人",
    "特非": "特定非営利活動法人",
    "NPO": "特定非営利活動法人",
}
_ABBREV_RE = re.compile(r"\((" + "|".join(sorted(JA_ABBREVIATIONS, key=len, reverse=True)) + r")\)")
_JA_FORM_RE = re.compile("|".join(re.escape(f) for f in JA_LEGAL_FORMS))

# English and European legal forms, as token sequences after punctuation folding; stripped only at
# the end of a name (and repeatedly: "Co., Ltd.", "SE & Co. KG").
EN_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            ("co", "ltd"),
            ("company", "limited"),
            ("company", "ltd"),
            ("inc",),
            ("incorporated",),
            ("llc",),
            ("pllc",),
            ("ltd",),
            ("limited",),
            ("corp",),
            ("corporation",),
            ("co",),
            ("company",),
            ("gmbh",),
            ("gmbh", "and", "co", "kg"),
            ("se", "and", "co", "kg"),
            ("ag", "and", "co", "kg"),
            ("kg",),
            ("kgaa",),
            ("ag",),
            ("se",),
            ("plc",),
            ("llp",),
            ("lp",),
            ("lllp",),
            ("sa",),
            ("sas",),
            ("sarl",),
            ("bv",),
            ("nv",),
            ("pty", "ltd"),
            ("pty",),
            ("pte", "ltd"),
            ("kk",),
            ("gk",),
            ("spa",),
            ("srl",),
            ("oy",),
            ("oyj",),
            ("ab",),
            ("asa",),
            ("a", "s"),
            ("aps",),
            ("sdn", "bhd"),
            ("pbc",),
            ("ulc",),
        ),
        key=len,
        reverse=True,
    )
)

# Words around a name that say "this is a careers page", not who the employer is.
_EN_NOISE_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("careers", "at"),
    ("jobs", "at"),
    ("work", "at"),
    ("working", "at"),
    ("join",),
)
_EN_NOISE_SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("experienced", "hiring", "job", "board"),
    ("job", "board"),
    ("careers",),
    ("career", "site"),
    ("jobs",),
    ("recruiting",),
    ("recruitment",),
    ("hiring",),
)
_JA_NOISE_SUFFIX_RE = re.compile(
    r"[\s]*(?:採用情報|採用サイト|採用ページ|採用窓口|採用担当|新卒採用|中途採用)$"
)

# Country words that end the name of a national arm of a company ("Unilever USA").
_EN_REGION_SUFFIXES = frozenset({"usa", "us", "uk", "gb", "japan", "jp", "emea", "apac", "americas"})

# Names that are not names: a listing that hides its employer must not join anything.
_UNDISCLOSED_RE = re.compile(
    r"(公開していません|非公開|confidential|undisclosed|^not disclosed$|^n/?a$|^none$|^-+$)",
    re.IGNORECASE,
)

# Labels of composite strings such as "提供元：CME薬剤師, 企業名：CMEコンサルティング（…）".
_EMPLOYER_LABELS = (
    "企業名",
    "会社名",
    "法人名",
    "事業所名",
    "事業者名",
    "社名",
    "employer",
    "company",
    "hiring organization",
)
_LABEL_RE = re.compile(
    r"(?P<label>[^\s:：,、，;；|]{1,20})\s*[:：]\s*(?P<value>.*?)\s*(?=(?:[,、，;；|]\s*[^\s:：,、，;；|]{1,20}\s*[:：])|$)"
)

# Variant glyphs that name the same company (髙島屋 / 高島屋, 茅ヶ崎 / 茅ケ崎).
_GLYPH_FOLD = str.maketrans({"髙": "高", "﨑": "崎", "德": "徳", "ヶ": "ケ", "ヵ": "カ"})
_APOSTROPHES_RE = re.compile(r"['’‘`´]")
_INITIALISM_RE = re.compile(r"\b(?:[a-z]\.){2,}")
_BRACKETED_RE = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕)\s*")
_SPACE_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[\W_]+")  # punctuation, symbols and spaces (ー and 々 are word characters)
_BRANCH_RE = re.compile(r"(支社|支店|営業所|事業所|事業部|オフィス|工場|本社|本店|センター|部門|出張所|拠点)")
# Small kana as big kana in keys: older registrations could not use small kana (ユニテツク = ユニテック).
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ")
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class EmployerName:
    """The parts of an employer name.

    ``display`` is the cleaned original (NFKC, single spaces, abbreviations such as ㈱ expanded),
    ``base`` the normalized name without legal forms, ``legal_forms`` what was removed,
    ``variants`` shorter normalized names that plausibly name the same legal entity
    (the corporate part of "医療法人社団 隆靖会 墨田中央病院" is "隆靖会"). 株式会社ABC and
    ABC株式会社 are different registered names: ``ja_form_position`` tells them apart.
    """

    display: str
    base: str
    legal_forms: tuple[str, ...] = ()
    variants: tuple[str, ...] = field(default=())
    ja_form_position: str | None = None  # "prefix" (株式会社ABC, 前株) or "suffix" (ABC株式会社, 後株)
    branch: bool = False  # the name goes on to a branch or office (…名古屋支社, …大阪オフィス)


def _as_text(name: Any) -> str:
    """Whatever came in, as a string ("" for None and for things that are not names)."""
    if name is None:
        return ""
    if isinstance(name, str):
        return name
    if isinstance(name, bool):
        return ""
    if isinstance(name, float) and name != name:  # NaN from pandas
        return ""
    if isinstance(name, int | float):
        return str(int(name)) if float(name).is_integer() else str(name)
    if isinstance(name, bytes):
        return name.decode("utf-8", errors="replace")
    return str(name)


def _nfkc(text: str) -> str:
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text).translate(_GLYPH_FOLD)).strip()


def split_composite_name(name: Any) -> str:
    """The employer part of a composite string, else the string itself (trimmed).

    Some sites put several parties into ``hiringOrganization.name``, e.g.
    "提供元：CME薬剤師, 企業名：CMEコンサルティング（薬剤師専門・転職支援事業部）": the employer is the
    value labelled 企業名/会社名/事業所名/employer/company; the 提供元 (the board) is not.
    """
    text = _as_text(name).strip()
    if not text or not re.search(r"[:：]", text):
        return text
    for m in _LABEL_RE.finditer(text):
        label = unicodedata.normalize("NFKC", m.group("label")).strip().casefold()
        if label in _EMPLOYER_LABELS and m.group("value").strip():
            return m.group("value").strip()
    return text


def is_undisclosed(name: Any) -> bool:
    """True for placeholders such as 「事業所の意向により公開していません」 or "Confidential"."""
    text = _nfkc(_as_text(name))
    return not text or bool(_UNDISCLOSED_RE.search(text))


def _expand_abbreviations(text: str) -> str:
    return _ABBREV_RE.sub(lambda m: JA_ABBREVIATIONS[m.group(1)], text)


def _strip_latin_accents(text: str) -> str:
    """Nestlé -> Nestle, without touching Japanese voicing marks (ガ must not become カ)."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_latin(text: str) -> str:
    """Casefold; '&' -> 'and'; drop apostrophes and the dots of initialisms; other punctuation -> space."""
    text = _strip_latin_accents(text.casefold())
    text = _APOSTROPHES_RE.sub("", text)
    text = _INITIALISM_RE.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("&", " and ").replace("+", " and ")
    return _NON_WORD_RE.sub(" ", text).strip()


def _strip_sequences(
    tokens: list[str], sequences: tuple[tuple[str, ...], ...], at_end: bool
) -> tuple[list[str], list[str]]:
    """Remove any of ``sequences`` repeatedly from one end of ``tokens``; never empties the name."""
    removed: list[str] = []
    by_edge = _edge_index(sequences, at_end)
    while tokens:
        candidates = by_edge.get(tokens[-1] if at_end else tokens[0], ())
        for seq in candidates:  # longest first
            n = len(seq)
            if len(tokens) > n and tuple(tokens[-n:] if at_end else tokens[:n]) == seq:
                removed.append(" ".join(seq))
                tokens = tokens[:-n] if at_end else tokens[n:]
                break
        else:
            break
    return tokens, removed


@lru_cache(maxsize=16)
def _edge_index(
    sequences: tuple[tuple[str, ...], ...], at_end: bool
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Sequences grouped by the token at the end they are stripped from, longest first."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for seq in sequences:
        grouped.setdefault(seq[-1] if at_end else seq[0], []).append(seq)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()}


def _base_of(segment: str) -> tuple[str, list[str]]:
    """Normalized base of one name segment and the legal forms found in it."""
    forms = _JA_FORM_RE.findall(segment)
    rest = _JA_FORM_RE.sub(" ", segment)
    rest = _JA_NOISE_SUFFIX_RE.sub("", rest)
    tokens = _fold_latin(rest).split()
    tokens, noise = _strip_sequences(tokens, _EN_NOISE_PREFIXES, at_end=False)
    tokens, _ = _strip_sequences(tokens, _EN_NOISE_SUFFIXES, at_end=True)
    tokens, en_forms = _strip_sequences(tokens, EN_LEGAL_FORMS, at_end=True)
    tokens, _ = _strip_sequences(tokens, _EN_NOISE_SUFFIXES, at_end=True)
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    forms.extend(reversed(en_forms))
    del noise
    return " ".join(tokens), forms


def parse_employer_name(name: Any) -> EmployerName:
    """Split a raw employer name into display form, normalized base, legal forms and variants.

    Results for string names are cached: a batch of listings repeats the same employers many times.
    """
    if isinstance(name, str):
        return _parse_cached(name)
    return _parse(name)


@lru_cache(maxsize=262_144)
def _parse_cached(name: str) -> EmployerName:
    return _parse(name)


def _parse(name: Any) -> EmployerName:
    raw = split_composite_name(name)
    folded = _nfkc(raw)
    if not folded or _UNDISCLOSED_RE.search(folded):
        return EmployerName(display="", base="")
    display = _expand_abbreviations(folded)
    unbracketed = _BRACKETED_RE.sub(" ", display).strip() or display
    base, forms = _base_of(unbracketed)
    if not base:  # a name that is only a legal form or only brackets: keep what there is
        base = _fold_latin(display)
    variants: list[str] = []
    tokens = base.split(" ")
    if len(tokens) > 1 and tokens[-1] in _EN_REGION_SUFFIXES:
        # "Unilever USA", "Google Japan": the same employer as its parent name, less certainly.
        variants.append(" ".join(tokens[:-1]))
    position: str | None = None
    branch = False
    if forms and _CJK_RE.search(unbracketed):
        segments = unbracketed.split(" ")
        for i, seg in enumerate(segments):
            found = _JA_FORM_RE.search(seg)
            if not found:
                continue
            core = _JA_FORM_RE.sub("", seg).strip()
            entity = [i]
            if not core and i + 1 < len(segments):
                core = segments[i + 1]
                entity.append(i + 1)
            if found.start() == 0:
                position = "prefix"
            elif found.end() == len(seg):
                position = "suffix"
            # "医療法人社団 隆靖会 墨田中央病院", "株式会社ルトラ 大阪オフィス": the segment that carries the
            # legal form is the legal entity, and the Japanese words after it name a facility or a
            # branch. ("株式会社ＣＡＲＴＡ ＨＯＬＤＩＮＧＳ" is one name: its other words are not Japanese.)
            rest = " ".join(s for j, s in enumerate(segments) if j not in entity)
            if rest and _CJK_RE.search(rest):
                variant, _ = _base_of(core)
                if variant and variant != base and len(variant.replace(" ", "")) >= 2:
                    variants.append(variant)
                    branch = bool(_BRANCH_RE.search(rest))
            break
    return EmployerName(
        display=display,
        base=base,
        legal_forms=tuple(forms),
        variants=tuple(variants),
        ja_form_position=position,
        branch=branch,
    )


def normalize_employer_name(name: Any) -> str:
    """The normalized employer name: legal forms and careers-page noise removed, casefolded.

    "株式会社スーパーナース", "㈱スーパーナース" and "(株)スーパーナース" all give "スーパーナース";
    "PaperCut Software Inc." gives "papercut software"; "ＡＢＣ" gives "abc".
    """
    return parse_employer_name(name).base


def key_from_normalized(normalized: str) -> str:
    """The join key of an already normalized name (spaces carry no meaning in a name)."""
    return normalized.replace(" ", "").translate(_SMALL_KANA)


def employer_key(name: Any) -> str:
    """The join key: the normalized name without spaces ("" for missing or undisclosed names)."""
    return key_from_normalized(normalize_employer_name(name))


def employer_key_variants(name: Any) -> tuple[str, ...]:
    """The key followed by the keys of shorter variants (see ``EmployerName.variants``)."""
    parsed = parse_employer_name(name)
    keys = [key_from_normalized(parsed.base)] if parsed.base else []
    for v in parsed.variants:
        k = key_from_normalized(v)
        if k and k not in keys:
            keys.append(k)
    return tuple(keys)


def legal_forms(name: Any) -> tuple[str, ...]:
    """The legal forms written in a name, canonical Japanese forms expanded (㈱ -> 株式会社)."""
    return parse_employer_name(name).legal_forms


def normalize_corporate_number(value: Any) -> str | None:
    """A 法人番号 as 13 digits, zero-padded (spreadsheets drop leading zeros), or None.

    Accepts ints, floats written by Excel (1.0e12), full-width digits, hyphens and spaces.
    Does not check the check digit: see ``is_valid_corporate_number``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value or not value.is_integer() or value < 0:
            return None
        value = int(value)
    if isinstance(value, int) and value < 0:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.startswith(("-", "+")):
        return None
    text = re.sub(r"[\s\-‐－ー_]", "", text)
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not 1 <= len(text) <= 13 or set(text) == {"0"}:
        return None
    return text.zfill(13)


def is_valid_corporate_number(value: Any) -> bool:
    """True when the 法人番号's first digit is the check digit of the other twelve (NTA rule)."""
    number = normalize_corporate_number(value)
    if number is None:
        return False
    digits = [int(c) for c in number]
    total = sum(d * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(digits[1:])))
    return digits[0] == 9 - total % 9

"""Match employer names of listings to registry records, with a confidence for every match.

A registry tag (an award, a pledge) is attached to every listing of the employer it names, so a
wrong match puts a false promise in front of a person. Matching therefore goes from certain to
uncertain and says which step found each match:

1. ``corporate_number`` — the 法人番号 is the same: certain.
2. ``name_address`` — the normalized name is the same and the listing is in the registry row's
   prefecture.
3. ``exact_name`` — the normalized name is the same, nothing else is known.
4. ``name_variant`` — a shorter form of one name is the other ("医療法人社団 隆靖会 墨田中央病院" ->
   隆靖会, "Unilever USA" -> Unilever).
5. ``fuzzy`` — character n-gram TF-IDF cosine similarity above a threshold, for the names that no
   dictionary lookup found (one sparse matrix product per batch).

Names are not identities: hundreds of Japanese companies are called 株式会社サービス or
株式会社アクア. A name that is generic (a business word, two characters or fewer) or that the
registry itself gives to more than one company is *ambiguous*: alone it gets a low confidence
(below the default threshold of ``registry_signals``), and it needs the prefecture to agree.
Contradicting facts lower a confidence: another 法人番号, another prefecture, another country,
another Japanese legal form (社会福祉法人 vs 株式会社).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pipeline.canonical import Signal
from pipeline.employers.names import (
    JA_LEGAL_FORMS,
    key_from_normalized,
    normalize_corporate_number,
    parse_employer_name,
)
from pipeline.employers.records import REGISTRIES_TOML, RegistryRecord, prefecture_of

# --- the confidence policy, in one place -------------------------------------------------------
CONF_CORPORATE_NUMBER = 1.0  # same 法人番号: the same legal entity
CONF_NAME_ADDRESS = 0.97  # same normalized name, same prefecture
CONF_EXACT_NAME = 0.9  # same normalized name, no address to check
CONF_VARIANT = 0.75  # one name is a shorter form of the other
CONF_VARIANT_ADDRESS = 0.85  # ... and the prefecture agrees
CONF_AMBIGUOUS = 0.35  # generic or shared name with nothing else: below the signal threshold
CONF_AMBIGUOUS_ADDRESS = 0.8  # generic or shared name, prefecture agrees
# Fuzzy confidence grows linearly from FUZZY_LOW at the threshold to FUZZY_HIGH at similarity 1.0.
# It stays below DEFAULT_SIGNAL_CONFIDENCE on purpose: on the labelled sample every fuzzy candidate
# was a different company (株式会社アテック vs 株式会社アテックス, ユニテツク vs ユニテックス), so a
# fuzzy match is a candidate for review, and raises a tag only if the prefecture agrees as well.
FUZZY_LOW, FUZZY_HIGH = 0.3, 0.55
FUZZY_ADDRESS_BONUS = 0.1  # fuzzy name, prefecture agrees
FACTOR_PREFECTURE_DIFFERS = 0.75  # head offices list jobs in other prefectures: a doubt, not a no
FACTOR_AMBIGUOUS_PREFECTURE_DIFFERS = 0.4  # a shared name in another prefecture: most likely not it
FACTOR_COUNTRY_DIFFERS = 0.6  # e.g. a US pledge and a listing in Japan of a company of that name
FACTOR_CORPORATE_NUMBER_DIFFERS = 0.1  # both numbers known and different: another company
FACTOR_LEGAL_FORM_DIFFERS = 0.5  # 社会福祉法人若竹会 is not 株式会社若竹会
FACTOR_FORM_POSITION_DIFFERS = 0.6  # 株式会社サンテック and サンテック株式会社 are two registered names
FACTOR_LATIN_NAME_JP_RECORD = (
    0.6  # "Updater" (a US board) vs 株式会社ＵＰＤＡＴＥＲ: unless the listing is in JP
)
DEFAULT_FUZZY_THRESHOLD = 0.82  # cosine similarity; chosen on the labelled sample (docs/employers.md)
DEFAULT_MIN_CONFIDENCE = 0.3  # matches below this are not returned at all
DEFAULT_SIGNAL_CONFIDENCE = 0.6  # registry_signals keeps matches at or above this
FUZZY_MIN_KEY_LENGTH = 4  # shorter keys are too easily similar to something
FUZZY_MIN_LENGTH_RATIO = 0.7  # the shorter key must be at least this share of the longer one
FUZZY_BATCH = 4096  # rows per sparse product: bounds memory on big batches

METHODS = ("corporate_number", "name_address", "exact_name", "name_variant", "fuzzy")
_JA_FORMS = frozenset(JA_LEGAL_FORMS)
_JA_SCRIPT_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _load_generic_names() -> frozenset[str]:
    try:
        data = tomllib.loads(REGISTRIES_TOML.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset()
    words = data.get("matching", {}).get("generic_names", [])
    return frozenset(key_from_normalized(parse_employer_name(w).base) for w in words if isinstance(w, str))


GENERIC_NAMES = _load_generic_names()


def _grams(key: str) -> set[str]:
    """Character 2- and 3-grams of a key (a set: in a name, a repeated n-gram adds little)."""
    grams = {key[i : i + 2] for i in range(len(key) - 1)}
    grams.update(key[i : i + 3] for i in range(len(key) - 2))
    return grams


class _NgramTfidf:
    """Character n-gram TF-IDF vectors, L2-normalized, with IDF fitted on the registry keys.

    Unlike a vectorizer that drops n-grams it has not seen, unseen n-grams of a query still count
    in its norm (with the largest IDF): "Teza Technologies" shares only "technologies" with
    株式会社ＧＡ ｔｅｃｈｎｏｌｏｇｉｅｓ, and its similarity must say so. The Python loop only
    collects n-gram ids; weights and norms are computed by numpy for the whole batch.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        df: Counter[str] = Counter()
        for key in keys:
            df.update(_grams(key))
        n = len(keys)
        self.vocab = {g: i for i, g in enumerate(df)}
        self.idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in df], dtype=np.float64)
        self.unseen_idf = math.log(1 + n) + 1.0

    def matrix(self, keys: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix

        get = self.vocab.get
        indices: list[int] = []
        known_counts: list[int] = []
        unseen_counts: list[int] = []
        for key in keys:
            grams = _grams(key)
            ids = [j for j in map(get, grams) if j is not None]
            indices.extend(ids)
            known_counts.append(len(ids))
            unseen_counts.append(len(grams) - len(ids))
        idx = np.asarray(indices, dtype=np.int32)
        counts = np.asarray(known_counts, dtype=np.int64)
        weights = self.idf[idx]
        row_of = np.repeat(np.arange(len(keys)), counts)
        norm2 = np.bincount(row_of, weights=weights * weights, minlength=len(keys)).astype(np.float64)
        norm2 += np.maximum(np.asarray(unseen_counts, dtype=np.float64), 0.0) * self.unseen_idf**2
        scale = np.divide(1.0, np.sqrt(norm2), out=np.zeros_like(norm2), where=norm2 > 0)
        data = (weights * scale[row_of]).astype(np.float32)
        indptr = np.concatenate(([0], np.cumsum(counts)))
        return csr_matrix((data, idx, indptr), shape=(len(keys), len(self.vocab)))


@dataclass(frozen=True)
class Match:
    """One registry record matched to one employer name."""

    record: RegistryRecord
    confidence: float
    method: str  # one of METHODS
    similarity: float = 1.0  # name similarity (1.0 for dictionary matches)
    notes: tuple[str, ...] = field(default=())  # what raised or lowered the confidence


@dataclass(frozen=True)
class _Query:
    key: str
    variants: tuple[str, ...]
    ja_forms: frozenset[str]
    ja_form_position: str | None
    branch: bool
    latin_only: bool  # no Japanese script and no Japanese legal form in the name
    corporate_number: str | None
    prefecture: str | None
    country: str | None


def _country(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    aliases = {"JPN": "JP", "JAPAN": "JP", "日本": "JP", "USA": "US", "UNITED STATES": "US", "UK": "GB"}
    text = aliases.get(text, text)
    return text if len(text) == 2 and text.isalpha() else None


def _prefecture(value: Any) -> str | None:
    try:
        return prefecture_of(value)
    except Exception:  # an address of an unexpected type is simply no address
        return None


def _make_query(name: Any, corporate_number: Any, address: Any, country: Any) -> _Query:
    parsed = parse_employer_name(name)
    key = key_from_normalized(parsed.base)
    variants = tuple(k for k in (key_from_normalized(v) for v in parsed.variants) if k and k != key)
    return _Query(
        key=key,
        variants=variants,
        ja_forms=frozenset(f for f in parsed.legal_forms if f in _JA_FORMS),
        ja_form_position=parsed.ja_form_position,
        branch=parsed.branch,
        latin_only=bool(key) and not _JA_SCRIPT_RE.search(parsed.display),
        corporate_number=normalize_corporate_number(corporate_number),
        prefecture=_prefecture(address),
        country=_country(country),
    )


class RegistryIndex:
    """Registry records indexed for matching: build once, match many names.

    ``from_records`` builds dictionaries (法人番号, normalized key, variant keys) and a character
    n-gram TF-IDF matrix of the distinct keys. ``match`` answers one name; ``match_many`` answers a
    batch, doing dictionary lookups first and one vectorized fuzzy pass for what is left.
    """

    def __init__(
        self,
        records: Sequence[RegistryRecord],
        *,
        fuzzy_threshold: float = DEFAULT_FUZZY_THRESHOLD,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        generic_names: Iterable[str] | None = None,
    ) -> None:
        self.records: list[RegistryRecord] = list(records)
        self.fuzzy_threshold = float(fuzzy_threshold)
        self.min_confidence = float(min_confidence)
        self.generic_names = frozenset(generic_names) if generic_names is not None else GENERIC_NAMES
        self._by_number: dict[str, list[int]] = defaultdict(list)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_variant: dict[str, list[int]] = defaultdict(list)
        self._entities_by_key: dict[str, set[str]] = defaultdict(set)
        self._record_forms: list[frozenset[str]] = []
        self._record_positions: list[str | None] = []
        for i, rec in enumerate(self.records):
            parsed = parse_employer_name(rec.get("employer_name"))
            key = key_from_normalized(parsed.base)
            self._record_forms.append(frozenset(f for f in parsed.legal_forms if f in _JA_FORMS))
            self._record_positions.append(parsed.ja_form_position)
            number = normalize_corporate_number(rec.get("corporate_number"))
            if number:
                self._by_number[number].append(i)
            if not key:
                continue
            self._by_key[key].append(i)
            self._entities_by_key[key].add(number or f"{rec.get('country') or ''}:{key}")
            for v in parsed.variants:
                vk = key_from_normalized(v)
                if vk and vk != key:
                    self._by_variant[vk].append(i)
        self._keys: list[str] = sorted(k for k in self._by_key if len(k) >= FUZZY_MIN_KEY_LENGTH)
        self._ngrams = _NgramTfidf(self._keys) if self._keys else None
        self._matrix: Any = self._ngrams.matrix(self._keys).T.tocsr() if self._ngrams else None

    @classmethod
    def from_records(cls, records: Iterable[RegistryRecord], **options: Any) -> RegistryIndex:
        """Build the index from registry records (see pipeline.employers.records)."""
        return cls(list(records), **options)

    def __len__(self) -> int:
        return len(self.records)

    # --- public matching ------------------------------------------------------------------------
    def match(
        self,
        name: Any,
        corporate_number: Any = None,
        address: Any = None,
        country: Any = None,
    ) -> list[Match]:
        """Registry records for one employer, best first; [] when nothing reaches min_confidence."""
        return self.match_many([name], [corporate_number], [address], [country])[0]

    def match_many(
        self,
        names: Sequence[Any],
        corporate_numbers: Sequence[Any] | None = None,
        addresses: Sequence[Any] | None = None,
        countries: Sequence[Any] | None = None,
    ) -> list[list[Match]]:
        """``match`` for a batch: one result list per name, in order."""
        n = len(names)

        def column(values: Sequence[Any] | None, label: str) -> Sequence[Any]:
            if values is None:
                return [None] * n
            if len(values) != n:
                raise ValueError(f"match_many: {label} has {len(values)} items for {n} names")
            return values

        numbers = column(corporate_numbers, "corporate_numbers")
        addrs = column(addresses, "addresses")
        ctrs = column(countries, "countries")
        # A batch of listings names the same employers again and again: answer each distinct
        # (name, 法人番号, address, country) once, then hand the answer to every row that asked it.
        slot_of: dict[Any, int] = {}
        row_slot: list[int] = []
        queries: list[_Query] = []
        for i in range(n):
            raw: tuple[Any, ...] | None = (names[i], numbers[i], addrs[i], ctrs[i])
            try:
                slot = slot_of.get(raw)
            except TypeError:  # unhashable input (a list as a name): answer it on its own
                slot, raw = None, None
            if slot is None:
                slot = len(queries)
                queries.append(_make_query(*(names[i], numbers[i], addrs[i], ctrs[i])))
                if raw is not None:
                    slot_of[raw] = slot
            row_slot.append(slot)
        answers: list[list[Match]] = [[] for _ in queries]
        leftovers: list[int] = []
        for j, q in enumerate(queries):
            found = self._lookup(q)
            if found:
                answers[j] = found
            elif len(q.key) >= FUZZY_MIN_KEY_LENGTH:
                leftovers.append(j)
        if leftovers and self._matrix is not None:
            self._fuzzy(queries, leftovers, answers)
        finished = [self._finish(a) for a in answers]
        return [list(finished[slot]) for slot in row_slot]

    # --- internals -------------------------------------------------------------------------------
    def is_ambiguous(self, key: str) -> bool:
        """A name that alone does not identify one employer."""
        if not key:
            return True
        return len(key) <= 2 or key in self.generic_names or len(self._entities_by_key.get(key, ())) > 1

    def _lookup(self, q: _Query) -> list[Match]:
        found: dict[int, Match] = {}
        if q.corporate_number:
            for i in self._by_number.get(q.corporate_number, ()):
                found[i] = Match(self.records[i], CONF_CORPORATE_NUMBER, "corporate_number")
        if q.key:
            for i in self._by_key.get(q.key, ()):
                if i not in found:
                    found[i] = self._score(i, q, "exact_name", 1.0, self.is_ambiguous(q.key))
            for i in self._by_variant.get(q.key, ()):
                if i not in found:
                    found[i] = self._score(i, q, "name_variant", 1.0, self.is_ambiguous(q.key))
        for vk in q.variants:
            for i in self._by_key.get(vk, ()):
                if i not in found:
                    found[i] = self._score(i, q, "name_variant", 1.0, self.is_ambiguous(vk))
        return list(found.values())

    def _score(self, i: int, q: _Query, method: str, similarity: float, ambiguous: bool) -> Match:
        rec = self.records[i]
        notes: list[str] = []
        rec_pref = rec.get("prefecture")
        agrees = bool(q.prefecture and rec_pref and q.prefecture == rec_pref)
        differs = bool(q.prefecture and rec_pref and q.prefecture != rec_pref)
        if method == "exact_name":
            if ambiguous:
                conf = CONF_AMBIGUOUS_ADDRESS if agrees else CONF_AMBIGUOUS
                notes.append("generic or shared name")
            else:
                conf = CONF_NAME_ADDRESS if agrees else CONF_EXACT_NAME
            if agrees:
                method = "name_address"
        elif method == "name_variant":
            if ambiguous:
                conf = CONF_AMBIGUOUS_ADDRESS * CONF_VARIANT if agrees else CONF_AMBIGUOUS * CONF_VARIANT
                notes.append("generic or shared name")
            else:
                conf = CONF_VARIANT_ADDRESS if agrees else CONF_VARIANT
        else:  # fuzzy
            span = max(1e-9, 1.0 - self.fuzzy_threshold)
            conf = FUZZY_LOW + (FUZZY_HIGH - FUZZY_LOW) * min(1.0, (similarity - self.fuzzy_threshold) / span)
            if agrees:
                conf += FUZZY_ADDRESS_BONUS
        if agrees:
            notes.append(f"same prefecture {rec_pref}")
        if differs and q.branch:
            notes.append(f"branch of an employer in {rec_pref}")
        elif differs:
            conf *= FACTOR_AMBIGUOUS_PREFECTURE_DIFFERS if ambiguous else FACTOR_PREFECTURE_DIFFERS
            notes.append(f"prefecture differs ({q.prefecture} vs {rec_pref})")
        rec_country = _country(rec.get("country"))
        if q.country and rec_country and q.country != rec_country:
            conf *= FACTOR_COUNTRY_DIFFERS
            notes.append(f"country differs ({q.country} vs {rec_country})")
        rec_number = normalize_corporate_number(rec.get("corporate_number"))
        if q.corporate_number and rec_number and q.corporate_number != rec_number:
            conf *= FACTOR_CORPORATE_NUMBER_DIFFERS
            notes.append("法人番号 differs")
        rec_forms = self._record_forms[i]
        if q.ja_forms and rec_forms and not (q.ja_forms & rec_forms):
            conf *= FACTOR_LEGAL_FORM_DIFFERS
            notes.append("legal form differs")
        elif (
            q.ja_form_position
            and self._record_positions[i]
            and q.ja_form_position != self._record_positions[i]
        ):
            conf *= FACTOR_FORM_POSITION_DIFFERS
            notes.append("legal form on the other side (前株/後株)")
        if q.latin_only and rec_forms and q.country != "JP":
            conf *= FACTOR_LATIN_NAME_JP_RECORD
            notes.append("name in Latin letters, registry row is a Japanese legal entity")
        return Match(rec, round(min(conf, 1.0), 4), method, round(similarity, 4), tuple(notes))

    def _fuzzy(self, queries: list[_Query], rows: list[int], results: list[list[Match]]) -> None:
        for start in range(0, len(rows), FUZZY_BATCH):
            chunk = rows[start : start + FUZZY_BATCH]
            assert self._ngrams is not None
            q_matrix = self._ngrams.matrix([queries[i].key for i in chunk])
            sims = (q_matrix @ self._matrix).tocsr()
            for row_pos, qi in enumerate(chunk):
                lo, hi = sims.indptr[row_pos], sims.indptr[row_pos + 1]
                if lo == hi:
                    continue
                data = sims.data[lo:hi]
                best = int(np.argmax(data))
                similarity = float(data[best])
                if similarity < self.fuzzy_threshold:
                    continue
                key = self._keys[int(sims.indices[lo + best])]
                q_len, k_len = len(queries[qi].key), len(key)
                if min(q_len, k_len) / max(q_len, k_len) < FUZZY_MIN_LENGTH_RATIO:
                    continue  # "Targetbase" is not "Target": similar n-grams, different name
                if key[0] != queries[qi].key[0]:
                    continue  # 三重電子計算センター is not 四国電子計算センター: the starts differ
                ambiguous = self.is_ambiguous(key) or self.is_ambiguous(queries[qi].key)
                if ambiguous:
                    continue  # a generic name that only looks like another: never a match
                results[qi] = [
                    self._score(i, queries[qi], "fuzzy", similarity, False) for i in self._by_key[key]
                ]

    def _finish(self, matches: list[Match]) -> list[Match]:
        kept = [m for m in matches if m.confidence >= self.min_confidence]
        kept.sort(key=lambda m: (-m.confidence, METHODS.index(m.method), m.record.get("tag", "")))
        return kept


def registry_signals(
    matches: Iterable[Match], min_confidence: float = DEFAULT_SIGNAL_CONFIDENCE
) -> list[Signal]:
    """Employer tags as canonical Signals, one per tag (the most confident, then the latest row).

    The evidence is the registry row summary followed by how the match was made, e.g.
    "gBizINFO 表彰: 障害者雇用優良事業所の大臣表彰－表彰 (2019, 株式会社…, 法人番号 …)
    [match: name_address, confidence 0.97]", so a person can see both what the registry says and
    how sure the join is.
    """
    best: dict[str, Match] = {}
    for m in matches:
        if not isinstance(m, Match) or m.confidence < min_confidence:
            continue
        tag = m.record.get("tag")
        if not tag:
            continue
        current = best.get(tag)
        rank = (m.confidence, str(m.record.get("as_of") or ""))
        if current is None or rank > (current.confidence, str(current.record.get("as_of") or "")):
            best[tag] = m
    signals: list[Signal] = []
    for tag, m in sorted(best.items(), key=lambda kv: (-kv[1].confidence, kv[0])):
        evidence = f"{m.record.get('evidence') or m.record.get('employer_name')} " + (
            f"[match: {m.method}, confidence {m.confidence:.2f}]"
        )
        signals.append({"tag": tag, "evidence": evidence, "source": "registry"})
    return signals


__all__ = [
    "METHODS",
    "Match",
    "RegistryIndex",
    "registry_signals",
]

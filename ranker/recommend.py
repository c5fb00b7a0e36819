"""Rank a snapshot's listings for one aptitude profile, with the reasons for each result.

Order of work:
1. open listings only (never closed or expired), minus those the person dismissed, and minus
   commission-only, pay-to-start and MLM listings unless the person asked for sales work
   (ranker.suspicious);
2. hard constraints, one mask each (ranker.filters);
3. relevance: character n-gram TF-IDF and sentence embeddings fused by reciprocal rank;
4. score = relevance + aptitude fit (RIASEC congruence with the listing's occupation)
   + the share of the person's needs the listing meets + its supportiveness
   + resemblance to listings the person saved or applied to
   - how far the listing's level or stated years lie above the person's (only when the
   profile states its experience; ranker.experience);
5. diversity: at most two listings per employer and per title on a page while others are
   available, and near-identical ads pushed apart (maximal marginal relevance);
6. sensitive needs (health, disability) only add: a listing meeting them may take a place on
   the page only from a listing that meets no more of the person's other needs (see
   ``_swap_in_sensitive``), so disclosing them can never lower what the page offers for the
   other needs;
7. a relevance floor on the cosines: a listing far from what the person asked for is never a
   recommendation, at most a nearest match that misses "relevance";
8. when the constraints and the floor leave fewer than k listings, the page says so (a
   ``few_fit`` notice in the profile's language, ranker.notice), is filled with the nearest
   matches, each marked with what it misses, and names the narrowest constraint to widen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from pipeline.text.language import detect_language
from ranker.aptitude import fit_scores
from ranker.experience import experience_penalty
from ranker.explain import explain
from ranker.feedback import FEEDBACK_WEIGHT, FeedbackSignals, boost_from_similarity
from ranker.filters import ConstraintResult, evaluate
from ranker.fusion import FusedRelevance
from ranker.language_fit import language_penalty
from ranker.notice import Notice, few_fit_notice, page_language, unconfirmed_notice
from ranker.profile import SENSITIVE_NEEDS, AptitudeProfile
from ranker.query_vectors import TextEncoder
from ranker.serving_index import ServingIndex
from ranker.support.beside import PageSupport, page_support
from ranker.suspicious import asks_for_sales
from ranker.wording import Language, Names, language_of, say

# The score is a weighted sum of parts in [0, 1]. Relevance leads (a job the person can do and
# wants), needs follow (a place that lowers their barriers), then interest fit and general
# supportiveness.
WEIGHTS = {"relevance": 0.5, "needs": 0.2, "aptitude": 0.15, "supportiveness": 0.1}
REMOTE_PREFERRED_BONUS = 0.05
# What meeting every sensitive need adds when a listing competes for a place on the page.
SENSITIVE_WEIGHT = 0.2
MAX_PER_EMPLOYER = 2
MAX_PER_TITLE = 2
# Cosine above which two listings are treated as near copies (a re-posted or templated ad;
# related but different jobs sit around 0.6-0.8 with MiniLM), and the most they lose for it.
NEAR_COPY_FROM = 0.9
NEAR_COPY_PENALTY = 0.1
# The relevance floor: below it a listing is not a recommendation, at most a nearest match that
# "misses" relevance. Fused relevance is rank-based (a corpus's best listing scores ~1 however
# unrelated), so the floor is on the cosines. Without the dense side (Japanese profiles, no
# vectors) the character n-gram cosine must reach LEXICAL_FLOOR; with it, the MiniLM cosine
# must reach DENSE_FLOOR, or both reach the lower pair (English n-grams are shared by unrelated
# words: "Autopilot" for "Airline pilot"). Figures: docs/ranker.md, "Relevance floor".
LEXICAL_FLOOR = 0.1
DENSE_FLOOR = 0.4
LEXICAL_FLOOR_WITH_DENSE = 0.3
DENSE_SUPPORT = 0.3
# Each ranking is sorted down to this rank; deeper listings get bounds and are resolved
# exactly only when they could reach the page (ranker.fusion.FusedRelevance).
FUSION_DEPTH = 2_000
# Nearest matches are ordered by how many constraints they miss first (larger than any score),
# and within a group, listings that leave a constraint unstated come after those that state and
# meet every one (smaller than a miss, larger than any score).
_MISS_STEP = 10.0
_UNKNOWN_STEP = 5.0


@dataclass
class Recommendation:
    listing: dict[str, Any]
    score: float
    parts: dict[str, float]
    reasons: list[dict[str, str]]
    misses: list[str] = field(default_factory=list)


@dataclass
class RecommendationPage:
    results: list[Recommendation]
    candidates: int  # open listings considered
    matching: int  # of those, how many pass every constraint (stated and met, or not stated)
    confirmed: int = 0  # of those, how many state and meet every constraint
    narrowest_constraint: str | None = None
    narrowest_adds: int = 0  # listings that removing the narrowest constraint would add
    notes: list[str] = field(default_factory=list)  # in the page's language
    snapshot_version: str = ""
    notice: Notice | None = None
    language: Language = "en"  # the page's language: notes, reasons and the text page are said in it
    # Support near a home in Japan beside the results, and the commute to each (None: no home in Japan).
    support: PageSupport | None = None


def query_vector_for(profile: AptitudeProfile, embedder: TextEncoder | None) -> np.ndarray | None:
    """The profile's query embedding (what a stored profile caches)."""
    if embedder is None:
        return None
    return embedder.encode([profile.query_text()])[0]


_blas: ThreadpoolController | None = None
_blas_lock = threading.Lock()


def _blas_controller() -> ThreadpoolController:
    """One controller per process: building one scans every loaded library (/proc/self/maps),
    which costs ~8 ms once torch is loaded, far more than the product it limits."""
    global _blas
    with _blas_lock:
        if _blas is None:
            _blas = ThreadpoolController()
        return _blas


def _matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """One exact matrix-vector product on one BLAS thread: requests run side by side, and a
    two-thread product of a 150 MB matrix on a busy 2-core machine is slower, not faster."""
    with _blas_controller().limit(limits=1):
        return matrix @ vector.astype(np.float32, copy=False)


@dataclass
class RelevanceInputs:
    """The part of a request that depends only on the profile and the snapshot (cached for
    stored profiles): lexical and dense cosine with every listing, and their reciprocal rank
    fusion, with ranks taken over the whole snapshot (exact wherever a page looks; see
    ranker.fusion.FusedRelevance)."""

    lexical: np.ndarray
    dense: np.ndarray | None
    fusion: FusedRelevance

    @property
    def fused(self) -> np.ndarray:
        """The exact fused relevance of every listing (resolves all of it)."""
        return self.fusion.exact()


def dense_applies(profile: AptitudeProfile) -> bool:
    language = profile.language or detect_language(profile.query_text())
    return language != "ja"


def relevance_inputs(
    index: ServingIndex, profile: AptitudeProfile, query_vector: np.ndarray | None, embedder: TextEncoder | None,
    depth: int | None = FUSION_DEPTH,
) -> RelevanceInputs:
    """Lexical and dense similarity with every listing and their fusion. ``depth=None`` sorts
    every listing (exact fusion computed up front); otherwise only the head of each ranking is
    sorted and the rest resolved on demand, with the same pages (ranker.fusion)."""
    query = profile.query_text()
    lexical = index.lexical.scores(query)
    dense = None
    # The bi-encoder (all-MiniLM-L6-v2 by default) is English-only: on Japanese text its
    # similarities are noise, so a Japanese profile is ranked by the character n-grams alone.
    if index.vectors is not None and dense_applies(profile):
        if query_vector is None:
            query_vector = query_vector_for(profile, embedder)
        if query_vector is not None:
            dense = _matvec(index.vectors, query_vector)
    fusion = FusedRelevance([lexical, dense] if dense is not None else [lexical], depth=depth)
    return RelevanceInputs(lexical, dense, fusion)


def feedback_boost(index: ServingIndex, feedback: FeedbackSignals) -> np.ndarray | None:
    """Per-listing boost in [0, 1] from resemblance to saved/applied listings (None without any)."""
    if index.vectors is None:
        return None
    centroid = feedback.centroid()
    if centroid is None or centroid.shape[0] != index.vectors.shape[1]:
        return None
    return boost_from_similarity(_matvec(index.vectors, centroid))


def _narrowest(open_mask: np.ndarray, constraints: list[ConstraintResult]) -> tuple[str | None, int]:
    """The constraint that, alone, excludes the most listings that meet all the others (those are
    the listings removing it would add), and how many it excludes."""
    best, best_count = None, 0
    for c in constraints:
        others = open_mask.copy()
        for other in constraints:
            if other is not c:
                others &= other.passes
        excluded = int((others & ~c.passes).sum())
        if excluded > best_count:
            best, best_count = c.name, excluded
    return best, best_count


def above_floor(scores: RelevanceInputs) -> np.ndarray:
    """Listings close enough to what the person asked for to be recommended (the relevance floor)."""
    if scores.dense is None:
        return scores.lexical >= LEXICAL_FLOOR
    both = (scores.lexical >= LEXICAL_FLOOR_WITH_DENSE) & (scores.dense >= DENSE_SUPPORT)
    return (scores.dense >= DENSE_FLOOR) | both


def _need_share(index: ServingIndex, needs: list[str], cand: np.ndarray) -> np.ndarray:
    share = np.zeros(len(cand), dtype=np.float32)
    for need in needs:
        mask = index.tag_mask(need)
        if mask is not None:
            share += mask[cand]
    return share / len(needs) if needs else share


class _Page:
    """Listings on the page, with running counts per employer and title for the caps."""

    def __init__(self, employers: np.ndarray, titles: np.ndarray) -> None:
        self.employers, self.titles = employers, titles
        self.items: list[int] = []

    def count(self, codes: np.ndarray, code: int, without: int | None = None) -> int:
        return sum(1 for i in self.items if i != without and codes[i] == code)

    def fits(self, j: int, without: int | None = None) -> bool:
        employer, title = int(self.employers[j]), int(self.titles[j])
        if employer and self.count(self.employers, employer, without) >= MAX_PER_EMPLOYER:
            return False
        return not (title and self.count(self.titles, title, without) >= MAX_PER_TITLE)


def _top(order_value: np.ndarray, members: np.ndarray, size: int) -> np.ndarray:
    """The `size` members with the highest values, best first; equal values in position order,
    so the choice never depends on how a partial sort happened to split ties."""
    values = order_value[members]
    if size < len(members):
        cut = np.partition(values, len(values) - size)[len(values) - size]
        above = np.flatnonzero(values > cut)
        tied = np.flatnonzero(values == cut)[: size - len(above)]
        chosen = np.sort(np.concatenate([above, tied]))
    else:
        chosen = np.arange(len(members))
    chosen = chosen[np.argsort(-values[chosen], kind="stable")]
    return members[chosen]


def _may_reach(lo: np.ndarray, hi: np.ndarray, members: np.ndarray, size: int) -> np.ndarray:
    """Members that could be among the `size` best by value, knowing only lo <= value <= hi:
    those whose upper bound reaches the size-th best lower bound."""
    if len(members) <= size:
        return members
    floor = np.partition(lo[members], len(members) - size)[len(members) - size]
    return members[hi[members] >= floor]


def _diversify(
    order_value: np.ndarray, members: np.ndarray, k: int, page: _Page, vectors: _LazyRows | None
) -> list[int]:
    """Greedy maximal marginal relevance over the best few members, with employer/title caps.

    Caps hold while other listings are available; if they would leave the page short, the
    capped listings are admitted after all (a full page beats a perfectly varied one)."""
    if len(members) == 0 or k <= 0:
        return []
    best = _top(order_value, members, _pool_size(k))
    near_copy = np.zeros(len(best), dtype=np.float32)
    pool_vectors = vectors[best] if vectors is not None else None
    taken = np.zeros(len(best), dtype=bool)
    chosen: list[int] = []
    for relax in (False, True):
        while len(chosen) < k:
            value = order_value[best] - near_copy
            value[taken] = -np.inf
            pick = -1
            for position in np.argsort(-value, kind="stable"):
                if taken[position]:
                    break
                if relax or page.fits(int(best[position])):
                    pick = int(position)
                    break
            if pick < 0:
                break
            taken[pick] = True
            chosen.append(int(best[pick]))
            page.items.append(int(best[pick]))
            if pool_vectors is not None:
                similarity = pool_vectors @ pool_vectors[pick]
                penalty = NEAR_COPY_PENALTY * np.clip((similarity - NEAR_COPY_FROM) / (1 - NEAR_COPY_FROM), 0, 1)
                near_copy = np.maximum(near_copy, penalty.astype(np.float32))
    return chosen


def _pool_size(k: int) -> int:
    return max(50, 5 * k)


def _contender_count(k: int) -> int:
    return 5 * max(k, 10)


def _swap_in_sensitive(
    page: _Page, full: np.ndarray, adjusted: np.ndarray, other_needs: np.ndarray, sensitive: np.ndarray,
    missed: np.ndarray, uncertain: np.ndarray, k: int,
) -> int:
    """Let listings that meet a sensitive need take places on the page, under one rule: a
    listing j may replace i only if j scores higher with the sensitive need counted AND meets at
    least as large a share of the person's other needs as i, misses no more constraints, and
    leaves none unstated unless i does too.
    Each swap therefore keeps or raises the page's coverage of the other needs. Returns the
    number of swaps."""
    on_page = set(page.items)
    contenders = np.array([j for j in full[sensitive[full] > 0] if j not in on_page], dtype=np.int64)
    if len(contenders) == 0:
        return 0
    contenders = _top(adjusted, np.sort(contenders), _contender_count(k))
    swaps = 0
    for j in contenders:
        j = int(j)
        replaceable = [
            i for i in page.items
            if adjusted[i] < adjusted[j] and other_needs[i] <= other_needs[j] and missed[i] >= missed[j]
            and uncertain[i] >= uncertain[j] and sensitive[i] < sensitive[j] and page.fits(j, without=i)
        ]
        if not replaceable:
            continue
        weakest = min(replaceable, key=lambda i: adjusted[i])
        page.items[page.items.index(weakest)] = j
        swaps += 1
    return swaps


def recommend(
    index: ServingIndex,
    profile: AptitudeProfile,
    k: int = 10,
    embedder: TextEncoder | None = None,
    query_vector: np.ndarray | None = None,
    now: datetime | None = None,
    feedback: FeedbackSignals | None = None,
    scores: RelevanceInputs | None = None,
    boost_all: np.ndarray | None = None,
) -> RecommendationPage:
    """The page of k results for a profile. `scores` and `boost_all` are the profile's
    snapshot-wide arrays when the caller has them cached (stored profiles)."""
    feedback = feedback or FeedbackSignals()
    language = language_of(page_language(profile))
    eligible, hidden = _eligible(index, profile, feedback, now)
    if not eligible.any():
        return _new_page(index, eligible, eligible, hidden, language)
    if scores is None:
        scores = relevance_inputs(index, profile, query_vector, embedder)
    if boost_all is None:
        boost_all = feedback_boost(index, feedback)
    constraints = evaluate(profile, index)
    relevant = above_floor(scores)
    all_pass = eligible & relevant
    stated = np.ones(len(index), dtype=bool)
    for c in constraints:
        all_pass &= c.passes
        stated &= ~(c.unknown & c.passes)
    page = _new_page(index, eligible, all_pass, hidden, language)
    page.confirmed = int((all_pass & stated).sum())
    # Candidates: the full matches when they can fill the page, else every eligible listing.
    cand = np.flatnonzero(all_pass if page.matching >= k else eligible)
    parts = _CandidateParts.of(index, profile, cand, scores, boost_all, language)
    missed = np.zeros(len(cand), dtype=np.int32)  # constraints each candidate misses
    for c in constraints:
        missed += ~c.passes[cand]
    missed += ~relevant[cand]
    uncertain = ~stated[cand]  # passes some constraint only because the listing does not say
    # Full matches that state everything come first, then those that leave something unstated;
    # nearest matches follow by how many constraints they miss.
    tier = -(_MISS_STEP * missed + _UNKNOWN_STEP * uncertain)
    full = np.flatnonzero(missed == 0)
    _resolve_reachable(scores.fusion, cand, parts.scored, full, tier, parts.sensitive_or_none, k)
    relevance = scores.fusion.lo[cand]  # exact wherever the page can look
    base, adjusted = parts.scored(relevance)

    selection = _Page(index.features.employer[cand], index.features.title[cand])
    local_vectors = None if index.vectors is None else _LazyRows(index.vectors, cand)
    _diversify(base + tier, full, k, selection, local_vectors)
    if parts.sensitive_or_none is not None:
        _swap_in_sensitive(selection, full, adjusted, parts.other_needs, parts.sensitive, missed, uncertain, k)
        selection.items.sort(key=lambda i: -adjusted[i])
    selection.items.sort(key=lambda i: bool(uncertain[i]))  # stable: relevance order within each group
    if len(selection.items) < k:
        _add_nearest(page, selection, eligible & relevant, constraints, base + tier, np.flatnonzero(missed > 0),
                     k, local_vectors)
        page.notice = few_fit_notice(page.matching, page.narrowest_constraint, page.narrowest_adds, language)
    elif selection.items and all(uncertain[i] for i in selection.items):
        page.notice = _unconfirmed(constraints, cand[np.asarray(selection.items, dtype=np.intp)], language)
    rows = index.rows_at([int(cand[local]) for local in selection.items])
    for local, row in zip(selection.items, rows, strict=True):
        page.results.append(_recommendation(index, profile, constraints, feedback, row, int(cand[local]), local,
                                            parts, relevance, adjusted, bool(relevant[cand[local]]), language))
    page.support = page_support(index, profile, rows)
    return page


def _new_page(
    index: ServingIndex, eligible: np.ndarray, all_pass: np.ndarray, hidden: _Hidden, language: Language
) -> RecommendationPage:
    """The page's counts and notes, before any result."""
    page = RecommendationPage(
        results=[], candidates=int(eligible.sum()), matching=int(all_pass.sum()), snapshot_version=index.version,
        language=language,
    )
    if hidden.dismissed:
        page.notes.append(say(language, "page.dismissed_hidden", count=hidden.dismissed))
    if hidden.suspicious:
        page.notes.append(say(language, "page.suspicious_hidden", count=hidden.suspicious))
    if page.candidates == 0 and not (hidden.dismissed or hidden.suspicious):
        page.notes.append(say(language, "page.empty"))
    return page


@dataclass(frozen=True)
class _Hidden:
    """Open listings kept off the page: dismissed by the person, or suspicious (not asked for sales)."""

    dismissed: int = 0
    suspicious: int = 0


def _eligible(
    index: ServingIndex, profile: AptitudeProfile, feedback: FeedbackSignals, now: datetime | None
) -> tuple[np.ndarray, _Hidden]:
    """Open listings the person has not dismissed, and how many open ones are kept off the page.
    Suspicious listings are never candidates for a person who did not ask for sales work."""
    eligible = index.open_mask(now)
    suspicious = 0
    if not asks_for_sales(profile):
        suspicious = int((eligible & index.features.suspicious).sum())
        eligible &= ~index.features.suspicious
    dismissed = [p for p in (index.position(d) for d in feedback.dismissed) if p is not None]
    hidden = int(eligible[dismissed].sum()) if dismissed else 0
    eligible[dismissed] = False
    return eligible, _Hidden(dismissed=hidden, suspicious=suspicious)


@dataclass
class _CandidateParts:
    """The score parts of the candidates (arrays aligned with them) and how they add up."""

    lexical: np.ndarray
    dense: np.ndarray
    boost: np.ndarray
    aptitude: np.ndarray
    aptitude_known: np.ndarray
    other_needs: np.ndarray
    sensitive: np.ndarray
    has_sensitive: bool
    support: np.ndarray
    remote_bonus: np.ndarray | None
    experience_gap: np.ndarray | None  # penalty for a level or years above the person's; None: not stated
    language_gap: np.ndarray  # penalty for a listing in a language the person does not read

    @classmethod
    def of(cls, index: ServingIndex, profile: AptitudeProfile, cand: np.ndarray, scores: RelevanceInputs,
           boost_all: np.ndarray | None, language: Language) -> _CandidateParts:
        f = index.features
        aptitude, aptitude_known = fit_scores(f.riasec[cand], profile.interests)
        sensitive_names = [n for n in profile.needs if n in SENSITIVE_NEEDS]
        remote = profile.constraints.remote == "preferred"
        return cls(
            lexical=scores.lexical[cand],
            dense=scores.dense[cand] if scores.dense is not None else np.zeros(len(cand), dtype=np.float32),
            boost=boost_all[cand] if boost_all is not None else np.zeros(len(cand), dtype=np.float32),
            aptitude=aptitude, aptitude_known=aptitude_known,
            other_needs=_need_share(index, [n for n in profile.needs if n not in SENSITIVE_NEEDS], cand),
            sensitive=_need_share(index, sensitive_names, cand), has_sensitive=bool(sensitive_names),
            support=f.supportiveness[cand],
            remote_bonus=REMOTE_PREFERRED_BONUS * (f.remote[cand] >= 1) if remote else None,
            experience_gap=experience_penalty(f.seniority[cand], f.experience_years_min[cand], profile),
            language_gap=language_penalty(f.language[cand], profile, language),
        )

    @property
    def sensitive_or_none(self) -> np.ndarray | None:
        return self.sensitive if self.has_sensitive else None

    def scored(self, relevance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(base, adjusted) for a relevance array; increasing in relevance."""
        base = (
            WEIGHTS["relevance"] * relevance + WEIGHTS["needs"] * self.other_needs
            + WEIGHTS["aptitude"] * self.aptitude + WEIGHTS["supportiveness"] * self.support
            + FEEDBACK_WEIGHT * self.boost
        )
        if self.remote_bonus is not None:
            base = base + self.remote_bonus
        if self.experience_gap is not None:
            base = base - self.experience_gap
        base = base - self.language_gap
        return base, (base + SENSITIVE_WEIGHT * self.sensitive if self.has_sensitive else base)


def _add_nearest(
    page: RecommendationPage, selection: _Page, widenable: np.ndarray, constraints: list[ConstraintResult],
    order_value: np.ndarray, nearest: np.ndarray, k: int, vectors: _LazyRows | None,
) -> None:
    """Fill the page with the nearest matches and say why: how many match, the narrowest
    constraint among the listings above the relevance floor (`widenable`)."""
    page.narrowest_constraint, page.narrowest_adds = _narrowest(widenable, constraints)
    _diversify(order_value, nearest, k - len(selection.items), selection, vectors)
    language = page.language  # how many match is said once, by the few_fit notice
    if page.narrowest_constraint:
        described = next(c.described(language) for c in constraints if c.name == page.narrowest_constraint)
        name = page.narrowest_constraint if language == "en" else Names.of("constraint", [page.narrowest_constraint])
        page.notes.append(say(language, "page.narrowest", name=name, described=described))


def _recommendation(
    index: ServingIndex, profile: AptitudeProfile, constraints: list[ConstraintResult], feedback: FeedbackSignals,
    row: dict[str, Any], i: int, local: int, parts: _CandidateParts, relevance: np.ndarray, adjusted: np.ndarray,
    relevant: bool, language: Language,
) -> Recommendation:
    """One result: listing i (candidate `local`) with its score parts, misses and reasons."""
    met = sum(1 for need in profile.needs if (mask := index.tag_mask(need)) is not None and mask[i])
    shown = {
        "relevance": round(float(relevance[local]), 4),
        "lexical": round(float(parts.lexical[local]), 4),
        "dense": round(float(parts.dense[local]), 4),
        "aptitude": round(float(parts.aptitude[local]), 4),
        "needs": round(met / len(profile.needs), 4) if profile.needs else 0.0,
        "supportiveness": round(float(parts.support[local]), 4),
        "feedback": round(float(parts.boost[local]), 4),
    }
    if parts.experience_gap is not None:
        shown["experience_gap"] = round(float(parts.experience_gap[local]), 4)
    if parts.language_gap[local] > 0:
        shown["language_gap"] = round(float(parts.language_gap[local]), 4)
    vector = index.vectors[i] if index.vectors is not None else None
    reasons = explain(row, profile, constraints, i, shown, feedback=feedback, vector=vector,
                      aptitude_known=bool(parts.aptitude_known[local]), relevant=relevant, language=language)
    misses = [c.name for c in constraints if not c.passes[i]] + ([] if relevant else ["relevance"])
    return Recommendation(listing=row, score=round(float(adjusted[local]), 4), parts=shown, reasons=reasons,
                          misses=misses)


def _resolve_reachable(
    fusion: FusedRelevance, cand: np.ndarray,
    scored: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
    full: np.ndarray, tier: np.ndarray, sensitive: np.ndarray | None, k: int,
) -> None:
    """Make the fused relevance exact for every candidate that could enter a pool the page is
    chosen from: the best `_pool_size(k)` full matches by base score plus tier (stated before
    unstated), the best `_contender_count(k)` sensitive-need contenders by adjusted score (k
    more, as the page's own listings are not contenders), and, when the full matches cannot
    fill the page, the best nearest matches by base score plus tier (fewest misses first). A
    candidate left out has an upper bound below the lower bounds of enough others, so it is
    never picked with exact fusion either."""
    if bool(fusion.resolved[cand].all()):
        return
    base_lo, adjusted_lo = scored(fusion.lo[cand])
    base_hi, adjusted_hi = scored(fusion.hi[cand])
    reach = [_may_reach(base_lo + tier, base_hi + tier, full, _pool_size(k))]
    if sensitive is not None:
        contenders = full[sensitive[full] > 0]
        reach.append(_may_reach(adjusted_lo, adjusted_hi, contenders, _contender_count(k) + k))
    if len(full) < k:
        nearest = np.flatnonzero(tier <= -_MISS_STEP)
        reach.append(_may_reach(base_lo + tier, base_hi + tier, nearest, _pool_size(k)))
    fusion.resolve(cand[np.concatenate(reach)])


class _LazyRows:
    """vectors[cand[local]] without copying the candidates' whole embedding matrix."""

    def __init__(self, vectors: np.ndarray, cand: np.ndarray) -> None:
        self.vectors, self.cand = vectors, cand

    def __getitem__(self, local: np.ndarray) -> np.ndarray:
        return self.vectors[self.cand[local]]


def _unconfirmed(constraints: list[ConstraintResult], shown: np.ndarray, language: Language) -> Notice:
    """The notice for a full page of listings that each leave some limit unstated, naming the
    constraint most of them do not state."""
    counts = {c.name: int(c.unknown[shown].sum()) for c in constraints}
    return unconfirmed_notice(max(counts, key=lambda name: counts[name]), language)

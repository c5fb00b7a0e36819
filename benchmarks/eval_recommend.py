"""Recommendation quality on real listings: ippo and two baselines against pooled judgements.

    .venv/bin/python -m benchmarks.eval_recommend --home DIR [--gain exponential]
    .venv/bin/python -m benchmarks.eval_recommend --home DIR --write-pool POOL.jsonl

DIR is an $IPPO_HOME whose snapshot holds the real listings (``python -m benchmarks.real_listings
--home DIR``). For every profile of ``benchmarks/data/recommend_eval/profiles/`` the top 10 of
three systems are compared with the graded judgements of ``judgements.jsonl`` (grades 0-3):

- ``ippo``: ``ranker.recommend.recommend`` on the snapshot, as ``ippo recommend`` calls it;
- ``bm25`` and ``dense``: the baselines of ``benchmarks/baselines.py``.

Per system: nDCG@10 (``ranker.evaluate.ndcg_at_k``, the gain named), P@10 (share of the ten
places filled by a listing graded >= 2), the share of returned results that are unjudged (they
count as grade 0: a changed ranker that returns unjudged listings shows here, and needs new
judgements), and the share of returned results with a stated constraint of the profile that the
listing leaves unknown or violates (:func:`constraint_problems`). ``--write-pool`` writes the
pool to grade instead: the union of the three top-10s per profile, shuffled, each listing shown
without the system that returned it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ippo.config import Settings
from pipeline.text.fold import fold_key
from ranker.evaluate import GAINS, Gain, gain_label, ndcg_at_k
from ranker.profile import AptitudeProfile, PlaceIn, load_profile

EVAL_DIR = Path(__file__).resolve().parent / "data" / "recommend_eval"
PROFILES_DIR = EVAL_DIR / "profiles"
JUDGEMENTS = EVAL_DIR / "judgements.jsonl"
K = 10
RELEVANT_GRADE = 2
FULL_TIME_HOURS = 30.0  # a full-time job without stated hours is taken to exceed a limit below this
SYSTEMS = ("ippo", "bm25", "dense")
Judgements = dict[str, dict[str, int]]  # profile name -> listing id -> grade


# --------------------------------------------------------------------------- metrics


def precision_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Share of the k places filled by a listing graded >= 2 (empty places count as misses)."""
    return sum(1 for item in ranked[:k] if grades.get(item, 0) >= RELEVANT_GRADE) / k


def unjudged_share(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    """Share of the returned top-k results that have no judgement (0.0 when nothing is returned)."""
    top = ranked[:k]
    return sum(1 for item in top if item not in grades) / len(top) if top else 0.0


def _place_matches(place: Mapping[str, Any], wanted: PlaceIn) -> bool | None:
    """True / False when the listing's place is / is not the wanted one; None when it does not say."""
    country = str(place.get("country") or "").upper()
    if wanted.country and not country:
        return None
    if wanted.country and country != wanted.country:
        return False
    for key in ("region", "locality"):
        want = getattr(wanted, key)
        if not want:
            continue
        have = place.get(key)
        if not have:
            return None
        a, b = fold_key(str(have)), fold_key(want)
        if a not in b and b not in a:
            return False
    return True


def _location_state(row: Mapping[str, Any], wanted: Sequence[PlaceIn]) -> str | None:
    places = row.get("locations") or []
    results = [_place_matches(place, want) for place in places for want in wanted]
    if any(r is True for r in results):
        return None
    if row.get("remote") == "remote":
        # A remote listing may be done from the regions it states (ANYWHERE: worldwide); with none
        # stated it does not say where it may be done from.
        regions = {str(r).upper() for r in row.get("remote_regions") or []}
        if not regions:
            return "unknown"
        countries = {(w.country or "").upper() for w in wanted}
        if "ANYWHERE" in regions or regions & countries:
            return None
        return "violated" if all(countries) else "unknown"
    if not places or any(r is None for r in results):
        return "unknown"
    return "violated"


def _hours_state(row: Mapping[str, Any], limit: float) -> str | None:
    hours = row.get("hours_per_week") or {}
    low = hours.get("min") if hours.get("min") is not None else hours.get("max")
    if low is not None:
        return "violated" if float(low) > limit else None
    types = set(row.get("employment_types") or [])
    if types == {"FULL_TIME"} and limit < FULL_TIME_HOURS:
        return "violated"
    return "unknown"


def _salary_state(row: Mapping[str, Any], profile: AptitudeProfile) -> str | None:
    wanted = profile.constraints.min_salary
    salary = row.get("salary") or {}
    if wanted is None:
        return None
    top = salary.get("max") if salary.get("max") is not None else salary.get("min")
    if top is None or salary.get("currency") != wanted.currency or salary.get("unit") != wanted.unit:
        return "unknown"
    return "violated" if float(top) < wanted.amount else None


def constraint_problems(row: Mapping[str, Any], profile: AptitudeProfile) -> dict[str, str]:
    """The profile's stated constraints the listing leaves unknown or violates: name -> state."""
    c = profile.constraints
    found: dict[str, str | None] = {}
    remote = row.get("remote")
    if c.remote == "required":
        found["remote"] = "unknown" if remote is None else (None if remote == "remote" else "violated")
    elif c.remote == "avoid":
        found["remote"] = "unknown" if remote is None else ("violated" if remote == "remote" else None)
    if c.locations:
        found["location"] = _location_state(row, c.locations)
    if c.employment_types:
        types = set(row.get("employment_types") or [])
        found["employment_type"] = "unknown" if not types else (None if types & set(c.employment_types) else "violated")
    if c.max_hours_per_week is not None:
        found["hours"] = _hours_state(row, c.max_hours_per_week)
    if c.min_salary is not None:
        found["min_salary"] = _salary_state(row, profile)
    tags = {s.get("tag") for s in row.get("signals") or []}
    for avoided in profile.avoid:
        if avoided in tags:
            found[f"avoid:{avoided}"] = "violated"
    return {name: state for name, state in found.items() if state}


@dataclass
class ProfileScore:
    ndcg: float
    precision: float
    unjudged: float
    constraint_problem: float  # share of returned results with a constraint unknown or violated
    violated: float  # share of returned results violating a stated constraint
    returned: int


def score_ranking(ranked: Sequence[str], rows: Mapping[str, Mapping[str, Any]], grades: Mapping[str, int],
                  profile: AptitudeProfile, gain: Gain, k: int = K) -> ProfileScore:
    top = list(ranked[:k])
    problems = [constraint_problems(rows[item], profile) for item in top]
    share = (lambda n: n / len(top)) if top else (lambda n: 0.0)
    return ProfileScore(
        ndcg=ndcg_at_k(top, {item: float(g) for item, g in grades.items()}, k, gain=gain),
        precision=precision_at_k(top, grades, k),
        unjudged=unjudged_share(top, grades, k),
        constraint_problem=share(sum(1 for p in problems if p)),
        violated=share(sum(1 for p in problems if "violated" in p.values())),
        returned=len(top),
    )


def mean_scores(scores: Sequence[ProfileScore]) -> ProfileScore:
    n = max(len(scores), 1)
    return ProfileScore(
        ndcg=sum(s.ndcg for s in scores) / n, precision=sum(s.precision for s in scores) / n,
        unjudged=sum(s.unjudged for s in scores) / n,
        constraint_problem=sum(s.constraint_problem for s in scores) / n,
        violated=sum(s.violated for s in scores) / n, returned=sum(s.returned for s in scores),
    )


# --------------------------------------------------------------------------- inputs


def load_profiles(folder: Path = PROFILES_DIR) -> dict[str, AptitudeProfile]:
    profiles = {path.stem: load_profile(path) for path in sorted(folder.glob("*.json"))}
    if not profiles:
        raise SystemExit(f"no profiles (*.json) in {folder}")
    return profiles


def load_judgements(path: Path = JUDGEMENTS) -> Judgements:
    found: Judgements = {}
    if not path.exists():
        return found
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            grade = int(entry["grade"])
            found.setdefault(str(entry["profile"]), {})[str(entry["listing_id"])] = grade
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"{path}:{number}: not a judgement {{profile, listing_id, grade, reason}} ({exc})") \
                from None
        if grade not in (0, 1, 2, 3):
            raise SystemExit(f"{path}:{number}: grade {grade} is not 0-3")
    return found


# --------------------------------------------------------------------------- running the systems


@dataclass
class Runs:
    """Each system's top-k listing ids per profile, and the rows of every listing returned."""

    tops: dict[str, dict[str, list[str]]]  # system -> profile -> ids
    rows: dict[str, dict[str, Any]]  # listing id -> snapshot row
    notices: dict[str, str | None] = field(default_factory=dict)  # profile -> ippo's notice kind, if any
    nearest: dict[str, set[str]] = field(default_factory=dict)  # profile -> ids ippo shows as nearest (they miss)


def run_systems(home: Path, profiles: Mapping[str, AptitudeProfile], k: int = K) -> Runs:
    from benchmarks.baselines import BaselineCorpus, Baselines
    from pipeline.embedding import Embedder
    from pipeline.warehouse.pointer import current_snapshot
    from ranker.recommend import recommend
    from ranker.serving_index import ServingIndex

    settings = Settings(home=home)
    snapshot = current_snapshot(settings.serving_dir)
    if snapshot is None:
        raise SystemExit(f"no published snapshot in {home}: run `python -m benchmarks.real_listings --home {home}`")
    index = ServingIndex.from_snapshot(snapshot)
    embedder = Embedder(settings.embedding_model, threads=1)
    corpus = BaselineCorpus.of(index)
    baselines = Baselines(corpus, embedder)
    rows = {row["id"]: row for row in corpus.rows}
    tops: dict[str, dict[str, list[str]]] = {system: {} for system in SYSTEMS}
    notices: dict[str, str | None] = {}
    nearest: dict[str, set[str]] = {}
    systems: dict[str, Callable[[AptitudeProfile], list[str]]] = {
        "bm25": lambda p: baselines.bm25_top(p, k),
        "dense": lambda p: baselines.dense_top(p, k),
    }
    for name, profile in profiles.items():
        page = recommend(index, profile, k=k, embedder=embedder)
        tops["ippo"][name] = [r.listing["id"] for r in page.results]
        notices[name] = page.notice.kind if page.notice is not None else None
        nearest[name] = {r.listing["id"] for r in page.results if r.misses}
        for system, rank in systems.items():
            tops[system][name] = rank(profile)
    # ippo reads the open set itself; any id it returns outside the baselines' corpus is still shown
    for listing_id in {i for top in tops["ippo"].values() for i in top} - rows.keys():
        position = index.position(listing_id)
        if position is not None:
            rows[listing_id] = index.row(position)
    return Runs(tops=tops, rows=rows, notices=notices, nearest=nearest)


# --------------------------------------------------------------------------- the pool to grade


def _place(row: Mapping[str, Any]) -> str:
    return "; ".join(", ".join(str(p[k]) for k in ("locality", "region", "country") if p.get(k))
                     for p in row.get("locations") or []) or "not stated"


def listing_card(row: Mapping[str, Any], excerpt: int = 600) -> dict[str, Any]:
    """What a grader reads: the listing only, never which system returned it."""
    salary = row.get("salary") or {}
    hours = row.get("hours_per_week") or {}
    return {
        "listing_id": row["id"], "title": row.get("title"), "employer": (row.get("employer") or {}).get("name"),
        "place": _place(row), "remote": row.get("remote"), "employment_types": row.get("employment_types") or [],
        "pay": salary.get("text") or (f"{salary.get('min')}-{salary.get('max')} {salary.get('currency')}/"
                                      f"{salary.get('unit')}" if salary else None),
        "hours_per_week": [hours.get("min"), hours.get("max")] if hours else None,
        "signals": sorted({s.get("tag") for s in row.get("signals") or []}),
        "description": (row.get("description") or "")[:excerpt],
    }


def write_pool(runs: Runs, path: Path, seed: int = 11) -> int:
    rng = random.Random(seed)
    lines: list[str] = []
    for name in sorted(next(iter(runs.tops.values()))):
        pooled = sorted({i for system in SYSTEMS for i in runs.tops[system][name]})
        rng.shuffle(pooled)
        lines.extend(json.dumps({"profile": name, **listing_card(runs.rows[i])}, ensure_ascii=False) for i in pooled)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# --------------------------------------------------------------------------- report


def _figures(score: ProfileScore) -> str:
    return (f"nDCG@10 {score.ndcg:.3f}  P@10 {score.precision:.3f}  unjudged {score.unjudged:.2f}  "
            f"constraint unknown/violated {score.constraint_problem:.2f} (violated {score.violated:.2f})")


def report(runs: Runs, profiles: Mapping[str, AptitudeProfile], judgements: Judgements, gain: Gain,
           out: Callable[[str], None] = print) -> dict[str, ProfileScore]:
    out(f"{len(profiles)} profiles; nDCG@10 with {gain_label(gain)}; P@10 = share of the 10 places graded >= "
        f"{RELEVANT_GRADE}; unjudged results count as grade 0")
    means: dict[str, ProfileScore] = {}
    per_profile: dict[str, dict[str, ProfileScore]] = {}
    for system in SYSTEMS:
        per_profile[system] = {
            name: score_ranking(runs.tops[system][name], runs.rows, judgements.get(name, {}), profile, gain)
            for name, profile in profiles.items()}
        means[system] = mean_scores(list(per_profile[system].values()))
    for system in SYSTEMS:
        out(f"{system:<6} {_figures(means[system])}")
    out("per profile (nDCG@10 / P@10 / unjudged / constraint unknown or violated, results returned):")
    for name in profiles:
        cells = "   ".join(f"{system} {s.ndcg:.2f}/{s.precision:.1f}/{s.unjudged:.1f}/{s.constraint_problem:.1f}"
                           f" ({s.returned})" for system in SYSTEMS for s in [per_profile[system][name]])
        out(f"  {name:<32} {cells}")
    return means


NOTICE_KINDS = ("few_fit", "unconfirmed")


def honesty(runs: Runs, profiles: Mapping[str, AptitudeProfile], judgements: Judgements,
            out: Callable[[str], None] = print) -> dict[str, int]:
    """What ippo's pages say about fit, checked against the judgements and the listings' own fields.

    - the notices: every profile whose pool holds no listing graded >= 2 should get one — "few fit"
      (fewer than k fit) or "unconfirmed" (none of the listings shown states that it meets every
      limit) — and a profile with suitable listings should not (counted, not hidden);
    - ordering: no result with a stated constraint left unknown above one that states them all;
    - violations among the recommendations proper (nearest matches under a notice miss by design).
    """
    counts = {"no_suitable": 0, "no_suitable_with_notice": 0, "suitable": 0, "suitable_with_notice": 0,
              "unknown_above_stated": 0, "recommended": 0, "recommended_violating": 0}
    for name, profile in profiles.items():
        suitable = any(g >= RELEVANT_GRADE for g in judgements.get(name, {}).values())
        noticed = runs.notices.get(name) in NOTICE_KINDS
        key = "suitable" if suitable else "no_suitable"
        counts[key] += 1
        counts[f"{key}_with_notice"] += noticed
        top = runs.tops["ippo"][name]
        recommended = [i for i in top if i not in runs.nearest.get(name, set())]
        states = [constraint_problems(runs.rows[i], profile) for i in recommended]
        counts["recommended"] += len(recommended)
        counts["recommended_violating"] += sum("violated" in s.values() for s in states)
        seen_unknown = False
        for state in states:
            if state:
                seen_unknown = True
            elif seen_unknown:
                counts["unknown_above_stated"] += 1
                break
    kinds = ", ".join(f"{kind} {sum(1 for k in runs.notices.values() if k == kind)}" for kind in NOTICE_KINDS)
    out(f"ippo notices ({kinds}): {counts['no_suitable_with_notice']} of {counts['no_suitable']} profiles whose pool "
        f"holds no listing graded >= {RELEVANT_GRADE}; {counts['suitable_with_notice']} of {counts['suitable']} "
        "profiles whose pool holds one")
    out(f"ippo ordering: {counts['unknown_above_stated']} profiles with a result leaving a stated constraint unknown "
        "above one that states and meets them all")
    out(f"ippo recommendations proper (nearest matches under a notice left out): {counts['recommended']} results, "
        f"{counts['recommended_violating']} violate a stated constraint")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the IPPO_HOME with the real-listings snapshot")
    parser.add_argument("--gain", choices=GAINS, default="exponential", help="the nDCG gain (default exponential)")
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--profiles", type=Path, default=PROFILES_DIR)
    parser.add_argument("--write-pool", type=Path, help="write the blind pool to grade to this JSONL file and stop")
    args = parser.parse_args(argv)
    profiles = load_profiles(args.profiles)
    runs = run_systems(args.home, profiles)
    if args.write_pool:
        count = write_pool(runs, args.write_pool)
        print(f"wrote {count} pooled listings for {len(profiles)} profiles to {args.write_pool}")
        return
    judgements = load_judgements(args.judgements)
    if not judgements:
        print(f"warning: no judgements in {args.judgements}; every result counts as unjudged", file=sys.stderr)
    report(runs, profiles, judgements, args.gain)
    honesty(runs, profiles, judgements)


if __name__ == "__main__":
    main()

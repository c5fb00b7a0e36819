"""GENERATED listings and profiles for benchmarks and the fairness evaluation.

Nothing here is a real job ad. The shapes and vocabularies are real, taken from the public
data beside the repository (../shared/data): English titles, employers and places from the
Greenhouse boards index; Japanese titles, employers and places from the Hello Work and
求人ボックス tables and job tag occupation titles; descriptions from the occupations' own
O*NET task statements / job tag summaries; supportive-signal tags from the project
vocabulary. Pay, hours, employment types, signal presence and occupation codes are drawn at
random with a fixed seed. Every generated row has source "generated" and says so in its text.
The listing facts are GENERATED too: seniority is the real title rule
(pipeline.fields.seniority) applied to the real title; experience years, remote regions and
suspicious reasons are drawn (from a generator of their own, so the other draws stay as they were).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.shared_data import shared_data_dir
from pipeline import VOCAB_DIR
from pipeline.fields.seniority import seniority_from_title
from ranker.profile import AVOIDABLE, EMPLOYER_NEEDS, LISTING_NEEDS, SENSITIVE_NEEDS

SHARED_DATA = shared_data_dir()
GENERATED_NOTE = "(generated listing for benchmarking; not a real job)"
# How often a generated listing carries each supportive tag, each avoidable fact, and each
# employer registry tag (per employer).
TAG_RATE = 0.08
AVOID_RATE = 0.05
REGISTRY_RATE = 0.06
# How often a generated listing is flagged suspicious (commission only), and, for remote or
# hybrid listings, how often the region is stated.
SUSPICIOUS_RATE = 0.01
REGION_STATED_RATE = 0.6
_YEARS_BY_LEVEL = {"entry": (0.0, 1.0), "mid": (2.0, 3.0), "senior": (5.0, 7.0), "lead": (7.0, 10.0)}
_PREFECTURE_WEIGHTS = {"東京都": 0.25, "大阪府": 0.1, "神奈川県": 0.08, "愛知県": 0.07, "福岡県": 0.04}
_EVIDENCE_JA = {
    "no_experience_ok": "未経験歓迎", "career_gap_ok": "ブランクOK", "remote_ok": "在宅勤務可",
    "short_hours": "1日4時間から", "flexible_schedule": "シフト自由", "training_provided": "研修制度あり",
    "gradual_start": "慣らし勤務あり", "disability_employment": "障害者雇用枠", "accommodations": "合理的配慮あり",
    "on_the_job_support": "ジョブコーチ支援", "low_social_load": "接客なし", "neurodiversity": "発達障害のある方を支援",
    "fair_chance": "経歴不問", "youth_friendly": "若年者歓迎", "income_cap_friendly": "扶養内勤務可",
    "night_shift": "夜勤あり", "rotating_shift": "交替制勤務", "sales_quota": "ノルマあり",
    "heavy_overtime": "残業月40時間", "relocation": "転勤あり",
}


class SharedDataMissingError(FileNotFoundError):
    pass


@dataclass
class Vocabulary:
    english: list[tuple[str, str, str]]  # (employer, title, location text)
    japanese: list[tuple[str, str, str]]  # (employer, title, location text)
    prefectures: list[str]
    cities: dict[str, list[str]]  # prefecture -> cities
    onet: list[dict[str, Any]]
    jobtag: list[dict[str, Any]]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_vocabulary(shared: Path = SHARED_DATA) -> Vocabulary:
    greenhouse = shared / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv"
    if not greenhouse.exists():
        raise SharedDataMissingError(f"generating listings needs {greenhouse} (real titles and places)")
    english = [(r["company_name"].strip(), r["title"].strip(), r["location_name"].strip())
               for r in _read_csv(greenhouse) if r.get("title", "").strip()]
    japanese: list[tuple[str, str, str]] = []
    mie = shared / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    if mie.exists():
        japanese += [(r["company_name"], r["job_category"], r["work_location"]) for r in _read_csv(mie)]
    for name in ("kyujinbox_chubu_20200914.csv", "kyujinbox_kansai_20200914.csv"):
        path = shared / "ja_jobs_kyujinbox_2020" / name
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as handle:
                japanese += [(row[0], row[1], row[2]) for row in csv.reader(handle) if len(row) >= 3]
    from pipeline.occupations.tables import load_table

    onet, jobtag = list(load_table("onet")), list(load_table("jobtag"))
    employers_ja = [e for e, _, _ in japanese] or ["株式会社サンプル"]
    japanese += [(employers_ja[i % len(employers_ja)], r["title"].split("、")[0], "") for i, r in enumerate(jobtag)]
    places = json.loads((VOCAB_DIR / "places.json")
                        .read_text(encoding="utf-8"))
    prefectures = [p["name"] for p in places["prefectures"]]
    cities: dict[str, list[str]] = {}
    for city, prefecture in places["jp_cities"].items():
        cities.setdefault(prefecture, []).append(city)
    japanese = [(e.strip(), re.sub(r"\s+", " ", t).strip(), loc.strip()) for e, t, loc in japanese if t.strip()]
    return Vocabulary(english, japanese, prefectures, cities, onet, jobtag)


def _stable(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


class ListingGenerator:
    def __init__(self, vocab: Vocabulary, seed: int = 7, title_pool: int = 2000, classify: bool = True) -> None:
        self.vocab = vocab
        self.rng = random.Random(seed)
        # A bounded pool of distinct titles keeps embedding the generated data affordable.
        english = list(vocab.english)
        self.rng.shuffle(english)
        seen: set[str] = set()
        self.english = []
        for employer, title, place in english:
            if title not in seen and len(seen) < title_pool:
                seen.add(title)
            if title in seen:
                self.english.append((employer, title, place))
        self.japanese = vocab.japanese
        from pipeline.fields.location import normalize_locations

        self._normalize_locations = normalize_locations
        self._places: dict[str, list[dict[str, Any]]] = {}
        weights = [_PREFECTURE_WEIGHTS.get(p, 0.46 / max(1, len(vocab.prefectures) - 5)) for p in vocab.prefectures]
        self.prefecture_weights = weights
        self._records = {"onet": {r["code"]: r for r in vocab.onet}, "jobtag": {r["code"]: r for r in vocab.jobtag}}
        self._occupations: dict[str, dict[str, Any] | None] = {}
        if classify:
            self._classify()

    def _classify(self) -> None:
        """Occupations of the distinct titles by the project's own classifier (lexical views)."""
        from ippo.config import LEXICAL_ONLY
        from pipeline.occupations import classify_listings

        titles = sorted({t for _, t, _ in self.english} | {t for _, t, _ in self.japanese})
        found = classify_listings([(title, None, None) for title in titles], dense_view=LEXICAL_ONLY)
        self._occupations = {t: (dict(o) if o else None) for t, o in zip(titles, found, strict=True)}

    def _en_places(self, text: str) -> list[dict[str, Any]]:
        if text not in self._places:
            self._places[text] = [dict(p) for p in self._normalize_locations(text)]
        return self._places[text]

    def _occupation(self, title: str, taxonomy: str) -> dict[str, Any] | None:
        if title in self._occupations:
            return self._occupations[title]
        # Without the classifier: a code drawn by title hash (clearly arbitrary, still seeded).
        table = self.vocab.jobtag if taxonomy == "jobtag" else self.vocab.onet
        record = table[_stable(taxonomy + title) % len(table)]
        return {"taxonomy": taxonomy, "code": record["code"], "title": record["title"], "confidence": 0.0}

    def listing(self, number: int, now: datetime) -> dict[str, Any]:
        rng = self.rng
        japanese = rng.random() < 0.4
        if japanese:
            employer, title, place_text = rng.choice(self.japanese)
            prefecture = rng.choices(self.vocab.prefectures, weights=self.prefecture_weights)[0]
            if place_text:
                found = next((p for p in self.vocab.prefectures if place_text.startswith(p[:-1])), None)
                prefecture = found or prefecture
            city = rng.choice(self.vocab.cities.get(prefecture, [None]))
            places = [{"country": "JP", "region": prefecture, "locality": city, "postal_code": None}]
            remote = rng.choices(["onsite", "hybrid", "remote"], weights=[0.8, 0.12, 0.08])[0]
            occupation = self._occupation(title, "jobtag")
        else:
            employer, title, place_text = rng.choice(self.english)
            places = self._en_places(place_text)
            remote = "remote" if "remote" in place_text.lower() else rng.choices(["onsite", "hybrid"], [0.7, 0.3])[0]
            occupation = self._occupation(title, "onet")
        kinds = rng.choices([["FULL_TIME"], ["PART_TIME"], ["FULL_TIME", "PART_TIME"], ["CONTRACTOR"], ["TEMPORARY"],
                             []], weights=[0.5, 0.25, 0.05, 0.07, 0.05, 0.08])[0]
        hours = None
        if "PART_TIME" in kinds and rng.random() < 0.7:
            low = rng.choice([8, 10, 12, 15, 20, 24])
            hours = {"min": float(low), "max": float(low + rng.choice([0, 5, 10]))}
        elif kinds == ["FULL_TIME"] and rng.random() < 0.3:
            hours = {"min": 40.0, "max": 40.0}
        salary = None
        if rng.random() < 0.6:
            if japanese and "PART_TIME" in kinds:
                low = rng.randrange(1000, 1700, 10)
                salary = {"min": float(low), "max": float(low + rng.randrange(0, 400, 50)), "currency": "JPY",
                          "unit": "HOUR", "text": f"時給{low}円～"}
            elif japanese:
                low = rng.randrange(180_000, 400_000, 5000)
                salary = {"min": float(low), "max": float(low + 50_000), "currency": "JPY", "unit": "MONTH",
                          "text": f"月給{low // 10000}万円～"}
            else:
                low = rng.randrange(40_000, 180_000, 1000)
                salary = {"min": float(low), "max": float(low + rng.randrange(0, 60_000, 1000)), "currency": "USD",
                          "unit": "YEAR", "text": f"${low:,}+"}
        signals = []
        for tag in LISTING_NEEDS:
            if rng.random() < TAG_RATE:
                signals.append({"tag": tag, "evidence": _EVIDENCE_JA[tag] if japanese else tag.replace("_", " "),
                                "source": "text"})
        for tag in AVOIDABLE:
            if rng.random() < AVOID_RATE:
                signals.append({"tag": tag, "evidence": _EVIDENCE_JA[tag] if japanese else tag.replace("_", " "),
                                "source": "text"})
        employer_rng = random.Random(_stable(employer))
        registry = [{"tag": tag, "evidence": f"generated registry row for {employer}", "source": "registry"}
                    for tag in EMPLOYER_NEEDS if employer_rng.random() < REGISTRY_RATE]
        supportive = sum(1 for s in signals if s["tag"] in LISTING_NEEDS) + len(registry)
        record = self._records[occupation["taxonomy"]].get(occupation["code"], {}) if occupation else {}
        body = record.get("summary") or " ".join((record.get("tasks") or [])[:3]) or ""
        evidence = " ".join(s["evidence"] for s in signals)
        status = "closed" if rng.random() < 0.05 else "open"
        valid = None
        if rng.random() < 0.1:
            valid = now + timedelta(days=rng.randint(-30, 90))
        return {
            "id": f"gen-{number:07d}", "title": title, "url": f"https://example.invalid/generated/{number}",
            "apply_url": None,
            "employer": {"name": employer, "normalized_name": employer, "registry_tags": registry},
            "locations": places, "remote": remote, "employment_types": kinds, "hours_per_week": hours,
            "salary": salary, "valid_through": valid, "status": status, "signals": signals,
            "supportiveness": round(min(1.0, supportive / 5), 3), "language": "ja" if japanese else "en",
            "occupation": occupation, "duplicate_of": None,
            "description": f"{title}. {employer}. {body} {evidence} {GENERATED_NOTE}"[:2000],
            **_listing_facts(number, title, remote, japanese),
        }

    def listings(self, count: int, now: datetime | None = None) -> list[dict[str, Any]]:
        from pipeline.warehouse.serving_columns import with_serving_fields

        moment = (now or datetime.now(UTC)).replace(tzinfo=None)
        # With the columns a published snapshot carries (serving reads them; it runs no pipeline code).
        return with_serving_fields(self.listing(i, moment) for i in range(count))


def _listing_facts(number: int, title: str, remote: str, japanese: bool) -> dict[str, Any]:
    """GENERATED remote regions, seniority, experience years and suspicious reasons of one listing."""
    rng = random.Random(_stable(f"facts-{number}"))
    regions: list[str] = []
    if remote in ("remote", "hybrid") and rng.random() < REGION_STATED_RATE:
        regions = ["JP"] if japanese else rng.choices([["US"], ["ANYWHERE"], ["CA", "US"], ["GB"], ["EU"]],
                                                        weights=[0.6, 0.15, 0.1, 0.1, 0.05])[0]
    level = seniority_from_title(title)
    years = None
    if level is not None and rng.random() < 0.5:
        low, high = _YEARS_BY_LEVEL[level]
        years = float(rng.choice([low, high]))
    return {
        "remote_regions": regions, "seniority": level, "experience_years_min": years,
        "suspicious": ["commission_only"] if rng.random() < SUSPICIOUS_RATE else [],
    }


def title_vectors(rows: list[dict[str, Any]], embedder: Any, seed: int = 7, jitter: float = 0.15) -> np.ndarray:
    """Listing vectors: the real embedding of each distinct title (+ employer-free), plus a little
    seeded noise so that listings sharing a title are near, not identical, as real ads are."""
    titles = sorted({r["title"] for r in rows})
    encoded = embedder.encode(titles)
    position = {t: i for i, t in enumerate(titles)}
    base = encoded[[position[r["title"]] for r in rows]]
    noise = np.random.default_rng(seed).standard_normal(base.shape).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    vectors = base + jitter * noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32)


def generated_profiles(rows: list[dict[str, Any]], count: int, seed: int = 11) -> list[dict[str, Any]]:
    """Generated aptitude profiles (JSON dicts): a title taken from an open generated listing,
    one to three non-sensitive needs, RIASEC answers, and sometimes constraints."""
    rng = random.Random(seed)
    open_rows = [r for r in rows if r["status"] == "open"]
    plain_needs = [n for n in LISTING_NEEDS if n not in SENSITIVE_NEEDS]
    profiles = []
    for _ in range(count):
        row = rng.choice(open_rows)
        constraints: dict[str, Any] = {}
        if rng.random() < 0.5 and row["locations"]:
            place = row["locations"][0]
            constraints["locations"] = [{"country": place.get("country"), "region": place.get("region")}]
        if rng.random() < 0.3:
            constraints["employment_types"] = ["PART_TIME"]
        if rng.random() < 0.2:
            constraints["max_hours_per_week"] = rng.choice([20, 30])
        profiles.append({
            "language": row["language"], "desired_titles": [row["title"]],
            "interests": {letter: rng.randint(1, 7) for letter in "RIASEC"},
            "needs": rng.sample(plain_needs, rng.randint(1, 3)), "constraints": constraints,
            "avoid": rng.sample(list(AVOIDABLE), rng.randint(0, 1)),
        })
    return profiles

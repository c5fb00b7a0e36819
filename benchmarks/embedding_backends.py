"""Throughput and fidelity of the embedding backends (torch, onnx, onnx-int8) on real listing texts.

    python -m benchmarks.embedding_backends [--shared PATH] [--rounds 2] [--cache DIR]

2,000 real texts in three length buckets: short (job titles: Greenhouse boards, 求人ボックス,
Hello Work), ~128 and ~256 word pieces (ippo's listing_texts shape, title . employer . start of
the description, from the RemoteOK API payload, JobPosting JSON-LD pages and Hello Work rows).
Every backend uses the same thread count (every available core); the rounds alternate the
backends (A B C A B C) so a busy machine weighs on each alike, and the load average is printed
before and after. Per backend and bucket: texts/s (best round), and over all texts the cosine
to the torch vectors (min, p1, mean). The gate: at least GATE_SPEEDUP times the torch
throughput on every bucket with a minimum cosine of at least GATE_COSINE.
pipeline/embedding.py's AUTO_BACKEND records the backend chosen from these figures.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from benchmarks.shared_data import add_shared_option
from ippo.config import DEFAULT_EMBEDDING_MODEL
from pipeline.embedding import Embedder, available_cores

BACKENDS = ("torch", "onnx", "onnx-int8")
BUCKETS = {"short": 1000, "~128 tok": 500, "~256 tok": 500}
GATE_SPEEDUP = 2.5
GATE_COSINE = 0.99
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", html.unescape(text or "")))).strip()


def _titles(shared: Path) -> Iterator[str]:
    """Job titles, English and Japanese, alternating so each share of the bucket has both."""
    with (shared / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv").open(
            encoding="utf-8") as handle:
        english = [row["title"].strip() for row in csv.DictReader(handle) if row["title"].strip()]
    japanese: list[str] = []
    for path in sorted((shared / "ja_jobs_kyujinbox_2020").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            japanese += [row[1].strip() for row in csv.reader(handle) if len(row) > 1 and row[1].strip()]
    with (shared / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv").open(encoding="utf-8") as handle:
        japanese += [row["job_category"].strip() for row in csv.DictReader(handle) if row["job_category"].strip()]
    english = english[:: max(1, len(english) // 2000)]  # spread over the boards, not the first few
    for index in range(max(len(english), len(japanese))):
        if index < len(japanese):
            yield japanese[index]
        if index < len(english):
            yield english[index]


def _described(shared: Path) -> list[tuple[str, str, str]]:
    """(title, employer, plain description) of the real listings that carry a description."""
    out: list[tuple[str, str, str]] = []
    remoteok = json.loads((shared / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json")
                          .read_text(encoding="utf-8"))
    out += [(job.get("position", ""), job.get("company", ""), _plain(job.get("description", "")))
            for job in remoteok[1:] if job.get("position")]
    pages = json.loads((shared / "jobposting_pages" / "expected_jobposting_jsonld.json").read_text(encoding="utf-8"))
    for page in pages:
        for posting in page.get("jobpostings", []):
            employer = posting.get("hiringOrganization") or {}
            name = employer.get("name", "") if isinstance(employer, dict) else employer
            out.append((str(posting.get("title", "")), str(name), _plain(str(posting.get("description", "")))))
    with (shared / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv").open(encoding="utf-8") as handle:
        out += [(row["job_category"], row["company_name"], _plain(" ".join(
            row[key] for key in ("job_description", "employment_type", "salary", "working_hours", "holidays"))))
            for row in csv.DictReader(handle)]
    return [row for row in out if len(row[2]) > 80]


def _listing_text(title: str, employer: str, description: str) -> str:
    """ranker.listing_vectors' shape: title . employer . start of the description."""
    return " . ".join(part for part in (title, employer, description) if part)


def _windows(tokenizer: object, described: list[tuple[str, str, str]], tokens: int, count: int) -> list[str]:
    """count listing texts of about `tokens` word pieces: each description read from successive
    offsets (a new start of description each time), cut to the token budget."""
    out: list[str] = []
    offset = 0
    while len(out) < count and offset < 20:
        for title, employer, description in described:
            text = _listing_text(title, employer, description[offset * 200:])
            spans = tokenizer(text, add_special_tokens=False,  # type: ignore[operator]
                              return_offsets_mapping=True)["offset_mapping"]
            if len(spans) >= tokens * 0.9:
                out.append(text[: spans[min(len(spans), tokens - 2) - 1][1]])
            if len(out) == count:
                break
        offset += 1
    return out


def bucket_texts(shared: Path, tokenizer: object) -> dict[str, list[str]]:
    titles = list(dict.fromkeys(_titles(shared)))[: BUCKETS["short"]]
    described = _described(shared)
    return {"short": titles, "~128 tok": _windows(tokenizer, described, 128, BUCKETS["~128 tok"]),
            "~256 tok": _windows(tokenizer, described, 256, BUCKETS["~256 tok"])}


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def run(shared: Path, rounds: int, cache_dir: Path) -> dict[str, object]:
    threads = available_cores()
    embedders = {backend: Embedder(DEFAULT_EMBEDDING_MODEL, threads=threads, backend=backend, cache_dir=cache_dir)
                 for backend in BACKENDS}
    for embedder in embedders.values():
        embedder.encode(["warm up"])  # export (first run only) and load outside the timings
    tokenizer = embedders["onnx"]._load().tokenizer
    buckets = bucket_texts(shared, tokenizer)
    print(f"texts: {', '.join(f'{name} {len(texts)}' for name, texts in buckets.items())}; threads {threads}")
    print(f"load average before: {_load()} (a shared machine: other processes ran during the timings)",
          flush=True)
    rates: dict[tuple[str, str], list[float]] = {}
    vectors: dict[tuple[str, str], np.ndarray] = {}
    for round_number in range(1, rounds + 1):
        for bucket, texts in buckets.items():
            for backend, embedder in embedders.items():
                start = time.perf_counter()
                encoded = embedder.encode(texts)
                rates.setdefault((backend, bucket), []).append(len(texts) / (time.perf_counter() - start))
                vectors.setdefault((backend, bucket), encoded)
        print(f"round {round_number}/{rounds} done, load average {_load()}", flush=True)
    print(f"load average after:  {_load()}")
    return report(buckets, rates, vectors)


def report(buckets: dict[str, list[str]], rates: dict[tuple[str, str], list[float]],
           vectors: dict[tuple[str, str], np.ndarray]) -> dict[str, object]:
    header = f"{'backend':<10}" + "".join(f"{name + ' texts/s':>18}" for name in buckets)
    print(header + f"{'cos min':>9}{'cos p1':>9}{'cos mean':>9}  gate")
    results: dict[str, object] = {}
    for backend in BACKENDS:
        best = {bucket: max(rates[(backend, bucket)]) for bucket in buckets}
        speedups = {bucket: best[bucket] / max(rates[("torch", bucket)]) for bucket in buckets}
        cosines = np.concatenate([(vectors[(backend, b)] * vectors[("torch", b)]).sum(axis=1) for b in buckets])
        low, p1, mean = float(cosines.min()), float(np.percentile(cosines, 1)), float(cosines.mean())
        passed = backend != "torch" and min(speedups.values()) >= GATE_SPEEDUP and low >= GATE_COSINE
        cells = "".join(f"{f'{best[b]:.1f} ({speedups[b]:.2f}x)':>18}" for b in buckets)
        verdict = "—" if backend == "torch" else ("meets" if passed else "fails")
        print(f"{backend:<10}{cells}{low:>9.4f}{p1:>9.4f}{mean:>9.4f}  {verdict}")
        results[backend] = {"texts_per_s": best, "speedup": speedups, "cosine": [low, p1, mean], "gate": passed}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_shared_option(parser)
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every backend (default 2)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder for the ONNX exports (default: a temporary folder, exported anew)")
    args = parser.parse_args()
    if args.cache is not None:
        run(args.shared, args.rounds, args.cache)
        return
    with tempfile.TemporaryDirectory(prefix="ippo-onnx-") as folder:
        run(args.shared, args.rounds, Path(folder))


if __name__ == "__main__":
    main()

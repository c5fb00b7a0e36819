"""API load on loopback: `ippo serve` on 10,000 GENERATED listings, driven by concurrent clients.

Writes a snapshot of GENERATED listings (benchmarks.synthetic; not real listings) under a
temporary home, makes a key with `ippo keys create`, starts `ippo serve` on 127.0.0.1 in a
subprocess, then, for each concurrency (default 1, 8 and 20 clients) and each route, keeps that
many clients sending requests back to back for a fixed time:

    POST /v1/recommendations   an ad hoc profile varied from a few written ones (``varied_profile``):
                               one of PROFILES (its language, constraints and avoids) with titles,
                               skills, interests and needs drawn anew, so nearly every request
                               has a query text of its own (the API caches query embeddings by
                               exact text; the output gives the share of the embedded texts, those
                               of the English profiles, that were sent before in the run)
    GET  /v1/listings?q=...    a query drawn from a few written searches (QUERIES; search is
                               lexical and caches nothing per query, so repeats cost the same)

Prints per route and concurrency: requests/s, p50/p95/p99 latency, non-2xx responses,
connection errors and repeated query texts; the machine (CPU count and model), the API's
workers, and the load average before and after. The API's rate limit per key is raised through
the environment (IPPO_RATE_LIMIT_PER_MINUTE, IPPO_RATE_LIMIT_BURST) so the benchmark measures
serving, not the limiter; the output says so.

    .venv/bin/python -m benchmarks.api_load [--listings 10000] [--seconds 15] [--clients 1,8,20]
                                            [--workers 1] [--home DIR]

``--home DIR`` keeps the work folder; a folder that already holds a published snapshot is
served as it is (the listings are not generated again).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx

from benchmarks.bench_load import _cpu
from benchmarks.generated_snapshot import write_snapshot
from benchmarks.synthetic import ListingGenerator, SharedDataMissingError, load_vocabulary, title_vectors
from pipeline.warehouse.pointer import POINTER

# Raised for the benchmark only (the defaults are 120 a minute and a burst of 30 per key).
RATE_ENV = {"IPPO_RATE_LIMIT_PER_MINUTE": "100000000", "IPPO_RATE_LIMIT_BURST": "1000000"}
IPPO = [sys.executable, "-c", "from ippo.cli import main; main()"]
TARGET_P99_MS = 200.0

# Ad hoc profiles, written for the benchmark: Japanese and English, with and without constraints.
PROFILES: list[dict[str, Any]] = [
    {"language": "ja", "desired_titles": ["看護師"], "skills": ["採血", "電子カルテ"],
     "interests": {"R": 2, "I": 3, "A": 1, "S": 6, "E": 1, "C": 4},
     "constraints": {"locations": [{"country": "JP", "region": "東京都"}]},
     "needs": ["career_gap_ok", "training_provided"], "avoid": ["night_shift"]},
    {"language": "ja", "desired_titles": ["一般事務", "データ入力"], "skills": ["Excel", "電話応対"],
     "interests": {"R": 1, "I": 2, "A": 1, "S": 3, "E": 2, "C": 7},
     "constraints": {"employment_types": ["PART_TIME"], "max_hours_per_week": 20},
     "needs": ["short_hours", "flexible_schedule"]},
    {"language": "ja", "desired_titles": ["介護職員"], "summary": "子育てが落ち着いたので、日勤のみで復職したい。",
     "interests": {"R": 3, "I": 1, "A": 2, "S": 7, "E": 1, "C": 3}, "needs": ["gradual_start"]},
    {"language": "en", "desired_titles": ["software engineer"], "skills": ["Python", "SQL"],
     "interests": {"R": 2, "I": 6, "A": 3, "S": 2, "E": 2, "C": 4},
     "constraints": {"remote": "preferred"}, "needs": ["remote_ok", "career_gap_ok"]},
    {"language": "en", "desired_titles": ["customer service representative"],
     "interests": {"R": 1, "I": 2, "A": 2, "S": 6, "E": 4, "C": 4},
     "constraints": {"employment_types": ["PART_TIME"]}, "needs": ["flexible_schedule"]},
]
# What varied profiles draw from, per language (written for the benchmark).
TITLES = {
    "ja": ["看護師", "介護職員", "一般事務", "データ入力", "保育士", "販売スタッフ", "倉庫作業", "経理事務",
           "受付", "調理補助", "清掃スタッフ", "コールセンター", "ドライバー", "薬剤師", "歯科助手", "営業事務"],
    "en": ["software engineer", "customer service representative", "data analyst", "warehouse associate",
           "registered nurse", "office assistant", "bookkeeper", "teacher aide", "delivery driver",
           "retail sales associate", "medical receptionist", "web developer", "accounts payable clerk",
           "call center agent", "home health aide", "technical writer"],
}
SKILLS = {
    "ja": ["Excel", "電話応対", "採血", "電子カルテ", "接客", "フォークリフト", "簿記", "ワード", "レジ", "普通免許",
           "介護福祉士", "英語", "データ入力", "在庫管理"],
    "en": ["Python", "SQL", "Excel", "customer support", "scheduling", "bookkeeping", "forklift", "first aid",
           "JavaScript", "data entry", "Spanish", "inventory", "writing", "CPR"],
}
NEEDS = ["career_gap_ok", "training_provided", "short_hours", "flexible_schedule", "gradual_start", "remote_ok"]
QUERIES = ["看護師", "事務 パート", "介護", "保育士 未経験", "engineer", "customer service", "倉庫 軽作業",
           "販売", "driver", "経理"]


@dataclass
class RouteLoad:
    """What one route did at one concurrency."""

    route: str
    clients: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    connection_errors: int = 0
    texts: set[str] = field(default_factory=set)  # sent to the route so far, shared by its loads
    sent: int = 0
    repeats: int = 0

    def saw(self, text: str) -> None:
        """Count a query text, and whether it was sent to the route before (in any load of the run)."""
        self.sent += 1
        self.repeats += text in self.texts
        self.texts.add(text)

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")

    def line(self) -> str:
        rate = len(self.latencies_ms) / self.seconds if self.seconds else 0.0
        return (f"  {self.route:<26} {self.clients:>3} clients  {len(self.latencies_ms):>6} requests  "
                f"{rate:7.1f} req/s  p50 {self.percentile(0.50):7.1f} ms  p95 {self.percentile(0.95):7.1f} ms  "
                f"p99 {self.percentile(0.99):7.1f} ms  non-2xx {self.non_2xx}  "
                f"connection errors {self.connection_errors}  repeated texts {self.repeat_share:.0%}")

    @property
    def repeat_share(self) -> float:
        return self.repeats / self.sent if self.sent else 0.0


Send = Callable[[httpx.AsyncClient, random.Random, "RouteLoad"], Any]


def varied_profile(rng: random.Random) -> dict[str, Any]:
    """One of PROFILES with its titles, skills, interests and needs drawn anew (language,
    constraints and avoids kept), so requests rarely share a query text."""
    base = rng.choice(PROFILES)
    language = base["language"]
    profile = {key: value for key, value in base.items() if key != "summary" or rng.random() < 0.5}
    profile["desired_titles"] = rng.sample(TITLES[language], rng.randint(1, 2))
    profile["skills"] = rng.sample(SKILLS[language], rng.randint(1, 3))
    profile["interests"] = {letter: rng.randint(0, 7) for letter in "RIASEC"}
    profile["needs"] = rng.sample(NEEDS, rng.randint(0, 3))
    return profile


def query_text(profile: dict[str, Any]) -> str:
    """What the API embeds for a profile (ranker.profile.AptitudeProfile.query_text)."""
    titles = profile.get("desired_titles", [])
    return "\n".join(p for p in [*titles, *titles, *profile.get("skills", []), profile.get("summary", "")] if p)


def _recommend(client: httpx.AsyncClient, rng: random.Random, load: RouteLoad) -> Any:
    profile = varied_profile(rng)
    if profile["language"] != "ja":  # Japanese profiles are ranked without an embedding (ranker.recommend)
        load.saw(query_text(profile))
    return client.post("/v1/recommendations", json=profile)


def _search(client: httpx.AsyncClient, rng: random.Random, load: RouteLoad) -> Any:
    query = rng.choice(QUERIES)
    load.saw(query)
    return client.get("/v1/listings", params={"q": query})


ROUTES: dict[str, Send] = {"POST /v1/recommendations": _recommend, "GET /v1/listings?q=": _search}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def generated_home(home: Path, count: int, seed: int, say: Callable[[str], None]) -> None:
    """A published snapshot of ``count`` GENERATED listings, with title embeddings, under ``home``."""
    from ippo.config import Settings
    from pipeline.embedding import Embedder

    started = time.perf_counter()
    rows = ListingGenerator(load_vocabulary(), seed=seed).listings(count)
    vectors = title_vectors(rows, Embedder(Settings().embedding_model), seed=seed)
    path = write_snapshot(rows, vectors, home / "serving")
    say(f"wrote {count:,} GENERATED listings (not real listings) to {path.name} "
        f"in {time.perf_counter() - started:.0f} s")


def create_key(env: dict[str, str]) -> str:
    """A new key with the scope recommend, made by `ippo keys create` (printed alone on its last line)."""
    made = subprocess.run([*IPPO, "keys", "create", "--scopes", "recommend", "--name", "api-load"],
                          env=env, capture_output=True, text=True, check=False)
    if made.returncode != 0:
        raise RuntimeError(f"`ippo keys create` failed ({made.returncode}): {made.stderr.strip()}")
    return made.stdout.strip().splitlines()[-1]


@contextmanager
def served(env: dict[str, str], port: int, log: TextIO, ready_within: float = 180.0) -> Any:
    """`ippo serve` on 127.0.0.1:port in a subprocess, once /ready answers 200; stopped on exit."""
    server = subprocess.Popen([*IPPO, "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=log, stderr=log)
    try:
        wait_ready(f"http://127.0.0.1:{port}", server, ready_within)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_ready(base: str, server: subprocess.Popen[bytes], within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`ippo serve` exited with {server.returncode} before it was ready; see its log")
        try:
            if httpx.get(f"{base}/ready", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"`ippo serve` was not ready at {base} within {within:.0f} s")


async def _client_loop(client: httpx.AsyncClient, send: Send, rng: random.Random, deadline: float,
                       load: RouteLoad) -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            response = await send(client, rng, load)
        except httpx.TransportError:
            load.connection_errors += 1
            continue
        load.latencies_ms.append((time.perf_counter() - started) * 1000)
        load.statuses[response.status_code] = load.statuses.get(response.status_code, 0) + 1


async def drive(base: str, key: str, route: str, clients: int, seconds: float, seed: int,
                sent: set[str] | None = None) -> RouteLoad:
    """``clients`` concurrent clients sending requests to ``route`` back to back for ``seconds``;
    ``sent``: the query texts sent to the route before (repeats are counted against it)."""
    load = RouteLoad(route, clients, texts=sent if sent is not None else set())
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers={"Authorization": f"Bearer {key}"}, limits=limits,
                                 timeout=30.0) as client:
        started = time.perf_counter()
        deadline = started + seconds
        # Each client of each load draws its own sequence (a later load does not replay an earlier one).
        await asyncio.gather(*(_client_loop(client, ROUTES[route], random.Random(seed + 1000 * clients + n),
                                            deadline, load) for n in range(clients)))
        load.seconds = time.perf_counter() - started
    return load


def warm_up(base: str, key: str, connections: int = 1) -> None:
    """One request of every written profile and query on each of ``connections`` connections (a
    connection stays with one worker; several reach every worker), so first-use costs are not measured."""
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(connections):
        with httpx.Client(base_url=base, headers=headers, timeout=120.0) as client:
            for profile in PROFILES:
                client.post("/v1/recommendations", json=profile).raise_for_status()
            for query in QUERIES:
                client.get("/v1/listings", params={"q": query}).raise_for_status()


def run(home: Path, count: int, seconds: float, concurrencies: list[int], seed: int, workers: int = 1,
        say: Callable[[str], None] = print) -> list[RouteLoad]:
    say(f"machine: {os.cpu_count()} CPUs, {_cpu()}")
    if (home / "serving" / POINTER).is_file():
        say(f"serving the snapshot already published under {home} (not generated again)")
    else:
        generated_home(home, count, seed, say)
    env = {**os.environ, "IPPO_HOME": str(home), "IPPO_API_WORKERS": str(workers), **RATE_ENV}
    key = create_key(env)
    say("rate limit per key raised for the benchmark: " + ", ".join(f"{k}={v}" for k, v in RATE_ENV.items()))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    loads: list[RouteLoad] = []
    with (home / "serve.log").open("w") as log, served(env, port, log):
        warm_up(base, key, connections=4 * workers if workers > 1 else 1)
        say(f"serving on {base} with {workers} worker(s); load average before: {_load_average()}")
        say(f"{seconds:.0f} s per route and concurrency:")
        sent: dict[str, set[str]] = {route: set() for route in ROUTES}
        for clients in concurrencies:
            for route in ROUTES:
                load = asyncio.run(drive(base, key, route, clients, seconds, seed, sent[route]))
                loads.append(load)
                say(load.line())
        say(f"load average after: {_load_average()}")
    _verdict(loads, max(concurrencies), say)
    return loads


def _load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _verdict(loads: list[RouteLoad], clients: int, say: Callable[[str], None]) -> None:
    for load in (item for item in loads if item.clients == clients):
        errors = load.non_2xx + load.connection_errors
        met = load.percentile(0.99) <= TARGET_P99_MS and errors == 0
        say(f"target p99 <= {TARGET_P99_MS:.0f} ms with no errors at {clients} clients, {load.route}: "
            f"{'met' if met else 'MISSED'} (p99 {load.percentile(0.99):.1f} ms, {errors} errors)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15.0, help="per route and concurrency")
    parser.add_argument("--clients", default="1,8,20", help="comma-separated concurrencies")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="API worker processes (`ippo serve --workers`)")
    parser.add_argument("--home", type=Path, help="work folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    concurrencies = [int(n) for n in args.clients.split(",")]
    home = args.home or Path(tempfile.mkdtemp(prefix="ippo-api-load-"))
    try:
        run(home, args.listings, args.seconds, concurrencies, args.seed, args.workers)
    except SharedDataMissingError as exc:
        print(f"skipped: {exc}")
    finally:
        if args.home is None:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

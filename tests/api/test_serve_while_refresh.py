"""`ippo serve` keeps answering while `ippo refresh` crawls, loads and publishes into the same home.

The API runs in one process on a home holding a published snapshot of the bundled demo pages;
client threads send recommendations and listing searches with a key the whole time, while a
full refresh of the local demo site runs in another process. No request may fail, and once the
refresh has published, the API must serve the new version within a few seconds.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from benchmarks.api_load import IPPO, RATE_ENV, free_port, served
from ippo.demo_site import serve_pages
from tests.api.served import bearer, issue_key

SAMPLE_PROFILE = Path(__file__).resolve().parents[2] / "ippo" / "samples" / "profile_returning_nurse_ja.json"
CLIENTS = 4
NEW_VERSION_WITHIN_S = 5.0


@dataclass
class Traffic:
    """What the client threads saw: every status, the failures, the versions of the pages served."""

    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    versions: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response: httpx.Response) -> None:
        with self.lock:
            self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
            if response.status_code != 200:
                self.failures.append(f"{response.request.method} {response.request.url.path}: "
                                     f"{response.status_code} {response.text[:200]}")
            elif "snapshot_version" in (body := response.json()):
                self.versions.append((time.monotonic(), body["snapshot_version"]))

    def fail(self, what: str) -> None:
        with self.lock:
            self.failures.append(what)


def _client(base: str, key: str, profile: dict, traffic: Traffic, stop: threading.Event) -> None:
    with httpx.Client(base_url=base, headers=bearer(key), timeout=30.0) as client:
        while not stop.is_set():
            for method, path, body in (("POST", "/v1/recommendations", profile), ("GET", "/v1/listings", None)):
                try:
                    response = client.request(method, path, json=body, params=None if body else {"q": "看護師"})
                except httpx.TransportError as exc:
                    traffic.fail(f"{method} {path}: {type(exc).__name__} {exc}")
                    continue
                traffic.record(response)


def _refresh(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*IPPO, "refresh"], env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"`ippo refresh` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


def _published_version(refresh: subprocess.CompletedProcess[str]) -> str:
    found = re.search(r"published snapshot (\S+):", refresh.stdout)
    assert found, f"`ippo refresh` did not say which snapshot it published:\n{refresh.stdout}"
    return found.group(1)


@pytest.fixture
def demo_home(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A home with a published snapshot of the local demo site (still served), and the environment
    of the `ippo` processes on it."""
    home = tmp_path / "home"
    sources = tmp_path / "sources.toml"
    env = {**os.environ, "IPPO_HOME": str(home), "IPPO_SOURCES": str(sources), **RATE_ENV}
    with serve_pages(port=0) as base:
        sources.write_text(f'[sources.local]\nspider = "jsonld"\nurls = ["{base}/sitemap.xml"]\n'
                           "[sources.local.settings]\nDOWNLOAD_DELAY = 0\nAUTOTHROTTLE_ENABLED = false\n",
                           encoding="utf-8")
        _refresh(env)
        yield home, env


@pytest.mark.slow
def test_api_serves_without_failures_while_a_refresh_publishes(demo_home: tuple[Path, dict[str, str]],
                                                               tmp_path: Path) -> None:
    home, env = demo_home
    key = issue_key(home, "recommend")
    profile = json.loads(SAMPLE_PROFILE.read_text(encoding="utf-8"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    traffic, stop = Traffic(), threading.Event()
    with (tmp_path / "serve.log").open("w") as log, served(env, port, log):
        old = httpx.get(f"{base}/health").json()["snapshot_version"]
        clients = [threading.Thread(target=_client, args=(base, key, profile, traffic, stop), daemon=True)
                   for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        try:
            new = _published_version(_refresh(env))
            refreshed_at = time.monotonic()
            served_new_at = _wait_for_version(base, new, NEW_VERSION_WITHIN_S)
            time.sleep(0.5)  # a little traffic on the new snapshot
        finally:
            stop.set()
            for thread in clients:
                thread.join(timeout=30)
    assert new != old
    assert not traffic.failures, f"{len(traffic.failures)} failed requests, e.g. {traffic.failures[:5]}"
    assert sum(traffic.statuses.values()) >= 2 * CLIENTS, f"too little traffic to judge: {traffic.statuses}"
    assert served_new_at is not None, f"the API still served {old} {NEW_VERSION_WITHIN_S} s after {new} was published"
    assert {version for _, version in traffic.versions} <= {old, new}
    assert any(at >= refreshed_at and version == new for at, version in traffic.versions), (
        "no recommendation after the publish came from the new snapshot")
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")


def _wait_for_version(base: str, version: str, within: float) -> float | None:
    """When /health first named ``version``, or None when it did not within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if httpx.get(f"{base}/health", timeout=5.0).json().get("snapshot_version") == version:
            return time.monotonic()
        time.sleep(0.1)
    return None

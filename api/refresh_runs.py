"""Refreshes and the source table started from the API, run by the `ippo` commands themselves.

A refresh is `ippo refresh [SOURCE ...]` (crawl, load, publish: ippo.steps) in its own process,
so the API keeps serving while it crawls and loads, and the command's code is the only code that
refreshes. The API may not import the commands or the crawlers (the import contract in
.importlinter), and a separate process keeps a long crawl and load off the API's cores' Python
lock. The process gets the API's settings through the environment (``IPPO_<FIELD>``).

Its output goes to ``$IPPO_HOME/logs/api-refresh-<run id>.log``; a watcher thread reads the file
as it grows and feeds api.refresh_progress, so GET /v1/admin/runs/{id} shows each step and source
as it goes. The process writes to a file, not a pipe, so it finishes its run (and publishes)
even when the API stops meanwhile. One refresh at a time per API: another request while one runs
gets 409. Runs are remembered in memory (the last ``KEEP_RUNS``); the log files stay.

`GET /v1/admin/sources` is `ippo sources --json`, run the same way.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from api.refresh_progress import RefreshProgress
from ippo.config import Settings, env_name

KEEP_RUNS = 20
POLL_SECONDS = 0.2
SOURCES_TIMEOUT_SECONDS = 120
# Run the command line in a new interpreter; the arguments after it are the command's.
_IPPO = (sys.executable, "-c", "from ippo.cli import main; main()")
_NOT_PASSED = frozenset({"run_id"})


class RefreshRunningError(RuntimeError):
    """A refresh started from this API is still running."""


class SourcesCommandError(RuntimeError):
    """`ippo sources` could not list the sources (e.g. sources.toml is missing or invalid)."""


def command_environment(settings: Settings) -> dict[str, str]:
    """The environment of a command run for the API: the API's own, with every setting the API
    runs with, so the command reads the same home, sources and models."""
    env = dict(os.environ)
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if name in _NOT_PASSED or value is None:
            continue
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        elif not isinstance(value, str | int | float | Path):
            value = json.dumps(value)
        env[env_name(name)] = str(value)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def source_rows(settings: Settings) -> list[dict[str, Any]]:
    """The rows of `ippo sources --json`: each source's health and schedule."""
    done = subprocess.run([*_IPPO, "sources", "--json"], env=command_environment(settings), capture_output=True,
                          text=True, timeout=SOURCES_TIMEOUT_SECONDS, check=False)
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or [f"`ippo sources` ended with exit code {done.returncode}"])[-1]
        raise SourcesCommandError(message.removeprefix("error: "))
    return json.loads(done.stdout)


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class RefreshRun:
    id: str
    sources: list[str]
    log: Path
    process: subprocess.Popen[bytes]
    started: float = field(default_factory=time.time)
    finished: float | None = None
    exit_code: int | None = None
    progress: RefreshProgress = field(default_factory=RefreshProgress)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def running(self) -> bool:
        return self.exit_code is None

    def to_dict(self) -> dict[str, Any]:
        with self.lock:
            now = self.finished or time.time()
            status = "running" if self.running else ("succeeded" if self.exit_code == 0 else "failed")
            errors = [line for line in self.progress.problems if line.startswith("error:")]
            problems = errors or self.progress.problems
            return {
                "id": self.id, "status": status, "sources": self.sources, "started_at": _utc(self.started),
                "finished_at": _utc(self.finished) if self.finished else None,
                "elapsed_s": round(now - self.started, 1), "exit_code": self.exit_code,
                "snapshot_version": self.progress.snapshot_version,
                "error": (problems[-1] if problems else f"exit code {self.exit_code}") if status == "failed" else None,
                "log": str(self.log), "steps": self.progress.to_list(now),
            }


def _watch(run: RefreshRun) -> None:
    """Feed the run's progress with the lines of its log as they are written, until it ends."""
    with run.log.open("rb") as handle:
        pending = b""
        while True:
            ended = run.process.poll()
            chunk = handle.read()
            pending += chunk
            *lines, pending = pending.split(b"\n")
            now = time.time()
            with run.lock:
                for line in lines:
                    run.progress.feed(line.decode("utf-8", errors="replace"), now)
                if ended is not None and not chunk:
                    if pending:
                        run.progress.feed(pending.decode("utf-8", errors="replace"), now)
                    run.progress.end(ended, now)
                    run.exit_code, run.finished = ended, now
                    return
            if not chunk:
                time.sleep(POLL_SECONDS)


class RefreshRuns:
    """The refreshes this API started: at most one running, the last KEEP_RUNS remembered."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runs: OrderedDict[str, RefreshRun] = OrderedDict()
        self._lock = threading.Lock()

    def start(self, sources: list[str]) -> RefreshRun:
        with self._lock:
            running = next((r for r in self._runs.values() if r.running), None)
            if running is not None:
                raise RefreshRunningError(f"refresh {running.id} is still running; follow it at "
                                          f"/v1/admin/runs/{running.id} and start another once it has ended")
            run = self._launch(sources)
            self._runs[run.id] = run
            while len(self._runs) > KEEP_RUNS:
                self._runs.popitem(last=False)
        threading.Thread(target=_watch, args=(run,), name=f"refresh-{run.id}", daemon=True).start()
        return run

    def _launch(self, sources: list[str]) -> RefreshRun:
        run_id = f"r{datetime.now(UTC):%Y%m%dT%H%M%SZ}{secrets.token_hex(3)}"
        logs = self.settings.home / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        log = logs / f"api-refresh-{run_id}.log"
        with log.open("wb") as output:
            process = subprocess.Popen([*_IPPO, "refresh", *sources], stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, env=command_environment(self.settings),
                                       start_new_session=True)
        return RefreshRun(run_id, list(sources), log, process)

    def get(self, run_id: str) -> RefreshRun | None:
        with self._lock:
            return self._runs.get(run_id)

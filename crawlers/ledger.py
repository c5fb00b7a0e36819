"""Per-source run history and schedule: $IPPO_HOME/state/<source>.runs.json.

Every run is recorded (requests, items, errors by kind, duration, how it ended) so an operator
sees at a glance which source is healthy (`ippo sources`). The same record decides when a source
is next due: ``every`` after a success; after failures a delay that grows fourfold with each
consecutive failure (30 min, 2 h, 8 h, ... capped at a week), so a broken source is tried less
and less often and never holds up the others.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

MAX_RUNS_KEPT = 30
FAILURE_BASE_S = 30 * 60.0
FAILURE_MAX_S = 7 * 86400.0


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def ledger_path(home: Path, source: str) -> Path:
    return home / "state" / f"{source}.runs.json"


def read_ledger(home: Path, source: str) -> dict[str, Any]:
    path = ledger_path(home, source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"source": source, "runs": [], "consecutive_failures": 0}
    return data if isinstance(data, dict) else {"source": source, "runs": [], "consecutive_failures": 0}


def errors_by_kind(scrapy_stats: dict[str, Any]) -> dict[str, int]:
    """Failed downloads and unreadable pages of one run, by kind (from Scrapy's stats)."""
    errors: dict[str, int] = {}
    for key, value in scrapy_stats.items():
        if not isinstance(value, int | float):
            continue
        if key.startswith("downloader/exception_type_count/"):
            name = key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]
            if name == "IgnoreRequest":  # robots.txt refusals; counted as robots_forbidden below
                continue
            errors[f"exception:{name}"] = errors.get(f"exception:{name}", 0) + int(value)
        elif key.startswith("downloader/response_status_count/"):
            code = key.rsplit("/", 1)[-1]
            if code.isdigit() and int(code) >= 400:
                errors[f"http_{code}"] = int(value)
        elif key == "ippo/items/problem":
            errors["page_problem"] = int(value)
        elif key == "retry/max_reached":
            errors["retry_gave_up"] = int(value)
        elif key == "robotstxt/forbidden":
            errors["robots_forbidden"] = int(value)
    return errors


# Kinds that are failed fetches (counted in the error rate); the others are reported only.
_FETCH_ERROR_PREFIXES = ("exception:", "http_")


def error_rate(errors: dict[str, int], requests: int) -> float:
    failed = sum(n for kind, n in errors.items() if kind.startswith(_FETCH_ERROR_PREFIXES))
    return round(min(1.0, failed / requests), 4) if requests else (1.0 if failed else 0.0)


def failure_delay_s(consecutive_failures: int) -> float:
    return min(FAILURE_MAX_S, FAILURE_BASE_S * 4 ** max(0, consecutive_failures - 1))


def record_run(home: Path, source: str, run: dict[str, Any], every_s: float) -> dict[str, Any]:
    """Append one run (a dict with at least ok, finished_at) and recompute the schedule."""
    ledger = read_ledger(home, source)
    runs = [*ledger.get("runs", []), run][-MAX_RUNS_KEPT:]
    finished = parse_iso(run.get("finished_at")) or utcnow()
    if run.get("ok"):
        failures = 0
        ledger["last_success"] = run.get("finished_at")
        next_due = finished + timedelta(seconds=every_s)
    else:
        failures = int(ledger.get("consecutive_failures", 0)) + 1
        next_due = finished + timedelta(seconds=failure_delay_s(failures))
    ledger.update(
        source=source, runs=runs, consecutive_failures=failures, next_due=iso(next_due), every_s=every_s
    )
    path = ledger_path(home, source)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(ledger, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return ledger


def is_due(home: Path, source: str, now: datetime | None = None) -> bool:
    next_due = parse_iso(read_ledger(home, source).get("next_due"))
    return next_due is None or next_due <= (now or utcnow())

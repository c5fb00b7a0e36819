"""What the API can and cannot do when `ippo serve --workers N` runs it in several processes.

Every worker loads the snapshot, the embedding model and the key database on its own, and
serves every route that only reads them: the ad hoc recommendations, the listings, /health and
/ready. Three things are per process:

- **Stored profiles.** DuckDB lets one process open ``users.duckdb`` for writing, and no other
  process may open it at all meanwhile, so workers cannot share it. With more than one worker no
  worker opens it: every profile and feedback route (and the owner change of an admin) answers
  503 in every worker, saying to serve with one worker. Without this rule the first worker would
  take the file and the others would answer 503, depending on which worker a connection reached.
- **Refreshes started from the API.** A run is followed by the process that started it and only
  one runs at a time per process; with several workers two could run at once and a run's page
  would be found by one worker only. They answer 503 too; ``ippo refresh`` still works.
- **Rate limits.** Each worker keeps its own bucket per key (api.rate_limits), so a key may make
  up to N times its rate across N workers. ``ippo serve`` says so when it starts.

The key database (SQLite in WAL mode) is safe to share: each worker reads it, and records a
key's use at most every few seconds, giving up quietly when another process holds the write lock.
"""

from __future__ import annotations

from ippo.config import Settings, env_name


def one_process_only(settings: Settings, what: str) -> str | None:
    """Why ``what`` is not served by this API (several workers), or None when it is (one)."""
    if settings.api_workers <= 1:
        return None
    return (f"{what} need a single API process, and this API runs {settings.api_workers} workers "
            f"({env_name('api_workers')}): serve them with `ippo serve --workers 1`")


def stored_profiles_problem(settings: Settings) -> str | None:
    return one_process_only(settings, "stored profiles (users.duckdb, which one process may open at a time)")


def refresh_problem(settings: Settings) -> str | None:
    return one_process_only(settings, "refreshes started from the API (followed by the process that started them)")


def startup_notes(workers: int) -> list[str]:
    """What `ippo serve` prints before starting ``workers`` processes."""
    if workers <= 1:
        return []
    return [
        f"{workers} workers: stored-profile, feedback and admin refresh routes answer 503 (one process owns "
        "the user store); run `ippo serve --workers 1` to serve them",
        f"each worker counts its own rate per API key: a key may make up to {workers} times its rate",
    ]

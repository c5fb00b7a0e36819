"""When a listing stops being open: past its valid_through, or unseen for too long.

Listings are never deleted; they become ``closed`` with the reason (``expired`` or ``unseen``)
and a history row. "Unseen" is judged only after a *successful* run of the listing's source:
a crawl that failed half way says nothing about the jobs it did not reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

import duckdb


def close_expired(con: duckdb.DuckDBPyConnection, now: datetime) -> int:
    """Open listings past valid_through become closed ('expired'), with a history row."""
    con.execute(
        """
        INSERT INTO listing_history
        SELECT id, ?, 'closed', NULL, content_hash, NULL, 'expired'
        FROM listings WHERE status = 'open' AND valid_through IS NOT NULL AND valid_through < ?
        """,
        [now, now],
    )
    result = con.execute(
        """
        UPDATE listings SET status = 'closed', closed_reason = 'expired'
        WHERE status = 'open' AND valid_through IS NOT NULL AND valid_through < ?
        """,
        [now],
    ).fetchall()
    return int(result[0][0]) if result else 0


def close_unseen(
    con: duckdb.DuckDBPyConnection, sources: Iterable[str], now: datetime, after_days: float
) -> int:
    """Open listings of sources that just had a successful run, unseen for ``after_days``, close ('unseen')."""
    names = sorted(set(sources))
    if not names:
        return 0
    cutoff = now - timedelta(days=after_days)
    reason = f"unseen for more than {after_days:g} days"
    where = "status = 'open' AND source IN (SELECT unnest(?::VARCHAR[])) AND last_seen < ?"
    con.execute(
        f"INSERT INTO listing_history SELECT id, ?, 'closed', NULL, content_hash, NULL, ? FROM listings WHERE {where}",
        [now, reason, names, cutoff],
    )
    result = con.execute(
        f"UPDATE listings SET status = 'closed', closed_reason = 'unseen' WHERE {where}", [names, cutoff]
    ).fetchall()
    return int(result[0][0]) if result else 0


def run_succeeded(raw_dir: Path, source: str, run_file: str) -> bool:
    """What the source's run ledger says of this run; a run with no ledger entry counts as successful."""
    import json

    ledger = raw_dir.parent / "state" / f"{source}.runs.json"
    try:
        data = json.loads(ledger.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    for run in data.get("runs", []) if isinstance(data, dict) else []:
        if isinstance(run, dict) and run.get("raw_file") == run_file:
            return bool(run.get("ok"))
    return True

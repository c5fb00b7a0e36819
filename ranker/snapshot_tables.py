"""Which tables an open snapshot holds: a snapshot published by an older ippo lacks the newer ones
(embeddings, listing history, support tables), and readers answer without them."""

from __future__ import annotations

import duckdb


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the open database holds a table of that name."""
    found = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()
    return bool(found and found[0][0])

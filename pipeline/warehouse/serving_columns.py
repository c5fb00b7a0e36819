"""What serving needs of each listing beyond the warehouse row, computed once per snapshot.

The ranker reads only the published snapshot: it never runs the signal tagger or opens the
occupation tables while answering a request. So when a snapshot is written, every listing gets

- ``against``: the tags its text speaks against (未経験不可 against ``no_experience_ok``), with
  the listing's own words as evidence. Tagged on the text the ranker shows and explains: the
  title, a newline, and the first ``SERVED_DESCRIPTION_CHARS`` characters of the description.
- ``occupation_interests``: the RIASEC interest profile of its occupation (O*NET 1-7, job tag
  1-5), NULL when the occupation or its profile is unknown.

Both work on a snapshot's ``listings`` table (``add_serving_columns``) and on listing rows held
in memory in the serving shape, with ``description`` (``with_serving_fields``: generated data,
tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, cast

import duckdb
import pyarrow as pa

from pipeline.canonical import SERVED_DESCRIPTION_CHARS, Interests, Signal
from pipeline.occupations import occupation_interests
from pipeline.signals.tagger import tag_text_detailed
from pipeline.warehouse.arrow import SERVING_FIELDS

RIASEC = ("R", "I", "A", "S", "E", "C")
AGAINST_TYPE = SERVING_FIELDS.field("against").type
INTERESTS_TYPE = SERVING_FIELDS.field("occupation_interests").type
_BATCH = 10_000
_TAGGED_LANGUAGES = ("ja", "en")


def against_evidence(title: str | None, description: str | None, language: str | None) -> list[Signal]:
    """Evidence against tags in the listing's served text, one entry per tag (first evidence)."""
    text = f"{title or ''}\n{description or ''}"
    return tag_text_detailed(text, language if language in _TAGGED_LANGUAGES else None)["against"]


class InterestProfiles:
    """Occupation -> interest profile, each (taxonomy, code) looked up once."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], Interests | None] = {}

    def of(self, taxonomy: str | None, code: str | None) -> Interests | None:
        if not taxonomy or not code:
            return None
        key = (str(taxonomy), str(code))
        if key not in self._found:
            self._found[key] = _lookup(*key)
        return self._found[key]


def _lookup(taxonomy: str, code: str) -> Interests | None:
    try:
        scores = occupation_interests(taxonomy, code)
    except (ValueError, LookupError):  # a taxonomy or code the tables do not know
        return None
    if not scores:
        return None
    return cast(Interests, {letter: _score(scores.get(letter)) for letter in RIASEC})


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def with_serving_fields(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Listing rows in the serving shape (``description`` = the served text), each with
    ``against`` and ``occupation_interests`` added."""
    profiles = InterestProfiles()
    out = []
    for row in rows:
        occupation = row.get("occupation") or {}
        out.append({
            **row,
            "against": against_evidence(row.get("title"), row.get("description"), row.get("language")),
            "occupation_interests": profiles.of(occupation.get("taxonomy"), occupation.get("code")),
        })
    return out


def _serving_batches(con: duckdb.DuckDBPyConnection) -> Iterator[pa.RecordBatch]:
    """(id, against, occupation_interests) of every listing of the table, in batches."""
    profiles = InterestProfiles()
    cursor = con.execute(
        f"SELECT id, title, left(coalesce(description_text, ''), {SERVED_DESCRIPTION_CHARS}), language, "
        "occupation.taxonomy, occupation.code FROM listings"
    )
    while rows := cursor.fetchmany(_BATCH):
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([r[0] for r in rows], pa.string()),
                pa.array([against_evidence(r[1], r[2], r[3]) for r in rows], AGAINST_TYPE),
                pa.array([profiles.of(r[4], r[5]) for r in rows], INTERESTS_TYPE),
            ],
            names=["id", *SERVING_FIELDS.names],
        )


def add_serving_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Give the ``listings`` table of a snapshot being written its serving columns (replacing
    any it has)."""
    batches = list(_serving_batches(con))
    schema = pa.schema([("id", pa.string()), *SERVING_FIELDS])
    con.register("serving_fields", pa.Table.from_batches(batches, schema=schema))
    present = {row[0] for row in con.execute("SELECT column_name FROM (DESCRIBE listings)").fetchall()}
    stale = [name for name in SERVING_FIELDS.names if name in present]
    keep = f"l.* EXCLUDE ({', '.join(stale)})" if stale else "l.*"
    con.execute(
        f"CREATE TABLE listings_serving AS SELECT {keep}, s.against, s.occupation_interests "
        "FROM listings l LEFT JOIN serving_fields s ON s.id = l.id"
    )
    con.unregister("serving_fields")
    con.execute("DROP TABLE listings")
    con.execute("ALTER TABLE listings_serving RENAME TO listings")

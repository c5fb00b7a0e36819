"""`ippo retag`: tag the stored listings again after a change of the signal vocabulary or tagger.

The load tags a listing once, when its content is new or changed; a new pattern in
pipeline/vocab/signals/<tag>.toml, or a change of the tagger's code, reaches listings already in
the warehouse only through here. Nothing is crawled and no raw run is read: each listing's text
signals are tagged again from the title and description the warehouse holds, through the same
function the load tags with (pipeline.sources.build.text_signals over tagged_text), and its
supportiveness is scored again from those signals and its employer's registry tags.

What a listing keeps as it was:
- signals from structured fields (``source`` structured): the load read them from the payload,
  which the warehouse does not hold;
- text signals whose evidence is not in the stored title and description: the load found them in
  the source's own hours or location text (JobPosting ``workHours``, a Greenhouse office name),
  which only the raw run holds. They are counted (``kept_unread``) and dropped only when their
  tag has left the vocabulary. The next load of a changed listing tags all of its text again.

Listings are read in Arrow batches from a second cursor (one snapshot, streamed: memory stays
at one batch of text however many listings there are), and the changed ones written in one
transaction with a history row each (``changed``, the columns that changed, reason
``signal re-tag``, raw_run = this re-tag's run) and a row in ``raw_runs`` of kind ``retag`` with
the counts and the tagger's fingerprints. A failure leaves the warehouse as it was. A dry run
opens the warehouse read-only and writes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from pipeline.canonical import Signal
from pipeline.signals.tagger import merge_signals
from pipeline.signals.vocabulary import signal_tags
from pipeline.sources.build import tagged_text, text_signals
from pipeline.warehouse.arrow import LISTING_SCHEMA
from pipeline.warehouse.connect import connect, connect_read_only, utcnow
from pipeline.warehouse.enrich import support_score
from pipeline.warehouse.load import transaction, write_tag_changes
from pipeline.warehouse.tagger_fingerprint import TaggerFingerprint, tagger_fingerprint

RETAG_REASON = "signal re-tag"
RUN_KIND = "retag"
DEFAULT_BATCH_SIZE = 2_000
EXAMPLES = 20  # changed listings listed in the report (lowest ids first)
SIGNALS_TYPE = LISTING_SCHEMA.field("signals").type
_READ = ("id", "title", "description_text", "language", "signals", "registry_tags", "supportiveness")
Scope = Literal["open", "all"]


@dataclass
class ListingChange:
    """One listing re-tagged: which tags it gained and lost, and its supportiveness before and after."""

    id: str
    title: str
    raised: list[str]
    dropped: list[str]
    supportiveness_before: float
    supportiveness_after: float


@dataclass
class RetagReport:
    fingerprint: TaggerFingerprint
    scope: Scope
    dry_run: bool
    run: str | None = None  # this re-tag's path in raw_runs; None on a dry run
    examined: int = 0
    changed: int = 0
    raised: Counter[str] = field(default_factory=Counter)  # tag -> listings that gained it
    dropped: Counter[str] = field(default_factory=Counter)  # tag -> listings that lost it
    evidence_changed: int = 0  # listings with the same tags whose evidence (or order) changed
    supportiveness_changed: int = 0
    kept_unread: int = 0  # text signals kept: their evidence is in text the warehouse does not hold
    examples: list[ListingChange] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def unchanged(self) -> int:
        return self.examined - self.changed

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run, "dry_run": self.dry_run, "scope": self.scope,
            "vocabulary": self.fingerprint.vocabulary, "tagger": self.fingerprint.tagger,
            "examined": self.examined, "changed": self.changed, "unchanged": self.unchanged,
            "raised": dict(sorted(self.raised.items())), "dropped": dict(sorted(self.dropped.items())),
            "evidence_changed": self.evidence_changed, "supportiveness_changed": self.supportiveness_changed,
            "kept_unread": self.kept_unread, "examples": [asdict(e) for e in self.examples],
            "seconds": round(self.seconds, 3),
        }


class WarehouseMissingError(FileNotFoundError):
    """There is no warehouse file to re-tag."""


# --- one listing ----------------------------------------------------------------------------------


def retagged_signals(stored: Sequence[Signal], title: str | None, description: str | None,
                     language: str | None, known_tags: frozenset[str]) -> tuple[list[Signal], int]:
    """A stored listing's signals tagged again, and how many text signals were kept unread.

    In the order the load gives: structured signals, then the text's in reading order, then text
    signals found in the source's hours or location text (kept, when their tag is still known)."""
    text = tagged_text(title, description)
    fixed = [s for s in stored if s["source"] != "text"]
    unread = [s for s in stored if s["source"] == "text" and s["evidence"] not in text and s["tag"] in known_tags]
    return merge_signals(fixed, text_signals(text, language), unread), len(unread)


def _tags(signals: Sequence[Signal]) -> list[str]:
    return [s["tag"] for s in signals]


# --- the batches ----------------------------------------------------------------------------------


@dataclass
class _Pending:
    ids: list[str] = field(default_factory=list)
    signals: list[list[Signal]] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)

    def table(self) -> pa.Table:
        return pa.table({"id": pa.array(self.ids, pa.string()), "signals": pa.array(self.signals, SIGNALS_TYPE),
                         "supportiveness": pa.array(self.scores, pa.float64())})


def _listing_batches(reader: duckdb.DuckDBPyConnection, scope: Scope, batch_size: int) -> Iterator[pa.RecordBatch]:
    """The listings to examine, streamed in Arrow batches of at most ``batch_size`` rows."""
    where = "WHERE status = 'open'" if scope == "open" else ""
    relation = reader.sql(
        "SELECT id, title, description_text, language, signals, employer.registry_tags AS registry_tags, "
        f"supportiveness FROM listings {where}"
    )
    yield from relation.to_arrow_reader(batch_size)


def _examine(batch: pa.RecordBatch, report: RetagReport, pending: _Pending, known_tags: frozenset[str]) -> None:
    """Tag one batch again; the listings whose signals or score differ go to ``pending``."""
    columns = [batch.column(name).to_pylist() for name in _READ]
    for lid, title, description, language, stored, registry_tags, score in zip(*columns, strict=True):
        stored = stored or []
        signals, kept = retagged_signals(stored, title, description, language, known_tags)
        new_score = support_score(signals, registry_tags or [])
        report.examined += 1
        report.kept_unread += kept
        if signals == stored and new_score == score:
            continue
        _count(report, lid, title, stored, signals, score, new_score)
        pending.ids.append(lid)
        pending.signals.append(signals)
        pending.scores.append(new_score)


def _count(report: RetagReport, lid: str, title: str, before: list[Signal], after: list[Signal],
           score: float, new_score: float) -> None:
    old_tags, new_tags = _tags(before), _tags(after)
    raised = [t for t in new_tags if t not in old_tags]
    dropped = [t for t in old_tags if t not in new_tags]
    report.changed += 1
    report.raised.update(raised)
    report.dropped.update(dropped)
    if not raised and not dropped and before != after:
        report.evidence_changed += 1
    if new_score != score:
        report.supportiveness_changed += 1
    report.examples.append(ListingChange(lid, title, raised, dropped, score, new_score))
    if len(report.examples) > 2 * EXAMPLES:
        _trim_examples(report)


def _trim_examples(report: RetagReport) -> None:
    report.examples = sorted(report.examples, key=lambda e: e.id)[:EXAMPLES]


# --- the run --------------------------------------------------------------------------------------


def _run_path(con: duckdb.DuckDBPyConnection, now: datetime) -> str:
    """This re-tag's name in raw_runs: ``retag:<UTC time>``, with -2, -3, ... when one ran that second."""
    base = f"{RUN_KIND}:{now:%Y%m%dT%H%M%SZ}"
    taken = {row[0] for row in con.execute(
        "SELECT path FROM raw_runs WHERE path = ? OR starts_with(path, ?)", [base, base + "-"]).fetchall()}
    path, number = base, 1
    while path in taken:
        number += 1
        path = f"{base}-{number}"
    return path


def _record_run(con: duckdb.DuckDBPyConnection, report: RetagReport, now: datetime) -> None:
    assert report.run is not None
    con.execute(
        "INSERT INTO raw_runs (path, source, run_id, size_bytes, loaded_at, items, new, changed, unchanged, "
        "quarantined, successful, registry_records, kind, vocabulary, tagger) "
        "VALUES (?, ?, ?, 0, ?, ?, 0, ?, ?, 0, TRUE, 0, ?, ?, ?)",
        [report.run, f"{report.scope} listings", report.run.split(":", 1)[1], now, report.examined,
         report.changed, report.unchanged, RUN_KIND, report.fingerprint.vocabulary, report.fingerprint.tagger],
    )


def _open(warehouse: Path, dry_run: bool) -> duckdb.DuckDBPyConnection:
    """The warehouse for writing (migrated, as the load opens it), or read-only for a dry run."""
    if not warehouse.exists():
        raise WarehouseMissingError(
            f"there is no warehouse at {warehouse}; run `ippo load` first (re-tagging reads stored listings)")
    return connect(warehouse) if not dry_run else connect_read_only(warehouse)


def retag(
    warehouse: Path,
    *,
    all_listings: bool = False,
    dry_run: bool = False,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[RetagReport], None] | None = None,
) -> RetagReport:
    """Tag the stored listings again (open ones, or all with ``all_listings``) and write those that
    changed, with history and a run of kind ``retag``; ``dry_run`` only reports what would change.

    ``progress`` is called with the report after each batch. Raises WarehouseMissingError when
    there is no warehouse and WarehouseBusyError when another process holds it.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    now = now or utcnow()
    report = RetagReport(fingerprint=tagger_fingerprint(), scope="all" if all_listings else "open", dry_run=dry_run)
    known_tags = frozenset(signal_tags())
    con = _open(warehouse, dry_run)
    try:
        reader = con.cursor()
        try:
            if dry_run:
                _retag_batches(reader, None, report, now, batch_size, known_tags, progress)
            else:
                with transaction(con):
                    report.run = _run_path(con, now)
                    _retag_batches(reader, con, report, now, batch_size, known_tags, progress)
                    _record_run(con, report, now)
        finally:
            reader.close()
    finally:
        con.close()
    _trim_examples(report)
    report.seconds = time.perf_counter() - started
    return report


def _retag_batches(reader: duckdb.DuckDBPyConnection, writer: duckdb.DuckDBPyConnection | None,
                   report: RetagReport, now: datetime, batch_size: int, known_tags: frozenset[str],
                   progress: Callable[[RetagReport], None] | None) -> None:
    """Examine every batch; with a writer, write the changed listings whenever a batch's worth is
    pending (a dry run only counts them)."""
    pending = _Pending()
    for batch in _listing_batches(reader, report.scope, batch_size):
        _examine(batch, report, pending, known_tags)
        if writer is None:
            pending = _Pending()
        elif len(pending.ids) >= batch_size:
            _write(writer, pending, report, now)
            pending = _Pending()
        if progress is not None:
            progress(report)
    if writer is not None and pending.ids:
        _write(writer, pending, report, now)


def _write(con: duckdb.DuckDBPyConnection, pending: _Pending, report: RetagReport, now: datetime) -> None:
    write_tag_changes(con, pending.table(), now, reason=RETAG_REASON, raw_run=report.run)

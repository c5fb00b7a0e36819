"""Reading raw runs for the loader: fingerprint every line, parse and normalize the new ones.

Nothing here touches the warehouse. Lines are fingerprinted from a memory map; the lines that
must be parsed are normalized in a process pool, one task per chunk of lines of one source,
and each task sends back small per-line outcomes plus its listings as one Arrow record batch
(built in the worker, so the loader neither unpickles dicts nor converts them to Arrow).
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import xxhash

from pipeline.errors import NormalizeError
from pipeline.sources.build import NORMALIZER_VERSION
from pipeline.sources.kinds import NORMALIZERS
from pipeline.support.kinds import SUPPORT_KINDS
from pipeline.warehouse.arrow import listings_to_batch
from pipeline.warehouse.enrich import registry_record_from_payload, support_score

REGISTRY_KIND = "registry_record"
CHUNK_LINES = 400  # lines per task of the normalizing pool
POOL_MIN_LINES = 1500  # below this, forking workers costs more than it saves

# Per-line outcomes of a parsed chunk:
#   ("bad", reason, message)            -> quarantine
#   ("registry", record)                -> registry_records
#   ("support", kind, payload)          -> support tables (pipeline/support/store.py)
#   ("seen", listing id, content hash)  -> unchanged listing, only last_seen moves
#   ("listing", listing id, content hash, row) -> row of the chunk's record batch
Outcome = tuple[Any, ...]


@dataclass
class Fresh:
    """A line that must be parsed: which run (index) it came from, where, and its fingerprint."""

    run: int
    line_no: int
    line: bytes
    line_hash: str


@dataclass
class ParsedChunk:
    outcomes: list[Outcome]
    listings: pa.RecordBatch | None  # the rows that "listing" outcomes point at


def line_prefix(source: str) -> bytes:
    return f"{NORMALIZER_VERSION}\x1f{source}\x1f".encode()


_BLANK = frozenset(b" \t\r\n\f\v")


def hash_lines(path: Path, source: str) -> list[tuple[int, str, int, int]]:
    """(line number, fingerprint, start, stop) of each non-blank line of a run file.

    The file is mapped, not read, and each line hashed from the mapping with 128-bit xxh3,
    seeded by (normalizer version, source): ~10x the speed of sha1, which made hashing half of
    a reload (0.16 s against 0.08 s for 20,000 lines / 100 MB, the rest being this loop).
    Threads or a process pool over byte ranges were measured no faster on this 2-core
    machine (the per-line work holds the GIL; forking costs what it saves).
    """
    rows: list[tuple[int, str, int, int]] = []
    if path.stat().st_size == 0:
        return rows  # an empty file cannot be mapped
    seed = xxhash.xxh3_64_intdigest(line_prefix(source))
    digest = xxhash.xxh3_128_hexdigest
    add = rows.append
    line_no = 0
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        size = len(mapped)
        view = memoryview(mapped)
        try:
            find = mapped.find
            pos = 0
            while pos < size:
                end = find(b"\n", pos)
                if end < 0:
                    end = size
                line_no += 1
                stop = end - 1 if end > pos and mapped[end - 1] == 13 else end  # a CRLF line
                if stop > pos and not (mapped[pos] in _BLANK and not bytes(view[pos:stop]).strip()):
                    add((line_no, digest(view[pos:stop], seed), pos, stop))
                pos = end + 1
        finally:
            view.release()
    return rows


def process_line(line: bytes, source: str, known: dict[str, str]) -> tuple[Any, ...]:
    """One raw line -> ('bad', reason, message) | ('seen', id, hash) | ('listing', Listing) | ('registry', record)."""
    try:
        item = orjson.loads(line)
    except orjson.JSONDecodeError:
        # orjson refuses a few things the json module accepts (NaN, integers beyond 64 bits,
        # lone surrogate escapes): such a line is read by json, or quarantined with its message.
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            return ("bad", "invalid_json_line", f"not valid JSON ({getattr(exc, 'msg', exc)})")
        except RecursionError:  # orjson stops at 1,024 levels, json near the recursion limit
            return ("bad", "invalid_json_line", "not valid JSON (nested too deeply to read)")
    if not isinstance(item, dict):
        return ("bad", "item_not_object", "the line is JSON but not an object")
    item.setdefault("source", source)
    kind = item.get("kind")
    if kind == "problem":
        return ("bad", "page_problem", str(item.get("problem") or "the crawler reported a problem"))
    try:
        if kind == REGISTRY_KIND:
            return ("registry", registry_record_from_payload(item.get("payload")))
        if kind in SUPPORT_KINDS:
            return ("support", kind, item.get("payload"))  # read by the loader's support stage
        normalizer = NORMALIZERS.get(str(kind))
        if normalizer is None:
            return ("bad", "unknown_kind", f"no normalizer for items of kind {kind!r}")
        listing_id, content_hash = normalizer.identify(item)
        if known.get(listing_id) == content_hash:
            return ("seen", listing_id, content_hash)
        return ("listing", normalizer.normalize(item, content_hash=content_hash))
    except NormalizeError as exc:
        return ("bad", exc.reason, str(exc))
    except Exception as exc:  # a normalizer bug must not stop the load; the item is kept
        return ("bad", "normalizer_error", f"{type(exc).__name__}: {exc}")


_ARROW_ERRORS = (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError)


def parse_chunk(source: str, lines: Sequence[bytes], known: dict[str, str]) -> ParsedChunk:
    """Parse and normalize lines of one source; listings leave as one Arrow record batch.

    Supportiveness is scored here from the listing's own signals; the loader rescores the few
    listings that later get registry tags. A listing whose values do not fit the warehouse's
    columns (a normalizer bug) is quarantined alone, not with its whole chunk.
    """
    outcomes: list[Outcome] = []
    listings: list[dict[str, Any]] = []
    slots: list[int] = []  # outcome index of each listing
    for line in lines:
        result = process_line(line, source, known)
        if result[0] == "listing":
            listing = result[1]
            listing["supportiveness"] = support_score(listing["signals"], [])
            slots.append(len(outcomes))
            listings.append(listing)
            outcomes.append(("listing", listing["id"], listing["content_hash"], -1))
        else:
            outcomes.append(result)
    if not listings:
        return ParsedChunk(outcomes, None)
    try:
        batch = listings_to_batch(listings)  # type: ignore[arg-type]
        kept = list(range(len(listings)))
    except _ARROW_ERRORS:
        kept, parts = [], []
        for number, listing in enumerate(listings):
            try:
                parts.append(listings_to_batch([listing]))  # type: ignore[list-item]
                kept.append(number)
            except _ARROW_ERRORS as exc:
                outcomes[slots[number]] = ("bad", "normalizer_error",
                                           f"the listing does not fit the warehouse columns: {exc}")
        if not parts:
            return ParsedChunk(outcomes, None)
        batch = pa.Table.from_batches(parts).combine_chunks().to_batches()[0]
    for row, number in enumerate(kept):
        _, listing_id, content_hash, _ = outcomes[slots[number]]
        outcomes[slots[number]] = ("listing", listing_id, content_hash, row)
    return ParsedChunk(outcomes, batch)


# The warehouse's id -> content hash, set before the pool forks so workers inherit it for free.
_KNOWN: dict[str, str] = {}


def _parse_task(task: tuple[str, list[bytes]]) -> ParsedChunk:
    return parse_chunk(task[0], task[1], _KNOWN)


def parse(fresh: Sequence[Fresh], source_of_run: Sequence[str], known: dict[str, str],
          workers: int, on_chunk: Callable[[int], None] | None = None) -> list[tuple[list[Fresh], ParsedChunk]]:
    """Parse the fresh lines in chunks of one source each: (the chunk's lines, its result) pairs.

    Lines keep their order within a source, which is what matters: the same listing (same
    source and id) seen twice keeps its later line. Listings of different sources never
    share an id, so chunks of different sources may be read in any order. ``on_chunk`` is told
    the number of lines of each chunk as it is done.
    """
    by_source: dict[str, list[Fresh]] = {}
    for f in fresh:
        by_source.setdefault(source_of_run[f.run], []).append(f)
    chunks: list[tuple[str, list[Fresh]]] = []
    for source, lines in by_source.items():
        chunks.extend((source, lines[i:i + CHUNK_LINES]) for i in range(0, len(lines), CHUNK_LINES))
    tasks = [(source, [f.line for f in lines]) for source, lines in chunks]
    global _KNOWN
    _KNOWN = known
    try:
        if workers > 1 and len(fresh) >= POOL_MIN_LINES:
            pa.array([""])  # pyarrow imports pandas at its first conversion: once here, not in each worker
            with get_context("fork").Pool(workers) as pool:
                parsed = _done_in_order(pool.imap(_parse_task, tasks, chunksize=1), tasks, on_chunk)
        else:
            parsed = _done_in_order(map(_parse_task, tasks), tasks, on_chunk)
    finally:
        _KNOWN = {}
    return [(lines, result) for (_, lines), result in zip(chunks, parsed, strict=True)]


def _done_in_order(results: Iterator[ParsedChunk], tasks: list[tuple[str, list[bytes]]],
                   on_chunk: Callable[[int], None] | None) -> list[ParsedChunk]:
    """The chunks' results in task order, telling ``on_chunk`` each chunk's size as it arrives."""
    parsed = []
    for (_, lines), result in zip(tasks, results, strict=True):
        parsed.append(result)
        if on_chunk is not None:
            on_chunk(len(lines))
    return parsed

"""The fast grouping of dedupe gives the answer of the plain rule: compare every pair of listings.

The reference below states the rule of pipeline/warehouse/dedupe.py pair by pair (O(n²)), from its public
key functions. The listings are real board and ATS rows of the labelled sample, plus a third
source that repeats ATS jobs without apply URLs, so that blocks of one employer and title are
large (Jane Street "Software Engineer" has dozens of places) and the place-mark shortcut is used.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest

from pipeline.employers.names import employer_key
from pipeline.fields.location import normalize_locations
from pipeline.warehouse.dedupe import (
    DedupeRow,
    duplicate_pairs,
    find_duplicates,
    find_duplicates_columns,
    is_ats_url,
    job_url_key,
    places_overlap,
    title_key,
)
from tests.conftest import FIXTURES

LABELLED = FIXTURES / "dedupe" / "labelled_pairs.csv"


def _ats_job(row: DedupeRow) -> str | None:
    key = job_url_key(row.apply_url)
    return key if key and (key.startswith("gh:") or is_ats_url(row.apply_url)) else None


def _same(a: DedupeRow, b: DedupeRow) -> bool:
    if a.source == b.source:
        return False
    key = job_url_key(a.apply_url)
    if key and key == job_url_key(b.apply_url):
        return True
    employer = employer_key(a.employer_name) if a.employer_name else ""
    title = title_key(a.title)
    if not employer or not title:
        return False
    if (employer_key(b.employer_name) if b.employer_name else "") != employer or title_key(b.title) != title:
        return False
    ka, kb = _ats_job(a), _ats_job(b)
    if ka and kb and ka != kb:
        return False
    return places_overlap(a, b)


def reference(rows: list[DedupeRow]) -> dict[str, str | None]:
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if _same(rows[i], rows[j]):
                ri, rj = find(i), find(j)
                parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[DedupeRow]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(find(i), []).append(row)
    out: dict[str, str | None] = {}
    for members in groups.values():
        first = min(members, key=lambda r: (0 if is_ats_url(r.url) else 1, r.first_seen or datetime.max, r.id))
        for r in members:
            out[r.id] = None if r.id == first.id else first.id
    return out


def _listings() -> list[DedupeRow]:
    with LABELLED.open(encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    rows: list[DedupeRow] = []
    boards: dict[str, dict[str, str]] = {p["board_url"]: p for p in pairs}
    ats: dict[str, dict[str, str]] = {p["ats_url"]: p for p in pairs}
    start = datetime(2026, 1, 1)
    for n, (url, p) in enumerate(sorted(boards.items())):
        rows.append(DedupeRow(f"board-{n}", "simplify", p["board_company"], p["board_title"],
                              normalize_locations(None, p["board_locations"]), None,
                              f"https://simplify.jobs/p/{n}", url, start + timedelta(days=n % 7)))
    for n, (url, p) in enumerate(sorted(ats.items())):
        places = normalize_locations({"name": p["ats_location"]}, p["ats_location"])
        rows.append(DedupeRow(f"ats-{n}", "greenhouse", p["ats_company"], p["ats_title"], places, None,
                              url, url, start + timedelta(days=n % 5)))
        if n % 3 == 0:
            # A board that repeats the ATS job without a link: joins by employer, title and place only.
            # Every fourth one lost its place and says remote (and so does a second board's copy);
            # every fifth one gives the region only.
            lost = n % 4 == 0
            if n % 5 == 0:
                places = [{**place, "locality": None} for place in places]
            rows.append(DedupeRow(f"mirror-{n}", "mirror", p["ats_company"].upper(), f"{p['ats_title']} (m/w/d)",
                                  None if lost else places, "remote" if lost else None, None, None, None))
            if lost:
                rows.append(DedupeRow(f"remote-{n}", "remote-board", p["ats_company"], p["ats_title"], [],
                                      "remote", None, None, start))
    return rows


def test_columns_and_rows_give_the_answer_of_every_pair_compared() -> None:
    rows = _listings()
    expected = reference(rows)
    assert sum(v is not None for v in expected.values()) >= 40  # the sample has real duplicates
    assert find_duplicates(rows) == expected
    assert find_duplicates_columns(*_columns(rows)) == expected


def test_answer_does_not_depend_on_the_order_of_listings() -> None:
    rows = _listings()
    expected = find_duplicates(rows)
    assert find_duplicates(list(reversed(rows))) == expected
    assert find_duplicates(rows[1::2] + rows[::2]) == expected


def test_pairs_are_those_of_every_pair_compared() -> None:
    rows = _listings()
    found = {(i, j) for i, j, _ in duplicate_pairs(rows)}
    expected = {(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if _same(rows[i], rows[j])}
    assert found == expected


def test_an_id_given_twice_keeps_the_last_written_answer() -> None:
    place = normalize_locations(None, "Tokyo, Japan")
    rows = [
        DedupeRow("x", "board", "Datadog", "Sales Engineer", place, None, None, None, datetime(2026, 1, 1)),
        DedupeRow("y", "greenhouse", "Datadog", "Sales Engineer", place, None,
                  "https://boards.greenhouse.io/datadog/jobs/1", None, datetime(2026, 2, 1)),
        DedupeRow("x", "lever", "Other", "Other", place, None, None, None, None),
    ]
    assert find_duplicates(rows) == reference(rows) == {"x": None, "y": None}


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="titles=1"):
        find_duplicates_columns(["a", "b"], ["s", "t"], [None, None], [None], [None, None], [None, None],
                                [None, None], [None, None], [None, None])


def _columns(rows: list[DedupeRow]) -> list[list]:
    return [list(c) for c in zip(*((r.id, r.source, r.employer_name, r.title, r.locations, r.remote, r.url,
                                    r.apply_url, r.first_seen) for r in rows), strict=True)]


def test_locations_read_on_demand_give_the_same_answer_and_only_some_are_read() -> None:
    rows = _listings()
    asked: list[list[int]] = []

    def locations_of(positions: list[int]) -> list:
        asked.append(list(positions))
        return [rows[p].locations for p in positions]

    columns = _columns(rows)
    columns[4] = locations_of  # type: ignore[call-overload]
    assert find_duplicates_columns(*columns) == reference(rows)
    assert len(asked) == 1 and len(set(asked[0])) == len(asked[0])
    # Board rows whose employer and title no other source has are never read.
    assert 0 < len(asked[0]) < len(rows)


def test_locations_function_that_loses_rows_is_refused() -> None:
    columns = _columns(_listings())
    columns[4] = lambda positions: []  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="locations_of gave 0 values"):
        find_duplicates_columns(*columns)

"""Cross-source duplicates: the same job seen on an ATS and on a job board.

Same-source identity is (source, source_id) and never reaches this module. Here two listings
of *different* sources are the same job when

* their apply URLs are the same job URL (after folding hosts, schemes, tracking queries and a
  trailing ``/apply``), or
* the employer key, the title key and at least one place agree (a place agrees when country,
  region and locality do not contradict each other and at least one of region or locality is
  equal; two fully remote listings without places agree too) — unless both apply URLs name
  ATS jobs and the two jobs differ: that is a repost or a second opening, not the same posting.

Nothing is dropped: every member of a group but one gets ``duplicate_of`` = the canonical
listing, which is the ATS one when there is one, else the earliest first seen. Precision comes
first: a wrong merge hides a real job from a person, a missed one only shows it twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from pipeline.employers import employer_key

# Hosts of applicant tracking systems: a listing whose own page is here is the employer's posting.
ATS_HOSTS = (
    "greenhouse.io",
    "lever.co",
    "ashbyhq.com",
    "smartrecruiters.com",
    "workable.com",
    "myworkdayjobs.com",
    "icims.com",
    "jobvite.com",
    "bamboohr.com",
    "recruitee.com",
    "personio.de",
    "teamtailor.com",
)
_HOST_FOLD = {"boards.greenhouse.io": "greenhouse.io", "job-boards.greenhouse.io": "greenhouse.io",
              "boards.eu.greenhouse.io": "greenhouse.io", "job-boards.eu.greenhouse.io": "greenhouse.io",
              "jobs.eu.lever.co": "jobs.lever.co"}
_NON_WORD = re.compile(r"[\W_]+")
_GENDER_MARK = re.compile(r"\((?:m|f|w|d|x|h)(?:\s*/\s*(?:m|f|w|d|x|h)){1,3}\)", re.IGNORECASE)


@dataclass(frozen=True)
class DedupeRow:
    """What dedupe needs of one listing."""

    id: str
    source: str
    employer_name: str | None
    title: str | None
    locations: Sequence[dict] | None
    remote: str | None
    url: str | None
    apply_url: str | None
    first_seen: datetime | None


def title_key(title: str | None) -> str:
    """Title folded for comparison: NFKC, case, punctuation and gender markers ("(m/w/d)") gone."""
    if not title:
        return ""
    text = _GENDER_MARK.sub(" ", unicodedata.normalize("NFKC", title))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _host(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    return _HOST_FOLD.get(host, host)


def job_url_key(url: str | None) -> str | None:
    """A job URL folded so the ATS page and a board's link to it compare equal; None if no URL.

    Greenhouse links embedded on a company site carry the job as ``gh_jid``; that id is the key.
    """
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.netloc:
        return None
    gh = parse_qs(parts.query).get("gh_jid")
    if gh and gh[0].isdigit():
        return f"gh:{gh[0]}"
    host = _host(parts.netloc)
    path = re.sub(r"/+", "/", parts.path).rstrip("/")
    if path.endswith("/apply"):
        path = path[: -len("/apply")]
    if host == "greenhouse.io":
        match = re.search(r"/jobs/(\d+)$", path)
        if match:
            return f"gh:{match.group(1)}"
    return f"{host}{path.lower()}"


def is_ats_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        host = _host(urlsplit(url).netloc)
    except ValueError:
        return False
    return any(host == h or host.endswith("." + h) for h in ATS_HOSTS)


def _fold(value: object) -> str:
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", str(value)).casefold()).split()) if value else ""


def _places(locations: Sequence[dict] | None) -> list[tuple[str, str, str]]:
    out = []
    for loc in locations or ():
        if not isinstance(loc, dict):
            continue
        place = (_fold(loc.get("country")), _fold(loc.get("region")), _fold(loc.get("locality")))
        if place[1] or place[2]:
            out.append(place)
    return out


def _agree(a: str, b: str) -> bool:
    return not a or not b or a == b


def places_overlap(a: DedupeRow, b: DedupeRow) -> bool:
    """At least one place of a and one of b are the same place (see the module docstring)."""
    pa, pb = _places(a.locations), _places(b.locations)
    if not pa and not pb:
        return a.remote == "remote" and b.remote == "remote"
    for x in pa:
        for y in pb:
            if not (_agree(x[0], y[0]) and _agree(x[1], y[1]) and _agree(x[2], y[2])):
                continue
            if (x[1] and x[1] == y[1]) or (x[2] and x[2] == y[2]):
                return True
    return False


def _ats_job_key(row: DedupeRow) -> str | None:
    """The apply URL's job key when it names a job of an applicant tracking system."""
    key = job_url_key(row.apply_url)
    if key and (key.startswith("gh:") or is_ats_url(row.apply_url)):
        return key
    return None


def _rank(row: DedupeRow) -> tuple[int, datetime, str]:
    return (0 if is_ats_url(row.url) else 1, row.first_seen or datetime.max, row.id)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def duplicate_pairs(rows: Sequence[DedupeRow]) -> list[tuple[int, int, str]]:
    """(i, j, why) for every pair of rows of different sources judged the same job."""
    pairs: list[tuple[int, int, str]] = []
    by_url: dict[str, list[int]] = {}
    by_job: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(rows):
        key = job_url_key(row.apply_url) or None
        if key:
            by_url.setdefault(key, []).append(i)
        employer, title = employer_key(row.employer_name) if row.employer_name else "", title_key(row.title)
        if employer and title:
            by_job.setdefault((employer, title), []).append(i)
    seen: set[tuple[int, int]] = set()
    for members in by_url.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if rows[i].source != rows[j].source:
                    seen.add((i, j))
                    pairs.append((i, j, "apply_url"))
    for members in by_job.values():
        if len(members) < 2 or len({rows[m].source for m in members}) < 2:
            continue
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if rows[i].source == rows[j].source or (i, j) in seen:
                    continue
                # Two ATS job ids that differ are two postings (a repost, another opening), whatever
                # the titles say.
                ki, kj = _ats_job_key(rows[i]), _ats_job_key(rows[j])
                if ki and kj and ki != kj:
                    continue
                if places_overlap(rows[i], rows[j]):
                    pairs.append((i, j, "employer_title_place"))
    return pairs


def find_duplicates(rows: Iterable[DedupeRow]) -> dict[str, str | None]:
    """listing id -> the canonical listing it duplicates (None for canonical and lone listings)."""
    items = list(rows)
    uf = _UnionFind(len(items))
    for i, j, _ in duplicate_pairs(items):
        uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(uf.find(i), []).append(i)
    result: dict[str, str | None] = {}
    for members in groups.values():
        canonical = min((items[m] for m in members), key=_rank)
        for m in members:
            result[items[m].id] = None if items[m].id == canonical.id else canonical.id
    return result

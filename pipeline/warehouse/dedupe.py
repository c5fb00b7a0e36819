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

Speed: every open listing passes through here after each load. Keys are computed once per
distinct value (employers, titles, hosts and place names repeat a lot) and plain http(s) URLs
are split without urllib's general machinery (same parts). Only groups are wanted, not pairs,
so: a URL block with two sources is one group; in a block of the same employer and title only
pairs of different sources with at least one listing that names no ATS job can add anything
(two ATS jobs are either different or joined by URL already); in large blocks only listings
that share a region or locality, or are both remote without places, are compared; and pairs
already in one group are skipped. ``find_duplicates_columns`` takes plain columns (as read from
the warehouse), and can read the locations of just the listings it compares.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import compress
from operator import ne
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.employers.names import employer_key

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
_SLASHES = re.compile(r"/+")
_GREENHOUSE_JOB = re.compile(r"/jobs/(\d+)$")
# Bytes of ASCII text: letters lower-cased, digits kept, everything else a space.
_ASCII_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
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
    if type(title) is str and title.isascii():
        # ASCII is its own NFKC form, its casefold is lower(), and its non-word characters are the
        # bytes other than letters and digits: one table look-up per byte does the same.
        text = _GENDER_MARK.sub(" ", title) if "(" in title else title
        return " ".join(text.encode().translate(_ASCII_WORDS).decode().split())
    text = _GENDER_MARK.sub(" ", unicodedata.normalize("NFKC", title))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


@lru_cache(maxsize=16_384)
def _host(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    return _HOST_FOLD.get(host, host)


@lru_cache(maxsize=16_384)
def _is_ats_host(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in ATS_HOSTS)


# urlsplit's own lru_cache only costs time on URLs that are nearly all distinct.
_urlsplit = getattr(urlsplit, "__wrapped__", urlsplit)
# An http(s) URL whose host part is plain ASCII (no brackets, no spaces): urlsplit's netloc is
# exactly this match, and it checks nothing more on such a netloc.
_PLAIN_URL = re.compile(r"https?://([\w.:@%~!$&'()*+,;=-]*)(?=[/?#]|$)([^?#]*)(?:\?([^#]*))?",
                        re.IGNORECASE | re.ASCII)


def _split(url: str) -> tuple[str, str, str]:
    """(netloc, path, query) as urllib.parse.urlsplit gives them, without its general machinery.

    Raises ValueError where urlsplit does (only URLs that are not plain take that road).
    """
    match = _PLAIN_URL.match(url)
    if match is None or "\t" in url or "\n" in url or "\r" in url:
        _scheme, netloc, path, query, _fragment = _urlsplit(url)
        return netloc, path, query
    netloc, path, query = match.groups()
    return netloc, path, query or ""


def job_url_key(url: str | None) -> str | None:
    """A job URL folded so the ATS page and a board's link to it compare equal; None if no URL.

    Greenhouse links embedded on a company site carry the job as ``gh_jid``; that id is the key.
    """
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    match = _PLAIN_URL.match(url)  # _split, inlined: this runs once per listing
    if match is None or "\t" in url or "\n" in url or "\r" in url:
        try:
            _scheme, netloc, path, query, _fragment = _urlsplit(url)
        except ValueError:
            return None
    else:
        netloc, path, query = match.groups()
    if not netloc:
        return None
    # A query names gh_jid only if "gh_jid" is in it once percent escapes are decoded (a field name
    # decodes as part of the whole query; "+" as a space adds no letters): parse only those.
    if query and ("gh_jid" in query or ("%" in query and "gh_jid" in unquote(query))):
        if "%" in query or "+" in query:
            gh = parse_qs(query).get("gh_jid")
            jid = gh[0] if gh else None
        else:
            # Nothing to decode: parse_qs's first value is that of the first "gh_jid=" field with a value.
            jid = next((v for n, eq, v in (f.partition("=") for f in query.split("&")) if n == "gh_jid" and v), None)
        if jid and jid.isdigit():
            return f"gh:{jid}"
    host = _host(netloc)
    if "//" in path:
        path = _SLASHES.sub("/", path)
    path = path.rstrip("/")
    if path.endswith("/apply"):
        path = path[: -len("/apply")]
    if host == "greenhouse.io":
        match = _GREENHOUSE_JOB.search(path)
        if match:
            return f"gh:{match.group(1)}"
    return host + path.lower()


def is_ats_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        netloc = _split(url)[0]
    except ValueError:
        return False
    return _is_ats_host(_host(netloc))


@lru_cache(maxsize=65_536)
def _fold_text(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _fold(value: object) -> str:
    if not value:
        return ""
    return _fold_text(value if type(value) is str else str(value))


Place = tuple[str, str, str]


def _places(locations: Sequence[dict] | None) -> list[Place]:
    out = []
    for loc in locations or ():
        if not isinstance(loc, dict):
            continue
        region, locality = loc.get("region"), loc.get("locality")
        region = _fold_text(region) if type(region) is str and region else _fold(region)
        locality = _fold_text(locality) if type(locality) is str and locality else _fold(locality)
        if region or locality:
            out.append((_fold(loc.get("country")), region, locality))
    return out


def _agree(a: str, b: str) -> bool:
    return not a or not b or a == b


def _overlap(pa: list[Place], pb: list[Place], remote_a: object, remote_b: object) -> bool:
    if not pa and not pb:
        return remote_a == "remote" and remote_b == "remote"
    for x in pa:
        for y in pb:
            if not (_agree(x[0], y[0]) and _agree(x[1], y[1]) and _agree(x[2], y[2])):
                continue
            if (x[1] and x[1] == y[1]) or (x[2] and x[2] == y[2]):
                return True
    return False


def places_overlap(a: DedupeRow, b: DedupeRow) -> bool:
    """At least one place of a and one of b are the same place (see the module docstring)."""
    return _overlap(_places(a.locations), _places(b.locations), a.remote, b.remote)


class _Listings:
    """The columns dedupe reads, with each listing's keys computed at most once.

    Keys are memoized per distinct value within one call: employers, titles and apply URLs repeat
    across sources, and the employer parser is far slower than a dict look-up.
    """

    def __init__(
        self,
        sources: Sequence[str],
        employer_names: Sequence[str | None],
        titles: Sequence[str | None],
        locations: Sequence[Sequence[dict] | None],
        remotes: Sequence[str | None],
        apply_urls: Sequence[str | None],
    ) -> None:
        self.sources = sources
        self.locations = locations
        self.remotes = remotes
        self.apply_urls = apply_urls
        self.url_keys = _memo_map(apply_urls, lambda u: job_url_key(u) or None, None)
        employers = _memo_map(employer_names, employer_key, "")
        title_keys = _memo_map(titles, title_key, "")
        # Title and employer key in one string (hashed once, unlike a tuple): a title key has no
        # line breaks, so the first one marks where the employer key starts.
        self.job_keys: list[str | None] = [
            f"{t}\n{e}" if e and t else None for e, t in zip(employers, title_keys, strict=True)
        ]
        self._places: dict[int, list[Place]] = {}
        self._ats: dict[int, str | None] = {}

    def places(self, i: int) -> list[Place]:
        found = self._places.get(i)
        if found is None:
            found = self._places[i] = _places(self.locations[i])
        return found

    def ats_job_key(self, i: int) -> str | None:
        """The apply URL's job key when it names a job of an applicant tracking system."""
        if i in self._ats:
            return self._ats[i]
        key = self.url_keys[i]
        found = key if key and (key.startswith("gh:") or is_ats_url(self.apply_urls[i])) else None
        self._ats[i] = found
        return found

    def same_job(self, i: int, j: int) -> bool:
        """Same employer and title already known: i and j are one job unless their ATS jobs differ."""
        # Two ATS job ids that differ are two postings (a repost, another opening), whatever the
        # titles say.
        ki, kj = self.ats_job_key(i), self.ats_job_key(j)
        if ki and kj and ki != kj:
            return False
        return _overlap(self.places(i), self.places(j), self.remotes[i], self.remotes[j])

    def blocks(self) -> tuple[list[list[int]], list[list[int]]]:
        """Listings with the same apply URL key, and with the same employer and title key (2+ each).

        Each block lists its members in input order; blocks come in the order of their first member.
        """
        return _repeated(self.url_keys), _repeated(self.job_keys)


def _repeated(keys: Sequence[object]) -> list[list[int]]:
    """The positions of each key that occurs more than once (falsy keys left out)."""
    # Most keys occur once. The last position of every key, and the positions that are not the last
    # of their key, are found in C; only those few are looked at one by one.
    n = len(keys)
    last = dict(zip(keys, range(n), strict=True))
    if len(last) == n:
        return []
    groups: dict[object, list[int]] = {}
    for i in compress(range(n), map(ne, map(last.__getitem__, keys), range(n))):
        key = keys[i]
        if key:
            members = groups.get(key)
            if members is None:
                groups[key] = [i]
            else:
                members.append(i)
    for key, members in groups.items():
        members.append(last[key])
    return list(groups.values())


_T = TypeVar("_T")


def _memo_map(values: Sequence[Any], func: Callable[[Any], _T], empty: _T) -> list[_T]:
    """func over values, called once per distinct string; falsy values map to ``empty`` unasked."""
    if set(map(type, values)) <= {str, type(None)}:
        # Strings and None only: one call per distinct value, and the look-ups run in C.
        memo = {value: func(value) if value else empty for value in set(values)}
        return list(map(memo.__getitem__, values))
    out: list[_T] = []
    for value in values:
        out.append(func(value) if value else empty)
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def duplicate_pairs(rows: Sequence[DedupeRow]) -> list[tuple[int, int, str]]:
    """(i, j, why) for every pair of rows of different sources judged the same job."""
    listings = _Listings([r.source for r in rows], [r.employer_name for r in rows], [r.title for r in rows],
                         [r.locations for r in rows], [r.remote for r in rows], [r.apply_url for r in rows])
    sources = listings.sources
    by_url, by_job = listings.blocks()
    pairs: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for members in by_url:
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if sources[i] != sources[j]:
                    seen.add((i, j))
                    pairs.append((i, j, "apply_url"))
    for members in by_job:
        if len(members) < 2 or len({sources[m] for m in members}) < 2:
            continue
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                if sources[i] == sources[j] or (i, j) in seen:
                    continue
                if listings.same_job(i, j):
                    pairs.append((i, j, "employer_title_place"))
    return pairs


# Blocks up to this size compare every pair; larger ones only pairs that share a place mark.
_SMALL_BLOCK = 6


def _names_ats_job(key: str | None, url: str | None) -> bool:
    """Whether an apply URL with this job URL key names a job of an applicant tracking system."""
    if not key or not isinstance(url, str):  # (a key comes from a string)
        return False
    if key.startswith("gh:"):
        return True
    if url == url.strip():
        # The key of a URL that needs no trimming starts with its host, as is_ats_url sees it
        # (a host has no "/" and a path starts with one).
        return _is_ats_host(key.partition("/")[0])
    return is_ats_url(url)


LocationsOf = Callable[[list[int]], Sequence[Sequence[dict] | None]]


def _connect(listings: _Listings, locations_of: LocationsOf | None = None) -> _UnionFind:
    """The groups of duplicate_pairs, without listing the pairs.

    Only the groups matter here, so a pair already in one group is not compared again, and a
    block of the same apply URL key with two or more sources is one group (every listing in it
    pairs with every listing of another source).
    """
    sources = listings.sources
    uf = _UnionFind(len(sources))
    find, union, parent = uf.find, uf.union, uf.parent
    by_url, by_job = listings.blocks()
    for members in by_url:
        first = sources[members[0]]
        if any(sources[m] != first for m in members):
            for m in members[1:]:
                union(members[0], m)
    # URL groups first: what follows counts on them.
    # Two listings that both name ATS jobs pair only if it is the same job, and then they have the
    # same apply URL key and are joined already (they are of different sources). So every new pair
    # has a listing without an ATS job ("loose"), and a block without one has nothing left to find.
    url_keys, apply_urls, remotes = listings.url_keys, listings.apply_urls, listings.remotes
    n = len(sources)
    loose = bytearray(n)
    blocks: list[list[int]] = []
    for members in by_job:
        first = sources[members[0]]
        if all(sources[m] == first for m in members):
            continue
        any_loose = False
        for m in members:
            if not _names_ats_job(url_keys[m], apply_urls[m]):
                loose[m] = any_loose = True
        if any_loose:
            blocks.append(members)
    # Places only of the listings still to compare (when asked for, they are fetched for those only).
    wanted = [m for members in blocks for m in members]
    locations: Sequence[Sequence[dict] | None]
    if locations_of is None:
        locations = [listings.locations[m] for m in wanted]
    else:
        locations = locations_of(wanted) if wanted else []
    if len(locations) != len(wanted):
        raise ValueError(f"find_duplicates_columns: locations_of gave {len(locations)} values for {len(wanted)} "
                         "positions")
    place_of: list[list[Place]] = [[]] * n
    for m, value in zip(wanted, locations, strict=True):
        place_of[m] = _places(value)
    candidates: list[list[int]] = []
    for members in blocks:
        if len(members) <= _SMALL_BLOCK:
            candidates.append(members)
            continue
        by_mark: dict[tuple[str, str], list[int]] = {}
        for m in members:
            for mark in _place_marks(place_of[m], remotes[m]):
                by_mark.setdefault(mark, []).append(m)
        candidates.extend(c for c in by_mark.values() if len(c) > 1)
    for group in candidates:
        # Only pairs of different sources count, and each has a loose listing: each pair of sources
        # compares its loose listings with all listings of the other source.
        by_source: dict[str, tuple[list[int], list[int]]] = {}
        for m in group:
            loose_s, keyed_s = by_source.setdefault(sources[m], ([], []))
            (loose_s if loose[m] else keyed_s).append(m)
        parts = list(by_source.values())
        for x, (loose_s, keyed_s) in enumerate(parts):
            for loose_t, keyed_t in parts[x + 1:]:
                all_t = loose_t + keyed_t
                for i in loose_s:
                    _join_matching(i, all_t, parent, find, place_of, remotes)
                for j in loose_t:
                    _join_matching(j, keyed_s, parent, find, place_of, remotes)
    return uf


def _place_marks(places: list[Place], remote: object) -> list[tuple[str, str]]:
    """Values two listings must share to overlap: a region, a locality, or being remote without places."""
    if not places:
        return [("remote", "")] if remote == "remote" else []
    marks = set()
    for _, region, locality in places:
        if region:
            marks.add(("region", region))
        if locality:
            marks.add(("locality", locality))
    return list(marks)


def _join_matching(
    i: int,
    others: list[int],
    parent: list[int],
    find: Callable[[int], int],
    place_of: list[list[Place]],
    remotes: Sequence[object],
) -> None:
    """Join i with each of others whose places overlap i's, skipping those in i's group already.

    For pairs in one block of employer and title, of different sources, one of them loose.
    """
    root = find(i)
    places, remote = place_of[i], remotes[i]
    for j in others:
        other = parent[j]
        if parent[other] != other:  # not one step from its root: the slow way
            other = find(j)
        if other != root and _overlap(places, place_of[j], remote, remotes[j]):
            # The smaller root stays the root (_UnionFind.union).
            if other < root:
                parent[root] = other
                root = other
            else:
                parent[other] = root


def find_duplicates_columns(
    ids: Sequence[str],
    sources: Sequence[str],
    employer_names: Sequence[str | None],
    titles: Sequence[str | None],
    locations: Sequence[Sequence[dict] | None] | LocationsOf,
    remotes: Sequence[str | None],
    urls: Sequence[str | None],
    apply_urls: Sequence[str | None],
    first_seen: Sequence[datetime | None],
) -> dict[str, str | None]:
    """``find_duplicates`` on columns: the i-th value of each column is the i-th listing.

    The same answer as ``find_duplicates`` on the DedupeRow of each position, without building them.
    ``locations`` is either a column like the others or a function that is given the positions
    whose places are needed (in no particular order, each once) and returns their locations in
    that order; it is called at most once, and only listings that share employer and title with a
    listing of another source are asked for. Reading the locations of every listing costs more
    than the rest of the work.
    """
    locations_of: LocationsOf | None = None
    table: Sequence[Sequence[dict] | None] = ()
    columns: dict[str, Sized] = {"ids": ids, "sources": sources, "employer_names": employer_names, "titles": titles,
                                 "remotes": remotes, "urls": urls, "apply_urls": apply_urls, "first_seen": first_seen}
    if callable(locations):
        locations_of = locations
    else:
        table = columns["locations"] = locations
    if len({len(c) for c in columns.values()}) > 1:
        sizes = ", ".join(f"{name}={len(c)}" for name, c in columns.items())
        raise ValueError(f"find_duplicates_columns: columns of different lengths ({sizes})")
    uf = _connect(_Listings(sources, employer_names, titles, table, remotes, apply_urls), locations_of)
    parent = uf.parent

    def rank(i: int) -> tuple[int, datetime, str]:
        return (0 if is_ats_url(urls[i]) else 1, first_seen[i] or datetime.max, ids[i])

    result: dict[str, str | None] = dict.fromkeys(ids)
    if len(result) != len(ids):
        # The same id twice: the answer is whatever is written last, in the order of the groups.
        return _assign_in_group_order(ids, uf, rank)
    # Only listings in a group of two or more change from None: those not their own parent, and
    # the roots they lead to.
    joined = list(compress(range(len(parent)), map(ne, parent, range(len(parent)))))
    grouped = set(joined)
    grouped.update(uf.find(i) for i in joined)
    groups: dict[int, list[int]] = {}
    for i in sorted(grouped):
        groups.setdefault(uf.find(i), []).append(i)
    for members in groups.values():
        canonical = ids[min(members, key=rank)]
        for m in members:
            if ids[m] != canonical:
                result[ids[m]] = canonical
    return result


def _assign_in_group_order(
    ids: Sequence[str], uf: _UnionFind, rank: Callable[[int], tuple[int, datetime, str]]
) -> dict[str, str | None]:
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        groups.setdefault(uf.find(i), []).append(i)
    result: dict[str, str | None] = {}
    for members in groups.values():
        canonical = ids[min(members, key=rank)]
        for m in members:
            result[ids[m]] = None if ids[m] == canonical else canonical
    return result


def find_duplicates(rows: Iterable[DedupeRow]) -> dict[str, str | None]:
    """listing id -> the canonical listing it duplicates (None for canonical and lone listings)."""
    items = list(rows)
    return find_duplicates_columns(
        [r.id for r in items], [r.source for r in items], [r.employer_name for r in items],
        [r.title for r in items], [r.locations for r in items], [r.remote for r in items],
        [r.url for r in items], [r.apply_url for r in items], [r.first_seen for r in items],
    )

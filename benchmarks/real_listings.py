"""Real listings of ../shared/data as raw runs, loaded and published into an $IPPO_HOME.

The recommendation evaluation (benchmarks/eval_recommend.py) needs a snapshot of REAL listings
the ranker was not tuned on. This module writes them as the raw items the crawlers write (the
item kinds of pipeline/sources/kinds.py), one run file per source under ``<home>/raw/``, then
runs the project's own load and publish on them, as ``ippo refresh`` does after its crawl.

What is read, and how (nothing is invented: a field the source does not state is left out):

- Greenhouse: the 56 verbatim board files of ``raw_sample/`` (list entries, no descriptions),
  every job of the index located in Japan, and a seeded random sample of the other index rows
  (``greenhouse_job`` list entries built from the row's columns, as the list endpoint sends them).
- The ATS payloads of ``ats_api_responses/`` (Greenhouse with content, Lever, Ashby, Remote OK,
  USAJOBS) in their own kinds; the SmartRecruiters postings of ``ats_payloads_extra/`` as
  JobPosting items with their name, company, place, remote flags and type of employment.
- Simplify (``job_listings_simplify/``): only the postings marked active, as JobPosting items
  with title, company, places, date and url; the internship list's postings say INTERN (the
  list is of internships), the new-grad list's say nothing about their type.
- Japanese: the 6 real JobPosting objects of ``jobposting_pages/`` (5 Japanese); the Hello Work
  rows (2026 CSV and the parsed 2012 table) and the 求人ボックス 2020 rows mapped column by
  column into a JobPosting; the 求人ボックス 2026 detail page and the 6 result cards of its
  listing page, read from the page's own fields.

    .venv/bin/python -m benchmarks.real_listings --home /tmp/ippo-real
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.shared_data import add_shared_option
from ippo.config import Settings

RUN_ID = "20261203T000000Z"
DEFAULT_GREENHOUSE_SAMPLE = 4_000
SEED = 7
Item = dict[str, Any]


@dataclass
class RealRuns:
    """Raw items per source name, in the order they were read."""

    items: dict[str, list[Item]] = field(default_factory=dict)

    def add(self, source: str, item: Item) -> None:
        item.setdefault("source", source)
        self.items.setdefault(source, []).append(item)

    def counts(self) -> dict[str, int]:
        return {source: len(items) for source, items in self.items.items()}

    def write(self, raw_dir: Path, run_id: str = RUN_ID) -> list[Path]:
        paths = []
        for source, items in self.items.items():
            folder = raw_dir / source
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{run_id}.jsonl"
            path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
            paths.append(path)
        return paths


def _row_id(*parts: str) -> str:
    """A stable identifier for a row that has none: a digest of what the row says."""
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _clean(value: str | None) -> str | None:
    text = re.sub(r"\s+", " ", value or "").strip()
    return text or None


def _jp_place(place: str) -> dict[str, Any]:
    """A schema.org Place in Japan from a place string: prefecture when it names or implies one."""
    from pipeline.employers.records import prefecture_of

    place = _clean(place) or ""
    region = prefecture_of(place)
    locality = place.replace(region or "", "").strip().split(" ")[0] or None
    address = {"@type": "PostalAddress", "addressCountry": "JP", "addressRegion": region, "addressLocality": locality}
    return {"@type": "Place", "address": {k: v for k, v in address.items() if v}}


def _jobposting(source: str, payload: dict[str, Any], url: str | None = None) -> Item:
    payload = {"@type": "JobPosting", **{k: v for k, v in payload.items() if v not in (None, "", [])}}
    item: Item = {"kind": "jobposting", "source": source, "payload": payload}
    if url:
        item["url"] = item["canonical_url"] = url
    return item


# --------------------------------------------------------------------------- Greenhouse


def _greenhouse_index(data: Path) -> list[dict[str, str]]:
    with (data / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv").open(
            encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _greenhouse_list_entry(row: dict[str, str]) -> dict[str, Any]:
    """A list-endpoint job from an index row: only the columns the row has."""
    return {
        "id": int(row["id"]), "title": row["title"], "absolute_url": row["absolute_url"],
        "location": {"name": row["location_name"]}, "company_name": row["company_name"],
        "internal_job_id": row["internal_job_id"] or None, "requisition_id": row["requisition_id"] or None,
        "first_published": row["first_published"] or None, "updated_at": row["updated_at"] or None,
        "language": row["language"] or None, "application_deadline": row["application_deadline"] or None,
        "metadata": None,
    }


def _in_japan(location: str) -> bool:
    return bool(re.search(r"japan|tokyo|osaka|日本|東京", location, re.IGNORECASE))


def greenhouse_items(data: Path, runs: RealRuns, sample: int, seed: int = SEED) -> None:
    seen: set[int] = set()
    for path in sorted((data / "greenhouse_boards_tech_jobs_hub" / "raw_sample").glob("*.json")):
        board = json.loads(path.read_text(encoding="utf-8"))
        for job in board.get("jobs") or []:
            if job.get("id") in seen:
                continue
            seen.add(job["id"])
            runs.add("greenhouse", {"kind": "greenhouse_job", "board": path.stem, "company": board.get("company"),
                                    "fetched_at": board.get("fetched_at"), "payload": job})
    rows = [r for r in _greenhouse_index(data) if int(r["id"]) not in seen]
    japan = [r for r in rows if _in_japan(r["location_name"])]
    others = [r for r in rows if not _in_japan(r["location_name"])]
    chosen = japan + random.Random(seed).sample(others, min(sample, len(others)))
    for row in chosen:
        if int(row["id"]) in seen:
            continue
        seen.add(int(row["id"]))
        runs.add("greenhouse", {"kind": "greenhouse_job", "board": row["board_token"], "company": row["company_name"],
                                "fetched_at": row["fetched_at"], "payload": _greenhouse_list_entry(row)})


# --------------------------------------------------------------------------- ATS payloads


def ats_items(data: Path, runs: RealRuns) -> None:
    folder = data / "ats_api_responses"
    greenhouse = json.loads((folder / "greenhouse_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))
    for job in greenhouse["jobs"]:
        runs.add("ats_greenhouse", {"kind": "greenhouse_job", "board": "smarterdx", "detail_fetched": True,
                                    "payload": job})
    for posting in json.loads((folder / "lever_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8")):
        runs.add("ats_lever", {"kind": "lever_posting", "board": "palantir", "company": "Palantir", "payload": posting})
    ashby = json.loads((folder / "ashby_ericleerepo_ATS_Polling.json").read_text(encoding="utf-8"))
    for job in ashby["jobs"]:
        runs.add("ats_ashby", {"kind": "ashby_job", "board": "openevidence", "company": "OpenEvidence", "payload": job})
    remoteok = json.loads(
        (folder / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json").read_text(encoding="utf-8"))
    for job in remoteok[1:]:  # element 0 is the API's legal notice
        if not str(job.get("position") or "").strip() or not str(job.get("company") or "").strip():
            continue  # the feed's blank anti-spam entry, skipped as the spider skips it
        runs.add("remoteok", {"kind": "remoteok_job", "payload": job, "fetched_at": "2026-03-16T00:00:00Z",
                              "attribution": {"name": "Remote OK", "url": job.get("url")}})
    usajobs = json.loads(
        (folder / "usajobs_search_response_2022_chipembere_usagovjobs.json").read_text(encoding="utf-8"))
    for entry in usajobs["SearchResult"]["SearchResultItems"]:
        runs.add("usajobs", {"kind": "usajobs_job", "payload": entry})
    smart = json.loads((data / "ats_payloads_extra" / "smartrecruiters_aboutyou_postings_plin-code.json").read_text(
        encoding="utf-8"))
    for posting in smart["content"]:
        place = posting.get("location") or {}
        kind = (posting.get("typeOfEmployment") or {}).get("id")
        remote = "TELECOMMUTE" if place.get("remote") else None
        runs.add("smartrecruiters", _jobposting("smartrecruiters", {
            "title": posting.get("name"), "identifier": {"@type": "PropertyValue", "value": posting.get("id")},
            "hiringOrganization": {"@type": "Organization", "name": (posting.get("company") or {}).get("name")},
            "jobLocation": {"@type": "Place", "address": {
                "@type": "PostalAddress", "addressLocality": place.get("city"), "addressRegion": place.get("region"),
                "addressCountry": (place.get("country") or "").upper() or None}},
            "jobLocationType": remote, "employmentType": {"intern": "INTERN"}.get(kind or "", kind),
            "datePosted": posting.get("releasedDate"), "inLanguage": (posting.get("language") or {}).get("code"),
            "url": f"https://jobs.smartrecruiters.com/ABOUTYOUGmbH/{posting.get('id')}",
        }))


# --------------------------------------------------------------------------- Simplify


def simplify_items(data: Path, runs: RealRuns) -> None:
    folder = data / "job_listings_simplify"
    lists = (("simplify_new_grad_listings_2024-10-25.json", None),
             ("simplify_summer2025_internships_listings_2024-10-25.json", "INTERN"))
    for name, employment in lists:
        for row in json.loads((folder / name).read_text(encoding="utf-8")):
            if not row.get("active") or not row.get("url"):
                continue
            posted = datetime.fromtimestamp(row["date_posted"], UTC).date().isoformat() if row.get(
                "date_posted") else None
            runs.add("simplify", _jobposting("simplify", {
                "title": (row.get("title") or "").strip(), "identifier": {"@type": "PropertyValue", "value": row["id"]},
                "hiringOrganization": {"@type": "Organization", "name": row.get("company_name")},
                "jobLocation": [{"@type": "Place", "address": place} for place in row.get("locations") or []],
                "employmentType": employment, "datePosted": posted, "url": row["url"],
            }))


# --------------------------------------------------------------------------- Japanese sources


def jobposting_page_items(data: Path, runs: RealRuns) -> None:
    expected = json.loads((data / "jobposting_pages" / "expected_jobposting_jsonld.json").read_text(encoding="utf-8"))
    for page in expected:
        for posting in page.get("jobpostings") or []:
            url = posting.get("url") if isinstance(posting.get("url"), str) else None
            runs.add("jobposting_pages", {"kind": "jobposting", "payload": posting,
                                          "url": url or f"https://shared-data.invalid/{page['file']}"})


def _hellowork_2026(data: Path, runs: RealRuns) -> None:
    path = data / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            runs.add("hellowork", _jobposting("hellowork", {
                "title": _clean(row["job_category"]), "description": (row["job_description"] or "").strip(),
                "hiringOrganization": {"@type": "Organization", "name": _clean(row["company_name"])},
                "jobLocation": _jp_place(row["work_location"]), "employmentType": _clean(row["employment_type"]),
                "baseSalary": _clean(row["salary"]), "workHours": _clean(row["working_hours"]),
                "datePosted": (row["reception_date"] or "")[:10] or None,
                "validThrough": (row["expiry_date"] or "")[:10] or None,
                "identifier": {"@type": "PropertyValue", "name": "求人番号", "value": row["job_number"]},
                "url": row["pdf_url"], "inLanguage": "ja",
            }))


def _heisei_date(text: str) -> str | None:
    found = re.search(r"平成\s*(\d+)年\s*\|?\s*(\d+)月(\d+)日", text)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())
    return f"{1988 + year:04d}-{month:02d}-{day:02d}"


def _hellowork_2012(data: Path, runs: RealRuns) -> None:
    path = data / "ja_jobs_hellowork" / "hellowork_2012_search_result_table_ltakeshi_parsed.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            employment, _, pay = row["雇用形態 | 賃金（税込）"].partition("|")
            schedule = row["就業時間 | 休日 | 週休二日"]  # e.g. "変形 １年単位 | 1）08:00～17:00 | ／日祝他／その他"
            hours = " ".join(p.strip() for p in schedule.split("|") if re.search(r"\d{1,2}:\d{2}", p))
            description = f"就業時間・休日: {_clean(schedule)}\n産業: {row['産業'].strip()}"
            runs.add("hellowork", _jobposting("hellowork", {
                "title": _clean(row["職種"]), "description": description,
                "jobLocation": _jp_place(row["就業場所"]), "employmentType": _clean(employment.strip(" ／/")),
                "baseSalary": _clean(pay), "workHours": _clean(hours), "datePosted": _heisei_date(row["受理日"]),
                "identifier": {"@type": "PropertyValue", "name": "求人番号", "value": row["求人番号"]},
                "url": f"https://shared-data.invalid/hellowork_2012/{row['求人番号']}", "inLanguage": "ja",
            }))


def _kyujinbox_2020(data: Path, runs: RealRuns) -> None:
    for path in sorted((data / "ja_jobs_kyujinbox_2020").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                if len(row) < 6 or not row[0] or not row[1]:
                    continue
                company, title, place, pay, _age, site = row[:6]
                ident = _row_id(company, title, place, pay, site)
                runs.add("kyujinbox", _jobposting("kyujinbox", {
                    "title": _clean(title), "hiringOrganization": {"@type": "Organization", "name": _clean(company)},
                    "jobLocation": _jp_place(place),
                    "baseSalary": None if "公開していません" in pay else _clean(pay),
                    "description": f"掲載元: {site}", "datePosted": "2020-09-14",
                    "identifier": {"@type": "PropertyValue", "value": ident},
                    "url": f"https://shared-data.invalid/kyujinbox_2020/{ident}", "inLanguage": "ja",
                }))


def _text_of(selector: Any) -> str:
    parts = [t.strip() for t in selector.xpath(".//text()[not(ancestor::script)][not(ancestor::style)]").getall()]
    return "\n".join(p for p in parts if p)


def _kyujinbox_cards(page: str) -> Iterator[tuple[dict[str, Any], str]]:
    """(the card's own job fields, the card's visible text) of each result of a listing page."""
    from parsel import Selector

    for card in Selector(text=page).css("section.p-result_card"):
        arg = card.css("a.p-result_title_link::attr(data-func-show-arg)").get()
        if not arg:
            continue
        yield json.loads(json.loads(arg)["json"]), _text_of(card)


def _kyujinbox_detail(page: str) -> dict[str, Any]:
    """The detail page's labelled fields (the page has no JSON-LD)."""
    from parsel import Selector

    text = _text_of(Selector(text=page))
    lines = text.splitlines()

    def after(label: str) -> str | None:
        return lines[lines.index(label) + 1] if label in lines else None

    start, end = lines.index("仕事内容"), lines.index("求人の特徴")
    company, _, headline = lines[start + 1].partition("／")  # "<company>／<the ad's headline>"
    return {"title": headline, "company": company,
            "description": "\n".join(lines[start + 1:end + 2]), "place": after("勤務地・交通"),
            "pay": after("給与・報酬"), "employment": after("雇用形態"), "hours": after("勤務時間")}


def _kyujinbox_2026(data: Path, runs: RealRuns) -> None:
    folder = data / "ja_jobs_kyujinbox_2026_pages"
    detail_path = next(folder.glob("kyujinbox_detail_*.html"))
    detail = _kyujinbox_detail(detail_path.read_text(encoding="utf-8"))
    runs.add("kyujinbox", _jobposting("kyujinbox", {
        "title": detail["title"], "description": detail["description"],
        "hiringOrganization": {"@type": "Organization", "name": detail["company"]},
        "jobLocation": _jp_place(detail["place"] or ""), "baseSalary": detail["pay"],
        "employmentType": detail["employment"], "workHours": detail["hours"], "datePosted": "2026-05-14",
        "identifier": {"@type": "PropertyValue", "value": detail_path.stem}, "inLanguage": "ja",
        "url": f"https://shared-data.invalid/{detail_path.name}",
    }))
    listing = next(folder.glob("kyujinbox_listing_*.html"))
    for job, text in _kyujinbox_cards(listing.read_text(encoding="utf-8")):
        runs.add("kyujinbox", _jobposting("kyujinbox", {
            "title": job.get("title"), "description": text,
            "hiringOrganization": {"@type": "Organization", "name": job.get("company")},
            "jobLocation": _jp_place(str(job.get("workArea") or "").split("/")[0]),
            "baseSalary": str(job.get("payment") or "").split("/")[0].strip() or None,
            "employmentType": job.get("employType"), "datePosted": str(job.get("updatedAt") or "")[:10] or None,
            "identifier": {"@type": "PropertyValue", "value": job.get("uniqueId")}, "inLanguage": "ja",
            "url": job.get("url"),
        }))


def japanese_items(data: Path, runs: RealRuns) -> None:
    jobposting_page_items(data, runs)
    _hellowork_2026(data, runs)
    _hellowork_2012(data, runs)
    _kyujinbox_2020(data, runs)
    _kyujinbox_2026(data, runs)


def read_real_listings(data: Path, greenhouse_sample: int = DEFAULT_GREENHOUSE_SAMPLE) -> RealRuns:
    if not (data / "greenhouse_boards_tech_jobs_hub").exists():
        raise SystemExit(f"the real data folder {data} is missing (or has no greenhouse_boards_tech_jobs_hub/): "
                         "pass --shared PATH or set IPPO_SHARED_DATA")
    runs = RealRuns()
    greenhouse_items(data, runs, greenhouse_sample)
    ats_items(data, runs)
    simplify_items(data, runs)
    japanese_items(data, runs)
    return runs


# --------------------------------------------------------------------------- load + publish


def load_and_publish(settings: Settings) -> dict[str, Any]:
    """The load and publish of ``ippo refresh`` (ippo.steps), called from below the commands."""
    from pipeline.embedding import Embedder
    from pipeline.warehouse.load import load
    from pipeline.warehouse.publish import publish
    from ranker.listing_vectors import EmbeddingCache, add_embeddings_enricher
    from ranker.serving_index import ServingIndex

    started = time.monotonic()
    report = load(settings.warehouse_path, settings.raw_dir, close_unseen_after_days=settings.close_unseen_after_days,
                  workers=settings.load_workers, occupations=settings.load_occupations,
                  dense_view=settings.dense_view)
    loaded = time.monotonic()
    cache = EmbeddingCache(settings.embeddings_cache_path, Embedder(settings.embedding_model))
    result = publish(settings.warehouse_path, settings.serving_dir, enrichers=[add_embeddings_enricher(cache)])
    published = time.monotonic()
    ServingIndex.from_snapshot(result.path)
    return {"load": report.totals(), "closed": dict(report.closed), "quarantined": report.quality_table(),
            "snapshot": result.version, "listings": result.listings, "open_listings": result.open_listings,
            "embedded_now": result.extra.get("embedded_now", 0), "load_s": round(loaded - started, 1),
            "publish_s": round(published - loaded, 1), "index_s": round(time.monotonic() - published, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the IPPO_HOME to write raw runs, warehouse "
                        "and snapshot into (a new folder, or one this command wrote before)")
    parser.add_argument("--greenhouse-sample", type=int, default=DEFAULT_GREENHOUSE_SAMPLE,
                        help="how many other Greenhouse index rows to sample (besides raw_sample and Japan)")
    add_shared_option(parser)
    args = parser.parse_args()
    settings = Settings(home=args.home)
    runs = read_real_listings(args.shared, args.greenhouse_sample)
    runs.write(settings.raw_dir)
    for source, count in runs.counts().items():
        print(f"raw items  {source:<18} {count:>6}")
    print(f"raw items  {'total':<18} {sum(runs.counts().values()):>6}")
    print(json.dumps(load_and_publish(settings), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

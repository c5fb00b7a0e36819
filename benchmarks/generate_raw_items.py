"""Generate raw runs for the load benchmark from the real payload shapes of ../shared/data.

The items are GENERATED: real payloads (JobPosting JSON-LD of the job pages in
ippo/demo_pages, the Greenhouse list and content payloads, a Lever posting) are used as
templates, and their title, employer and place are replaced by real combinations taken from
greenhouse_jobs_index_all_boards.csv (40,786 real jobs) and the Japanese job CSVs (求人ボックス,
ハローワーク). Greenhouse list items (no description, as the real list endpoint sends them) are
the real rows of the index as they are. Ids are made unique per item, so every item is a
distinct listing. The mix is written to ``<out>/<source>/<run_id>.jsonl``, one file per source.

Descriptions vary per item, as real ones do: a handful of template descriptions repeated
100,000 times would let any per-text cache make the benchmark look faster than real loads.
Each English description (Greenhouse content, Lever) is a random run of real paragraphs and
list items taken from the 97 Remote OK job descriptions and the Greenhouse/Lever payloads, about
as long as the template it replaces; each Japanese JobPosting description is a template whose
lines are, one in two, swapped for a random real line of another template. Headings stay real
text but no longer match the paragraph that follows: fine for load timing, not for accuracy.

    .venv/bin/python -m benchmarks.generate_raw_items --items 100000 --out /tmp/ippo-bench/raw
"""

from __future__ import annotations

import argparse
import copy
import csv
import html
import json
import random
import re
from pathlib import Path
from typing import Any

from benchmarks.shared_data import shared_data_dir
from crawlers.encoding import decode_page
from crawlers.structured import extract_from_html
from ippo.demo_site import DEMO_PAGES as PAGES
from pipeline.text.normalize import html_to_text

REPO = Path(__file__).resolve().parent.parent
PAYLOADS = REPO / "tests" / "fixtures" / "payloads"
# Share of each kind in the generated mix (sums to 1).
MIX = {"greenhouse_list": 0.35, "greenhouse_content": 0.15, "jobposting_ja": 0.35, "lever": 0.15}


def _greenhouse_rows(data: Path) -> list[dict[str, str]]:
    with (data / "greenhouse_boards_tech_jobs_hub" / "greenhouse_jobs_index_all_boards.csv").open(
        encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _japanese_jobs(data: Path) -> list[tuple[str, str, str]]:
    """(employer, title, place) from the 求人ボックス CSVs (no header) and the ハローワーク CSV."""
    rows: list[tuple[str, str, str]] = []
    for path in sorted((data / "ja_jobs_kyujinbox_2020").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            rows.extend((r[0], r[1], r[2]) for r in csv.reader(fh) if len(r) >= 3 and r[0] and r[1])
    hw = data / "ja_jobs_hellowork" / "hellowork_2026-01_mie_it_jobs_takezo77.csv"
    if hw.exists():
        with hw.open(encoding="utf-8") as fh:
            rows.extend((r["company_name"], r["job_category"], r["work_location"]) for r in csv.DictReader(fh)
                        if r.get("company_name") and r.get("job_category"))
    return rows


def _jsonld_templates() -> list[dict[str, Any]]:
    postings: list[dict[str, Any]] = []
    for name in ("kirara-support.html", "nursejj.html", "cme-pharmacist.html", "mc-nurse.html", "kyujiner.html"):
        extraction = extract_from_html(decode_page((PAGES / name).read_bytes()).text)
        postings.extend(p for p in extraction.postings if p.get("title"))
    return postings


_BLOCK_END = re.compile(r"(?<=</p>)|(?<=</ul>)|(?<=</ol>)|(?<=</div>)|(?<=</h[1-6]>)|(?<=<br>)|(?<=<br/>)|(?<=<br />)")
_LI = re.compile(r"<li>.*?</li>", re.DOTALL)
_JA_LINE_END = re.compile(r"(?<=<br>)|(?<=</p>)|(?<=</h[1-6]>)|(?<=</li>)")


def _english_pools(data: Path, gh_content: list[dict], lever: list[dict]) -> tuple[list[str], list[str]]:
    """(paragraph blocks, list items) of real English job descriptions."""
    texts = [html.unescape(job.get("content") or "") for job in gh_content]
    for posting in lever:
        texts.extend([posting.get("description") or "", posting.get("additional") or ""])
        texts.extend(block.get("content") or "" for block in posting.get("lists") or [])
    remoteok = data / "ats_api_responses" / "remoteok_api_2026-03-16_JACKAS5_resume-helper.json"
    if remoteok.exists():
        texts.extend(job.get("description") or "" for job in json.loads(remoteok.read_text(encoding="utf-8"))[1:]
                     if isinstance(job, dict))
    blocks = [b.strip() for text in texts for b in _BLOCK_END.split(text) if len(b.strip()) > 40]
    items = [li for text in texts for li in _LI.findall(text)]
    return blocks, items


def _english_description(rng: random.Random, blocks: list[str], length: int) -> str:
    out: list[str] = []
    size = 0
    while size < length:
        block = rng.choice(blocks)
        out.append(block)
        size += len(block)
    return "\n".join(out)


def _japanese_description(rng: random.Random, template: str, lines: list[str]) -> str:
    parts = [line for line in _JA_LINE_END.split(template) if line]
    return "".join(
        rng.choice(lines) if "【" not in line[:8] and rng.random() < 0.5 else line
        for line in parts
    )


def _split_place(place: str) -> tuple[str | None, str | None]:
    from pipeline.employers.records import prefecture_of

    region = prefecture_of(place)
    locality = place.replace(region or "", "").split(" ")[0] or None
    return region, locality


def generate(items: int, out: Path, run_id: str, seed: int = 7) -> dict[str, int]:
    data = shared_data_dir()
    if not (data / "greenhouse_boards_tech_jobs_hub").exists():
        raise SystemExit(f"the real data folder {data} is missing: cannot generate benchmark items")
    rng = random.Random(seed)
    gh_rows = _greenhouse_rows(data)
    ja_jobs = _japanese_jobs(data)
    jsonld = _jsonld_templates()
    gh_content = json.loads((PAYLOADS / "greenhouse_smarterdx_jobs_content.json").read_text(encoding="utf-8"))["jobs"]
    lever = json.loads((PAYLOADS / "lever_palantir_postings.json").read_text(encoding="utf-8"))
    en_blocks, en_items = _english_pools(data, gh_content, lever)
    ja_lines = [line for posting in jsonld for line in _JA_LINE_END.split(posting.get("description") or "")
                if len(line) > 6]
    counts = {k: int(items * share) for k, share in MIX.items()}
    counts["greenhouse_list"] += items - sum(counts.values())
    files: dict[str, list[str]] = {}
    payload: dict[str, Any]

    def emit(source: str, item: dict) -> None:
        files.setdefault(source, []).append(json.dumps(item, ensure_ascii=False))

    for n in range(counts["greenhouse_list"]):
        row = gh_rows[n % len(gh_rows)]
        job_id = int(row["id"]) * 10 + n // len(gh_rows)  # unique when the index is cycled
        payload = {
            "absolute_url": row["absolute_url"], "internal_job_id": row["internal_job_id"] or None,
            "location": {"name": row["location_name"]}, "metadata": None, "id": job_id,
            "updated_at": row["updated_at"], "requisition_id": row["requisition_id"] or None, "title": row["title"],
            "company_name": row["company_name"], "first_published": row["first_published"],
            "language": row["language"] or None, "application_deadline": row["application_deadline"] or None,
        }
        emit("greenhouse", {"kind": "greenhouse_job", "source": "greenhouse", "board": row["board_token"],
                            "payload": payload})
    for n in range(counts["greenhouse_content"]):
        row = rng.choice(gh_rows)
        payload = copy.deepcopy(gh_content[n % len(gh_content)])
        payload.update(id=9_000_000_000 + n, title=row["title"], company_name=row["company_name"],
                       location={"name": row["location_name"]},
                       absolute_url=f"https://job-boards.greenhouse.io/{row['board_token']}/jobs/{9_000_000_000 + n}")
        content = html.unescape(payload.get("content") or "")
        payload["content"] = html.escape(_english_description(rng, en_blocks, len(content)), quote=False)
        emit("greenhouse_content", {"kind": "greenhouse_job", "source": "greenhouse_content",
                                    "board": row["board_token"], "payload": payload})
    for n in range(counts["jobposting_ja"]):
        employer, title, place = rng.choice(ja_jobs)
        payload = copy.deepcopy(jsonld[n % len(jsonld)])
        region, locality = _split_place(place)
        payload["title"] = title
        if isinstance(payload.get("description"), str):
            payload["description"] = _japanese_description(rng, payload["description"], ja_lines)
        payload["hiringOrganization"] = {"@type": "Organization", "name": employer}
        payload["jobLocation"] = {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressCountry": "JP", "addressRegion": region, "addressLocality": locality}}
        payload["identifier"] = {"@type": "PropertyValue", "name": employer, "value": f"gen-{n}"}
        payload["url"] = f"https://jobs.example.jp/job/{n}"
        payload.pop("validThrough", None)
        emit("jobs_ja", {"kind": "jobposting", "source": "jobs_ja", "url": payload["url"],
                         "canonical_url": payload["url"], "payload": payload})
    for n in range(counts["lever"]):
        row = rng.choice(gh_rows)
        payload = copy.deepcopy(lever[n % len(lever)])
        uid = f"00000000-0000-4000-8000-{n:012d}"
        payload.update(id=uid, text=row["title"], hostedUrl=f"https://jobs.lever.co/{row['board_token']}/{uid}",
                       applyUrl=f"https://jobs.lever.co/{row['board_token']}/{uid}/apply")
        description = _english_description(rng, en_blocks, len(payload.get("description") or ""))
        payload.update(description=description, descriptionPlain=html_to_text(description))
        for block in payload.get("lists") or []:
            block["content"] = "".join(rng.sample(en_items, min(len(en_items), rng.randint(4, 10))))
        payload["categories"] = {**payload.get("categories", {}), "location": row["location_name"],
                                 "allLocations": [row["location_name"]]}
        emit("lever", {"kind": "lever_posting", "source": "lever", "company": row["company_name"], "payload": payload})
    for source, lines in files.items():
        folder = out / source
        folder.mkdir(parents=True, exist_ok=True)
        rng.shuffle(lines)
        (folder / f"{run_id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {source: len(lines) for source, lines in files.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--out", type=Path, required=True, help="the raw folder to write runs into")
    parser.add_argument("--run-id", default="20261126T000000Z")
    args = parser.parse_args()
    counts = generate(args.items, args.out, args.run_id)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()

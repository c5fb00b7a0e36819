"""The real WAM NET files of the shared data folder, and raw runs made from them for the loader."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline.support.kinds import OFFICE_FILE, OFFICE_ROW, office_file_payload, office_row_payload
from tests.conftest import shared_data

# file -> (サービス種別, rows) as SOURCES.md section 12 counts them.
FILES = {
    "wam_2022_shuro_ikou_shien.csv": ("就労移行支援", 3188),
    "wam_2022_shuro_keizoku_A.csv": ("就労継続支援Ａ型", 3682),
    "wam_2022_shuro_teichaku_shien.csv": ("就労定着支援", 1234),
    "wam_2022_jiritsu_kunren_seikatsu.csv": ("自立訓練（生活訓練）", 1280),
}


def wam_file(name: str) -> Path:
    return shared_data(f"wam_shuro_jigyosho/{name}")


def wam_rows(name: str) -> list[dict[str, str]]:
    with wam_file(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_lines(file: str, rows: Iterable[Mapping[str, str]], *, whole: bool = True,
              source: str = "support") -> list[dict[str, Any]]:
    """Raw items of one WAM file as the support spider writes them (with the file marker when ``whole``)."""
    rows = list(rows)
    url = f"file:///mirror/{file}"
    items: list[dict[str, Any]] = [
        {"kind": OFFICE_ROW, "source": source, "url": url, "fetched_at": "2026-11-01T00:00:00Z",
         "payload": office_row_payload(file, None, n, row)} for n, row in enumerate(rows, start=1)]
    if whole:
        items.append({"kind": OFFICE_FILE, "source": source, "url": url, "fetched_at": "2026-11-01T00:00:00Z",
                      "payload": office_file_payload(file, None, len(rows), "utf-8")})
    return items


def write_run(raw_dir: Path, run_id: str, items: Iterable[Mapping[str, Any]], source: str = "support") -> Path:
    path = raw_dir / source / f"{run_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items), encoding="utf-8")
    return path

"""gBizINFO's own 表彰情報 bulk layout (Japanese headers): read with the same rules as the flat
file, and its certifications reach the matched listings' employer tags with their evidence."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.employers.records import RegistryFileError, load_registry_specs, read_registry_file
from pipeline.warehouse.load import load
from tests.pipeline.employers.shared_registries import GBIZINFO_CSV
from tests.pipeline.warehouse.test_load_publish import _dump, _items, _query, _write_run

SUPERNURSE_CN = "8010001140035"  # 株式会社スーパーナース: えるぼし認定 in gBizINFO
HEADERS = {"corporate_number": "法人番号", "name": "法人名", "address": "本社所在地", "certified_date": "表彰日",
           "certification_name": "表彰名", "target": "受賞対象", "division": "部門", "issuer": "表彰した府省"}


def _bulk_file(tmp_path: Path, corporate_numbers: set[str] | None = None, date: str | None = None) -> Path:
    """Real rows of the flat gBizINFO file, written back with gBizINFO's own headers (``date``
    fills 表彰日 where the flat file has none)."""
    if not GBIZINFO_CSV.is_file():
        pytest.skip(f"the real gBizINFO data is absent: {GBIZINFO_CSV}")
    with GBIZINFO_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if corporate_numbers is None or r["corporate_number"] in corporate_numbers]
    path = tmp_path / "Hyoshojoho_UTF-8.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS.values())
        writer.writerows([[row[k] or (date if k == "certified_date" else "") for k in HEADERS] for row in rows])
    return path


def test_the_bulk_layout_gives_the_records_the_flat_layout_gives(tmp_path: Path) -> None:
    specs = load_registry_specs()
    bulk, _ = read_registry_file(_bulk_file(tmp_path), specs["gbizinfo_hyosho"])
    flat, _ = read_registry_file(GBIZINFO_CSV, specs["gbizinfo_awards"])
    def key(r: dict) -> tuple:
        return (r["corporate_number"], r["tag"], r["level_or_status"], r["issuer"])

    assert sorted(map(key, bulk)) == sorted(map(key, flat))  # type: ignore[arg-type]
    awards = [r for r in bulk if r["tag"] == "cert_disability_award"]
    assert len(awards) == 271  # SOURCES.md: 障害者雇用優良事業所の大臣表彰
    assert all(r["issuer"] for r in awards)


def test_a_bulk_file_missing_a_named_column_says_which(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("法人番号,会社名,表彰名\n8010001140035,株式会社スーパーナース,えるぼし－認定\n", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="法人名"):
        read_registry_file(path, load_registry_specs()["gbizinfo_hyosho"])


def test_certifications_reach_the_listing_with_name_date_issuer_method_and_confidence(tmp_path: Path) -> None:
    # The flat file has no date for this えるぼし認定: one is given, as the bulk file has them.
    bulk = _bulk_file(tmp_path, {SUPERNURSE_CN}, date="2020-04-01")
    records, _ = read_registry_file(bulk, load_registry_specs()["gbizinfo_hyosho"])
    assert records
    warehouse, raw = tmp_path / "w.duckdb", tmp_path / "raw"
    _write_run(raw, "r1", _dump(_items(["supernurse.html"])))
    load(warehouse, raw, now=datetime(2026, 11, 26, 12), occupations=False,
         registry_records=[(r, "registry:Hyoshojoho_UTF-8.csv") for r in records])
    [(tags,)] = _query(warehouse, "SELECT employer.registry_tags FROM listings")
    [tag] = [t for t in tags if t["tag"] == "cert_eruboshi"]
    [record] = [r for r in records if r["tag"] == "cert_eruboshi"]
    evidence = tag["evidence"]
    assert tag["source"] == "registry"
    assert record["level_or_status"] in evidence  # the certification's name
    assert record["as_of"] == "2020-04-01" and "2020-04-01" in evidence  # its date
    assert record["issuer"] and record["issuer"] in evidence  # who gave it
    assert "株式会社スーパーナース" in evidence and f"法人番号 {SUPERNURSE_CN}" in evidence
    assert "[match: " in evidence and "confidence " in evidence  # how the listing was matched, how surely

"""Registry rows -> registry records, the one shape every employer registry is read into.

A registry is a published list of employers holding an award, certification or pledge (gBizINFO
表彰情報, もにす認定, Disability Confident, the Fair Chance Business Pledge, ...). Each arrives in its
own layout, so a registry is described by configuration (pipeline/vocab/registries.toml): which
source column holds which field, and which rows raise which employer tag. The conversion itself is
a pure function over rows (``records_from_rows``), so a crawler that fetches a registry page can
reuse it without touching files; ``read_registry_file`` is the thin file layer around it.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypedDict

from pipeline import VOCAB_DIR
from pipeline.employers.names import (
    is_valid_corporate_number,
    normalize_corporate_number,
    normalize_employer_name,
)

REGISTRIES_TOML = VOCAB_DIR / "registries.toml"
MUNICIPALITY_TABLE = VOCAB_DIR / "municipality_prefectures.json"
RECORD_FIELDS = (
    "employer_name",
    "corporate_number",
    "address",
    "prefecture",
    "pref_code",
    "country",
    "level_or_status",
    "as_of",
    "source_url",
    "scheme",
    "issuer",
)

# JIS X 0401 order: PREFECTURES[code - 1].
PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)  # fmt: skip
# Designated cities (政令指定都市) are often written without their prefecture ("名古屋市 栄駅").
_CITY_PREFECTURE = {
    "札幌市": "北海道", "仙台市": "宮城県", "さいたま市": "埼玉県", "千葉市": "千葉県", "横浜市": "神奈川県",
    "川崎市": "神奈川県", "相模原市": "神奈川県", "新潟市": "新潟県", "静岡市": "静岡県", "浜松市": "静岡県",
    "名古屋市": "愛知県", "京都市": "京都府", "大阪市": "大阪府", "堺市": "大阪府", "神戸市": "兵庫県",
    "岡山市": "岡山県", "広島市": "広島県", "北九州市": "福岡県", "福岡市": "福岡県", "熊本市": "熊本県",
    "東京23区": "東京都",
}  # fmt: skip
_PREF_RE = re.compile("|".join(PREFECTURES))
_CITY_RE = re.compile("|".join(_CITY_PREFECTURE))
_TOKYO_WARDS = (
    "千代田 中央 港 新宿 文京 台東 墨田 江東 品川 目黒 大田 世田谷 "
    "渋谷 中野 杉並 豊島 北 荒川 板橋 練馬 足立 葛飾 江戸川"
)
_MUNICIPALITY_RE = re.compile(r"[^\s\d,、()（）]{1,8}?[市町村]")
_TOKYO_WARD_RE = re.compile("(?:" + "|".join(_TOKYO_WARDS.split()) + ")区")


class RegistryRecord(TypedDict):
    """One registry row about one employer, with the employer tag it raises."""

    registry: str  # the registry id (a table name of registries.toml)
    tag: str  # an employer tag of docs/signals.md, or an extra tag documented in registries.toml
    employer_name: str  # as published
    normalized_name: str  # pipeline.employers.names.normalize_employer_name(employer_name)
    corporate_number: str | None  # 法人番号, 13 digits, zero-padded
    address: str | None
    prefecture: str | None  # 都道府県 by name
    country: str | None  # ISO 3166-1 alpha-2
    level_or_status: str | None  # e.g. プラチナくるみん, "founding signatory", "DEI score 100"
    as_of: str | None  # date or year as published
    source_url: str | None
    issuer: str | None  # who gave the award or certification (表彰した府省), when the registry says
    evidence: str  # the row, summarised for a person


class RegistryConfigError(ValueError):
    """A registry description in registries.toml (or a mapping given in code) is unusable."""


class RegistryFileError(OSError):
    """A registry file is missing, unreadable, or lacks the columns its description names."""


@dataclass(frozen=True)
class TagRule:
    """Rows whose ``column`` contains ``contains`` raise ``tag`` ("" = ignored on purpose)."""

    column: str
    contains: str
    tag: str
    label: str | None = None


@dataclass(frozen=True)
class RegistrySpec:
    """How to read one registry layout: column mapping plus tag rules (or one fixed tag)."""

    id: str
    label: str
    columns: Mapping[str, tuple[str, ...]]  # record field -> source columns, first non-empty wins
    rules: tuple[TagRule, ...] = ()
    tag: str | None = None
    country: str | None = None
    format: str = "csv"
    default_path: str | None = None  # where tests and benchmarks find a copy under the shared data folder
    source_url: str | None = None
    source_url_template: str | None = None


@dataclass
class ReadReport:
    """What happened to every row: nothing is dropped without being counted here."""

    registry: str
    rows: int = 0
    records: int = 0
    ignored: Counter[str] = field(default_factory=Counter)  # value of the rule column -> rows
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)
    bad_corporate_numbers: int = 0


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            value = int(value)
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def prefecture_of(text: Any) -> str | None:
    """The 都道府県 named in an address or location text ("名古屋市 栄駅" -> 愛知県), else None."""
    value = _clean(text)
    if not value:
        return None
    value = _nfkc(value)
    m = _PREF_RE.search(value)
    if m:
        return m.group(0)
    m = _CITY_RE.search(value)
    if m:
        return _CITY_PREFECTURE[m.group(0)]
    if value.startswith("東京") or _TOKYO_WARD_RE.match(value):
        return "東京都"
    table = _municipality_prefectures()
    for m in _MUNICIPALITY_RE.finditer(value):
        pref = table.get(m.group(0))
        if pref:
            return pref
    return None


def municipality_in(text: str) -> str | None:
    """The first municipality name (…市, …町, …村) in a text, else None."""
    m = _MUNICIPALITY_RE.search(text)
    return m.group(0) if m else None


@lru_cache(maxsize=1)
def _municipality_prefectures() -> dict[str, str]:
    """Municipality name -> 都道府県 for names used in one prefecture only (大府市 -> 愛知県).

    The shipped table pipeline/vocab/municipality_prefectures.json, derived from the JIS
    municipality codes of a Hello Work jurisdiction table (MIT; scripts/build_municipality_table.py
    says how). Names used in two prefectures (伊達市, 府中市) are not in it.
    """
    table = json.loads(MUNICIPALITY_TABLE.read_text(encoding="utf-8"))["municipalities"]
    return {str(name): str(prefecture) for name, prefecture in table.items()}


def prefecture_from_code(code: Any) -> str | None:
    """01-47 (or 1-47, as spreadsheets write it) -> 都道府県 name."""
    text = _clean(code)
    if not text or not text.isdigit():
        return None
    n = int(text)
    return PREFECTURES[n - 1] if 1 <= n <= 47 else None


def spec_from_mapping(registry_id: str, mapping: Mapping[str, Any]) -> RegistrySpec:
    """A RegistrySpec from a plain mapping: a registries.toml table, or a dict an operator writes.

    The column mapping may be given either way round, under its own key:
    ``columns`` maps *source column -> record field* (``{"事業所名": "employer_name"}``), and
    ``fields`` maps *record field -> source column* (how registries.toml writes it, one field a line).
    """
    if not isinstance(mapping, Mapping):
        raise RegistryConfigError(f"registry {registry_id!r}: expected a table, got {type(mapping).__name__}")
    pairs: list[tuple[str, Any]] = []
    by_column = mapping.get("columns") or {}
    by_field = mapping.get("fields") or {}
    if not isinstance(by_column, Mapping) or not isinstance(by_field, Mapping):
        raise RegistryConfigError(f"registry {registry_id!r}: 'columns' and 'fields' must be tables")
    pairs.extend((str(f), c) for c, f in by_column.items())
    pairs.extend((str(f), c) for f, c in by_field.items())
    if not pairs:
        raise RegistryConfigError(
            f"registry {registry_id!r}: give 'columns' (source column -> field) or 'fields' (field -> column)"
        )
    columns: dict[str, tuple[str, ...]] = {}
    for fieldname, column in pairs:
        if fieldname not in RECORD_FIELDS:
            raise RegistryConfigError(
                f"registry {registry_id!r}: column {column!r} is mapped to {fieldname!r}, which is not a "
                f"record field (fields: {', '.join(RECORD_FIELDS)})"
            )
        names = tuple(str(c) for c in column) if isinstance(column, list | tuple) else (str(column),)
        if not names or not all(names):
            raise RegistryConfigError(f"registry {registry_id!r}: field {fieldname!r} names no column")
        columns[fieldname] = columns.get(fieldname, ()) + names
    if "employer_name" not in columns:
        raise RegistryConfigError(f"registry {registry_id!r}: no column is mapped to employer_name")
    rules = []
    for i, rule in enumerate(mapping.get("rules", []) or []):
        try:
            rules.append(
                TagRule(
                    column=str(rule["column"]),
                    contains=_nfkc(str(rule["contains"])),
                    tag=str(rule.get("tag", "")),
                    label=rule.get("label"),
                )
            )
        except (KeyError, TypeError) as exc:
            raise RegistryConfigError(
                f"registry {registry_id!r}: rule {i + 1} needs column, contains, tag"
            ) from exc
    tag = mapping.get("tag")
    if not rules and not tag:
        raise RegistryConfigError(
            f"registry {registry_id!r}: give either 'tag' or at least one [[rules]] entry"
        )
    fmt = str(mapping.get("format", "csv")).lower()
    if fmt not in ("csv", "xlsx"):
        raise RegistryConfigError(f"registry {registry_id!r}: format {fmt!r} is not csv or xlsx")
    return RegistrySpec(
        id=registry_id,
        label=str(mapping.get("label", registry_id)),
        columns=columns,
        rules=tuple(rules),
        tag=str(tag) if tag else None,
        country=mapping.get("country"),
        format=fmt,
        default_path=mapping.get("default_path"),
        source_url=mapping.get("source_url"),
        source_url_template=mapping.get("source_url_template"),
    )


def load_registry_specs(path: Path | str | None = None) -> dict[str, RegistrySpec]:
    """Every registry described in registries.toml (or in the file given)."""
    toml_path = Path(path) if path else REGISTRIES_TOML
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryConfigError(f"registry description file not found: {toml_path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryConfigError(f"{toml_path} is not valid TOML: {exc}") from exc
    tables = data.get("registries", {})
    return {rid: spec_from_mapping(rid, _shared_rules(rid, table, tables)) for rid, table in tables.items()}


def _shared_rules(registry_id: str, table: Mapping[str, Any], tables: Mapping[str, Any]) -> Mapping[str, Any]:
    """A layout with ``rules_from = "<other layout>"`` uses that layout's rules, read from its own
    ``rule_column`` (the same awards published with other column headers)."""
    source = table.get("rules_from")
    if not source:
        return table
    if source not in tables or not tables[source].get("rules"):
        raise RegistryConfigError(f"registry {registry_id!r}: rules_from names {source!r}, a layout without rules")
    column = table.get("rule_column")
    if not column:
        raise RegistryConfigError(f"registry {registry_id!r}: rules_from needs rule_column (the column to match)")
    return {**table, "rules": [{**rule, "column": column} for rule in tables[source]["rules"]]}


def _pick_rule(row: Mapping[str, Any], spec: RegistrySpec) -> tuple[TagRule | None, str | None]:
    """The first rule whose column value contains its text, and that value (for the ignore count)."""
    first_value = None
    for rule in spec.rules:
        value = _clean(row.get(rule.column))
        if value is None:
            continue
        folded = _nfkc(value)
        if first_value is None:
            first_value = value
        if rule.contains in folded:
            return rule, value
    return None, first_value


def _evidence(label: str, record: Mapping[str, Any]) -> str:
    details = [
        record.get("as_of"),
        record.get("issuer"),
        record.get("employer_name"),
        f"法人番号 {record['corporate_number']}" if record.get("corporate_number") else None,
        record.get("prefecture") if not record.get("corporate_number") else None,
    ]
    head = f"{label}: {record['level_or_status']}" if record.get("level_or_status") else label
    inner = ", ".join(str(d) for d in details if d)
    return f"{head} ({inner})" if inner else head


def records_from_rows(
    rows: Iterable[Mapping[str, Any]], spec: RegistrySpec
) -> tuple[list[RegistryRecord], ReadReport]:
    """Registry rows (dicts keyed by source column) -> records, with a report of every row.

    Pure: no files, no network. Rows without an employer name are rejected (and reported);
    rows no rule matches are counted as ignored by the value of the rule column.
    """
    report = ReadReport(registry=spec.id)
    records: list[RegistryRecord] = []
    col = spec.columns
    for number, row in enumerate(rows, start=1):
        report.rows += 1
        if not isinstance(row, Mapping):
            report.rejected.append((number, f"row is {type(row).__name__}, not a mapping of columns"))
            continue

        def get(fieldname: str, _row: Mapping[str, Any] = row) -> str | None:
            for column in col.get(fieldname, ()):
                value = _clean(_row.get(column))
                if value:
                    return value
            return None

        name = get("employer_name")
        if not name:
            report.rejected.append((number, f"no employer name in column {', '.join(col['employer_name'])}"))
            continue
        if spec.rules:
            rule, value = _pick_rule(row, spec)
            if rule is None or not rule.tag:
                report.ignored[value or "(empty)"] += 1
                continue
            tag, label = rule.tag, rule.label or spec.label
        else:
            tag, label = str(spec.tag), spec.label

        raw_cn = get("corporate_number")
        corporate_number = normalize_corporate_number(raw_cn) if raw_cn else None
        if raw_cn and (corporate_number is None or not is_valid_corporate_number(corporate_number)):
            report.bad_corporate_numbers += 1
            corporate_number = None
        address = get("address")
        prefecture = get("prefecture") or prefecture_from_code(get("pref_code")) or prefecture_of(address)
        if prefecture:
            prefecture = prefecture_of(prefecture) or prefecture
        country = (get("country") or spec.country or ("JP" if prefecture else None) or "").upper() or None
        source_url = get("source_url")
        if not source_url and spec.source_url_template and corporate_number:
            source_url = spec.source_url_template.format(corporate_number=corporate_number)
        source_url = source_url or spec.source_url
        record: RegistryRecord = {
            "registry": spec.id,
            "tag": tag,
            "employer_name": name,
            "normalized_name": normalize_employer_name(name),
            "corporate_number": corporate_number,
            "address": address,
            "prefecture": prefecture,
            "country": country,
            "level_or_status": get("level_or_status"),
            "as_of": _nfkc(as_of) if (as_of := get("as_of")) else None,
            "source_url": source_url,
            "issuer": get("issuer"),
            "evidence": "",
        }
        record["evidence"] = _evidence(label, record)
        records.append(record)
        report.records += 1
    return records, report


def read_rows(path: Path | str, fmt: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a CSV (UTF-8, with or without BOM) or of the first sheet of an XLSX, keyed by header."""
    file_path = Path(path)
    if not file_path.is_file():
        raise RegistryFileError(f"registry file not found: {file_path}")
    kind = (fmt or file_path.suffix.lstrip(".")).lower()
    if kind == "xlsx":
        try:
            import openpyxl
        except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
            raise RegistryFileError(f"reading {file_path} needs openpyxl") from exc
        try:
            book = openpyxl.load_workbook(file_path, read_only=True, data_only=True)
        except Exception as exc:
            raise RegistryFileError(f"{file_path} is not a readable XLSX workbook: {exc}") from exc
        try:
            sheet = book.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                return
            names = [str(h).strip() if h is not None else f"column_{i}" for i, h in enumerate(header)]
            for values in rows:
                if values is None or all(v is None for v in values):
                    continue
                yield dict(zip(names, values, strict=False))
        finally:
            book.close()
        return
    if kind not in ("csv", "txt", "tsv"):
        raise RegistryFileError(f"{file_path}: unknown registry file type {kind!r} (use csv or xlsx)")
    try:
        with file_path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t" if kind == "tsv" else ",")
            yield from reader
    except UnicodeDecodeError as exc:
        raise RegistryFileError(f"{file_path} is not UTF-8 text ({exc}); convert it to UTF-8 first") from exc


def read_registry_file(path: Path | str, spec: RegistrySpec) -> tuple[list[RegistryRecord], ReadReport]:
    """Read one registry file with its description; the columns it names must exist."""
    known_suffix = Path(path).suffix.lower() in (".csv", ".xlsx", ".tsv")
    rows = read_rows(path, None if known_suffix else spec.format)
    first = next(rows, None)
    if first is None:
        return [], ReadReport(registry=spec.id)
    # A field given several columns needs one of them (layouts may name the variants of a header).
    needed = {cols[0] for cols in spec.columns.values() if not set(cols) & set(first)} | {r.column for r in spec.rules}
    missing = sorted(needed - set(first))
    if missing:
        raise RegistryFileError(
            f"{path}: columns {missing} named by registry {spec.id!r} are not in the file "
            f"(found: {sorted(first)})"
        )

    def chained() -> Iterator[dict[str, Any]]:
        yield first
        yield from rows

    return records_from_rows(chained(), spec)


def read_known_registry(
    registry_id: str, path: Path | str | None, specs: Mapping[str, RegistrySpec] | None = None
) -> tuple[list[RegistryRecord], ReadReport]:
    """Read a registry described in registries.toml from its file (a CSV/TSV/XLSX export)."""
    all_specs = specs if specs is not None else load_registry_specs()
    if registry_id not in all_specs:
        raise RegistryConfigError(f"unknown registry {registry_id!r}; known: {', '.join(sorted(all_specs))}")
    if path is None:
        raise RegistryFileError(
            f"registry {registry_id!r}: no file given; pass the path of its CSV/TSV/XLSX export"
        )
    return read_registry_file(path, all_specs[registry_id])


def read_gbizinfo_awards(path: Path | str) -> tuple[list[RegistryRecord], ReadReport]:
    """gBizINFO 表彰 rows (one row per company and award, the layout gbizinfo_awards of registries.toml)."""
    return read_known_registry("gbizinfo_awards", path)


def read_inclusive_mentions(path: Path | str) -> tuple[list[RegistryRecord], ReadReport]:
    """The partial list of Fair Chance / Disability Confident / もにす / DEI mentions."""
    return read_known_registry("inclusive_mentions", path)

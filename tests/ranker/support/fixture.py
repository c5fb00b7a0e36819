"""A serving snapshot with the support tables of the contract holding a few REAL offices.

The offices are rows of WAM NET's open data (障害福祉サービス等情報公表システム, 2022-03 release as
kept in ../shared/data/wam_shuro_jigyosho/, see tests/fixtures/SOURCES.md), their values copied
here as the loader writes them (office numbers zero-padded to ten digits, municipality codes
from the address); test_fixture_rows checks them against the shared CSV when it is present.
The Hello Work rows are those of ../shared/data/hellowork_jurisdiction/ for these places, plus
one city-level row (01100) that the real table does not have, for the ward-to-city rule.
Centroids are derived as the contract says: the mean of the offices' coordinates per area.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from benchmarks.generated_snapshot import _fill_listings
from pipeline.support.tables import SNAPSHOT_TABLES, create_table_sql
from pipeline.warehouse.snapshot import write_snapshot as write_serving_snapshot

VERSION = "20261126T000000Z"


def office(number: str, service_type: str, label: str, name: str, operator: str, code: str, prefecture: str,
           address: str, phone: str, url: str | None, weekday: str | None, closed: str | None,
           capacity: int | None, lat: float | None, lng: float | None) -> dict[str, Any]:
    return {
        "office_id": f"{number}:{service_type}", "office_number": number, "service_type": service_type,
        "service_label": label, "name": name, "name_kana": None, "operator_name": operator,
        "operator_corporate_number": None, "municipality_code": code, "prefecture": prefecture,
        "address": address, "phone": phone, "url": url, "hours_weekday": weekday, "hours_saturday": None,
        "hours_sunday": None, "hours_holiday": None, "closed_days": closed, "days_note": None,
        "capacity": capacity, "lat": lat, "lng": lng, "first_seen": None, "last_seen": None,
    }


OFFICES = [
    office("1311401911", "shuro_ikou", "就労移行支援", "ディーキャリアＩＴエキスパート　中野オフィス",
           "デコボコベース株式会社", "13114", "東京都", "東京都中野区中野４−７−２　ＳＨビル3階",
           "03-6454-0427", "https://dd-career.com/office/it_nakano/", "10:00-16:00",
           "基本日曜日。土曜祝日は、利用者の状況に合わせて開所", 20, 35.70955923, 139.66349911),
    office("1311401457", "shuro_ikou", "就労移行支援", "にじ中野坂上", "株式会社にじ", "13114", "東京都",
           "東京都中野区本町２−４５−１３　山手ビル６階", "03-6276-8663", "http://ni-ji.net/", "10:00-16:00",
           "日曜日　年末年始", 20, 35.69586138, 139.68239247),
    office("1311401671", "shuro_ikou", "就労移行支援", "ワークステーションJade中野",
           "株式会社東京リハビリテーションサービス", "13114", "東京都",
           "東京都中野区野方4-19-1グランデ634　2F", "03-5937-0483", "https://workstation-jade.com/",
           "09:30-15:30", "土日、年末年始（12/30〜1/3）", 20, 35.7195773, 139.65404671),
    office("1311402034", "shuro_teichaku", "就労定着支援", "就労支援センター　ステッツ中野",
           "株式会社ステッツ", "13114", "東京都", "東京都中野区中野４−７−１野口ビル３階", "03-5942-8931",
           "https://stets.co.jp", "10:00-15:00", "土曜日曜祝日及び12月29日から1月3日", None, 35.70972588,
           139.66347966),
    office("1311400715", "shuro_keizoku_a", "就労継続支援Ａ型", "コロニー中野", "社会福祉法人東京コロニー",
           "13114", "東京都", "東京都中野区江原町2-6-7", "03-3953-3541", "http://www.tocolo.or.jp",
           "08:50-17:30", "日・祝日、事業所の定めた土曜日、年末年始、夏期休業", 10, 35.72910996, 139.66834785),
    office("1311401721", "jiritsu_kunren_seikatsu", "自立訓練（生活訓練）", "ワーカライズ　ニコ",
           "一般財団法人　中野区障害者福祉事業団", "13114", "東京都", "東京都中野区新井２−８−１３",
           "03-3388-2941", None, None, None, None, 35.7122342, 139.6648324),
    office("1310100332", "shuro_ikou", "就労移行支援", "ビルド神保町", "ＮＰＯ法人ＮＥＣＳＴ", "13101",
           "東京都", "東京都千代田区神田神保町１−２２　ＮＴビル３階／６階", "03-5577-6003",
           "https://necst.org", "09:30-18:00", "土日祝日、年末年始休暇", 20, 35.69695213, 139.75968019),
    office("1310100092", "shuro_ikou", "就労移行支援", "千代田区立障害者就労支援施設", "千代田区", "13101",
           "東京都", "東京都千代田区九段南１−２−１", "03-3263-1841", "http://www.midorinokaze.org/",
           "09:00-16:00", "土曜、日曜日、祝祭日、年末年始休暇、夏季休暇", 6, 35.69400229, 139.75363355),
    # No coordinates in WAM's data: found at 千代田区's centroid, approximate.
    office("1310100654", "shuro_ikou", "就労移行支援", "LITALICOワークス秋葉原",
           "株式会社LITALICOパートナーズ", "13101", "東京都",
           "東京都千代田区神田佐久間河岸４６−３ＵＦビル５　６階", "03-5835-0889",
           "https://works.litalico.jp/center/tokyo/akihabara/", "09:00-15:00",
           "開所日以外の日曜日、法人が定める夏期休暇、年末年始（12月29日〜1月3日）", 20, None, None),
    office("0110103785", "shuro_ikou", "就労移行支援", "ディーキャリア札幌オフィス",
           "株式会社　フォアヴェルツ", "01101", "北海道",
           "北海道札幌市中央区北１条西３丁目３番２５号荒巻時計台前ビル３階", "011-213-1340",
           "http://vorwaerts-ag.com/", "10:00-16:00", "日曜", 20, 43.06287841, 141.35232617),
]

HELLOWORK = [
    {"municipality_code": "13101", "postal_code": None, "office": "飯田橋"},
    {"municipality_code": "13104", "postal_code": None, "office": "新宿"},
    {"municipality_code": "13114", "postal_code": None, "office": "新宿"},
    {"municipality_code": "13115", "postal_code": None, "office": "新宿"},
    {"municipality_code": "01101", "postal_code": None, "office": "札幌"},
    {"municipality_code": "01102", "postal_code": None, "office": "札幌北"},
    {"municipality_code": "01100", "postal_code": None, "office": "札幌"},  # constructed: the ward-to-city rule
    {"municipality_code": "01371", "postal_code": None, "office": "函館"},
    {"municipality_code": "01371", "postal_code": "0494431", "office": "函館 八雲出張所"},
]

PREFECTURES = {"13": "東京都", "01": "北海道"}
MUNICIPALITIES = {"13114": "中野区", "13101": "千代田区", "01101": "札幌市中央区"}


def centroids(offices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mean of the placed offices' coordinates per municipality and per prefecture."""
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in offices:
        if row["lat"] is None:
            continue
        for key in ((row["municipality_code"], "municipality"), (row["municipality_code"][:2], "prefecture")):
            total = sums[key]
            total[0] += row["lat"]
            total[1] += row["lng"]
            total[2] += 1
    return [{"area_code": code, "level": level,
             "name": MUNICIPALITIES.get(code, "") if level == "municipality" else PREFECTURES.get(code, ""),
             "lat": lat / n, "lng": lng / n, "offices": int(n)} for (code, level), (lat, lng, n) in sums.items()]


_ARROW = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "TIMESTAMP": pa.timestamp("us")}


def _add_support(tables: dict[str, list[dict[str, Any]]]) -> Any:
    def add(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
        for name, rows in tables.items():
            columns = SNAPSHOT_TABLES[name]
            con.execute(create_table_sql(name, columns))
            if not rows:
                continue
            schema = pa.schema([(column, _ARROW[kind]) for column, kind in columns])
            con.register("rows", pa.Table.from_pylist(rows, schema=schema))
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM rows")
            con.unregister("rows")
        return {}

    return add


def add_support_rows(con: duckdb.DuckDBPyConnection, offices: list[dict[str, Any]] | None = None,
                     hellowork: list[dict[str, Any]] | None = None) -> None:
    """Fill the support tables of an open snapshot file (the real offices by default), e.g. a copy
    of a snapshot ``ippo publish`` wrote before any support data was loaded."""
    _add_support(_support_tables(offices, hellowork))(con)


def _support_tables(offices: list[dict[str, Any]] | None,
                    hellowork: list[dict[str, Any]] | None) -> dict[str, list[dict[str, Any]]]:
    offices = OFFICES if offices is None else offices
    return {"support_offices": offices, "hellowork_areas": HELLOWORK if hellowork is None else hellowork,
            "area_centroids": centroids(offices)}


def write_support_snapshot(rows: list[dict[str, Any]], serving_dir: Path, offices: list[dict[str, Any]] | None = None,
                           hellowork: list[dict[str, Any]] | None = None, version: str = VERSION) -> Path:
    """A snapshot of listing ``rows`` with the support tables (the real offices by default;
    empty lists give the empty tables of a snapshot published before support data was loaded)."""
    tables = _support_tables(offices, hellowork)
    return write_serving_snapshot(serving_dir, _fill_listings(rows), [_add_support(tables)], version=version).path

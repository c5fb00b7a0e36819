"""WAM NET rows -> support offices, on the real shared files and on planted broken rows."""

from __future__ import annotations

import io
import zipfile

import pytest

from pipeline.support.coordinates import coordinates
from pipeline.support.errors import SupportRowError
from pipeline.support.offices import LAT, LNG, office_from_row, offices_from_rows
from pipeline.support.read import SupportFileError, csv_tables
from pipeline.support.service_types import service_type_of, service_type_of_file
from tests.pipeline.support.wam_files import FILES, wam_file, wam_rows


@pytest.fixture(scope="module")
def ikou() -> list[dict[str, str]]:
    return wam_rows("wam_2022_shuro_ikou_shien.csv")


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_row_of_each_real_file_is_read(name: str) -> None:
    label, count = FILES[name]
    [table] = csv_tables(wam_file(name).read_bytes(), name)
    offices, report = offices_from_rows(table.rows)
    assert report.rows == count
    # Rows are offices, or counted by reason: none is lost without a count.
    assert report.offices + sum(report.quarantined.values()) == count
    assert {o["service_label"] for o in offices} == {label}
    assert set(report.quarantined) <= {"duplicate_office_row"}
    assert len({o["office_id"] for o in offices}) == len(offices)


def test_a_hokkaido_office_number_gets_its_leading_zero_back(ikou: list[dict[str, str]]) -> None:
    row = next(r for r in ikou if r["事業所の名称"] == "ディーキャリア札幌オフィス")
    assert row["事業所番号"] == "110103785"  # nine digits in the file
    office = office_from_row(row)
    assert office["office_number"] == "0110103785"
    assert office["office_id"] == "0110103785:shuro_ikou"


def test_the_municipality_comes_from_the_address_not_from_the_designating_authority(
        ikou: list[dict[str, str]]) -> None:
    row = next(r for r in ikou if r["事業所の名称"] == "ディーキャリア札幌オフィス")
    office = office_from_row(row)
    assert row["都道府県コード又は市区町村コード"] == "1100"  # 札幌市, the designating authority
    assert office["authority_code"] == "01100"
    assert office["municipality_code"] == "01101"  # 札幌市中央区, where the office is
    assert office["prefecture"] == "北海道"
    assert office["address"].startswith("北海道札幌市中央区北１条西３丁目")


def test_an_office_designated_by_another_authority_still_gets_its_own_place() -> None:
    rows = wam_rows("wam_2022_jiritsu_kunren_seikatsu.csv")
    office = office_from_row(rows[0])  # 相模原市 designates; the operator sits in 札幌
    assert (office["authority_code"], office["municipality_code"]) == ("14150", "14152")


def test_corporate_numbers_are_padded_and_checked(ikou: list[dict[str, str]]) -> None:
    offices, _ = offices_from_rows(ikou)
    numbers = [o["operator_corporate_number"] for o in offices if o["operator_corporate_number"]]
    assert numbers and all(len(n) == 13 for n in numbers)
    twelve = next(r for r in ikou if len(r["法人番号"]) == 12)
    padded = office_from_row(twelve)["operator_corporate_number"]
    assert padded is None or padded == twelve["法人番号"].zfill(13)


def test_every_office_has_a_ten_digit_number_and_a_five_digit_place() -> None:
    for name in FILES:
        offices, _ = offices_from_rows(wam_rows(name))
        assert all(len(o["office_number"]) == 10 and o["office_number"].isdigit() for o in offices)
        assert all(o["municipality_code"] is not None and len(o["municipality_code"]) == 5 for o in offices)


def test_missing_coordinates_are_kept_as_null(ikou: list[dict[str, str]]) -> None:
    offices, _ = offices_from_rows(ikou)
    without = [o for o in offices if o["lat"] is None]
    assert without and all(o["lng"] is None for o in without)
    assert len(offices) - len(without) > 2800  # SOURCES.md: 2,851 rows with coordinates


def test_satellite_premises_sharing_a_number_are_served_apart_by_their_wam_no(ikou: list[dict[str, str]]) -> None:
    offices, report = offices_from_rows(ikou)
    # 多機能型事業所 あずあいむ and its 従たる事業所 (listed first), under one number.
    azuaimu = [o for o in offices if o["name"].startswith("多機能型事業所 あずあいむ")]
    assert len(azuaimu) == 2 and len({o["office_number"] for o in azuaimu}) == 1
    plain, satellite = sorted(azuaimu, key=lambda o: o["office_id"].count(":"))
    assert plain["office_id"] == f"{plain['office_number']}:shuro_ikou" and plain["wam_no"] == "E0000000106"
    assert satellite["office_id"] == f"{plain['office_number']}:shuro_ikou:E0000000107"
    assert plain["name"].endswith("従たる就労移行支援事業所conoiro")  # WAM says not which is the main one
    # The smallest NO keeps the plain id, whatever the order of the rows.
    again, _ = offices_from_rows(list(reversed(ikou)))
    assert {o["office_id"]: o["wam_no"] for o in again} == {o["office_id"]: o["wam_no"] for o in offices}
    assert not any(r.reason == "duplicate_office_number" for r in report.rejected)


def test_a_row_repeating_the_same_premises_is_counted_not_served() -> None:
    rows = wam_rows("wam_2022_shuro_teichaku_shien.csv")
    offices, report = offices_from_rows(rows)
    twice = [o for o in offices if o["name"] == "ミラトレ大井町"]
    assert len(twice) == 1 and twice[0]["wam_no"] == "A0000041988"
    repeated = [r for r in report.rejected if r.reason == "duplicate_office_row"]
    assert any("A0000041989" in r.message for r in repeated)
    assert all(r.office_id in {o["office_id"] for o in offices} for r in repeated)  # still seen


def test_rows_that_cannot_be_told_apart_are_counted(ikou: list[dict[str, str]]) -> None:
    first = dict(ikou[0])
    second = dict(first) | {"事業所の名称": "別の名前の事業所", "事業所緯度": "35.7", "事業所経度": "139.7"}
    offices, report = offices_from_rows([first, second])
    assert len(offices) == 1 and report.quarantined == {"duplicate_office_number": 1}
    second["NO（※システム内の固有の番号、連番）"] = "Z9999999999"
    offices, report = offices_from_rows([second, first])
    assert sorted(o["office_id"].count(":") for o in offices) == [1, 2] and not report.quarantined


PLANTED = {
    "coordinates_swapped": ("139.7", "35.6"),
    "coordinates_outside_japan": ("51.5", "-0.12"),
    "coordinates_not_numeric": ("北緯35度", "139.7"),
    "coordinates_incomplete": ("35.6", ""),
}


def test_planted_broken_coordinates_are_quarantined_and_counted(ikou: list[dict[str, str]]) -> None:
    rows = [dict(r) for r in ikou[:40]]
    for row, (lat, lng) in zip(rows, PLANTED.values(), strict=False):
        row[LAT], row[LNG] = lat, lng
    rows[5]["事業所番号"] = ""
    rows[6]["サービス種別"] = "居宅介護"
    offices, report = offices_from_rows(rows)
    expected = {reason: 1 for reason in PLANTED} | {"missing_office_number": 1, "unknown_service_type": 1}
    assert {k: v for k, v in report.quarantined.items() if not k.startswith("duplicate_")} == expected
    assert report.offices == len(offices) == 40 - sum(report.quarantined.values())
    broken = {r.office_id for r in report.rejected if r.reason.startswith("coordinates")}
    assert broken == {office_from_row(ikou[i])["office_id"] for i in range(4)}  # still known as seen


@pytest.mark.parametrize(("lat", "lng"), [("nan", "139"), ("35", "inf"), ("0", "0"), ("35.6", "200")])
def test_other_broken_coordinates_raise_with_a_reason(lat: str, lng: str) -> None:
    with pytest.raises(SupportRowError) as caught:
        coordinates(lat, lng)
    assert caught.value.reason.startswith("coordinates_")


def test_full_width_coordinates_are_read() -> None:
    assert coordinates("３５．６", "１３９．７") == (35.6, 139.7)


def test_service_types_from_labels_and_file_codes() -> None:
    assert service_type_of("就労継続支援A型") == service_type_of("就労継続支援Ａ型") == "shuro_keizoku_a"
    assert service_type_of("自立訓練(機能訓練)") == "jiritsu_kunren_kinou"
    assert service_type_of("居宅介護") is None
    assert service_type_of_file("https://www.wam.go.jp/x/sfkopendata_202503_46.zip") == "shuro_keizoku_b"
    assert service_type_of_file("wam_2022_shuro_ikou_shien.csv") is None


def test_the_file_service_stands_in_for_a_blank_label(ikou: list[dict[str, str]]) -> None:
    row = dict(ikou[0], **{"サービス種別": ""})
    assert office_from_row(row, "shuro_ikou")["service_label"] == "就労移行支援"


def test_a_shift_jis_zip_reads_like_the_utf8_csv() -> None:
    name = "wam_2022_shuro_teichaku_shien.csv"
    text = wam_file(name).read_text(encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sfkopendata_202503_62.csv", text.encode("cp932", errors="replace"))
    [table] = csv_tables(buffer.getvalue(), "sfkopendata_202503_62.zip")
    [plain] = csv_tables(text.encode("utf-8"), name)
    assert table.encoding == "cp932"
    assert len(table.rows) == len(plain.rows) == 1234
    assert offices_from_rows(table.rows)[0][0]["name"] == offices_from_rows(plain.rows)[0][0]["name"]


def test_a_zip_without_csv_is_refused_with_its_members_named() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "no data")
    with pytest.raises(SupportFileError, match=r"holds no CSV file.*readme\.txt"):
        csv_tables(buffer.getvalue(), "x.zip")

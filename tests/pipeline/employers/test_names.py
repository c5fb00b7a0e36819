"""Employer name normalization, composite names, 法人番号, and reading the real registry files."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.employers.names import (
    employer_key,
    employer_key_variants,
    is_undisclosed,
    is_valid_corporate_number,
    legal_forms,
    normalize_corporate_number,
    normalize_employer_name,
    parse_employer_name,
    split_composite_name,
)
from pipeline.employers.records import (
    RegistryConfigError,
    RegistryFileError,
    prefecture_of,
    read_gbizinfo_awards,
    read_inclusive_mentions,
    read_registry_file,
    records_from_rows,
    spec_from_mapping,
)
from tests.pipeline.employers.shared_registries import GBIZINFO_CSV, MENTIONS_CSV

needs_gbiz = pytest.mark.skipif(
    not GBIZINFO_CSV.is_file(), reason=f"gBizINFO flat CSV not found: {GBIZINFO_CSV}",
)
needs_mentions = pytest.mark.skipif(
    not MENTIONS_CSV.is_file(), reason=f"registries_partial CSV not found: {MENTIONS_CSV}",
)


def test_japanese_legal_form_spellings_share_one_key() -> None:
    keys = {
        employer_key(n)
        for n in ("株式会社スーパーナース", "㈱スーパーナース", "(株)スーパーナース", "（株）スーパーナース")
    }
    assert keys == {"スーパーナース"}
    assert parse_employer_name("㈱スーパーナース").display == "株式会社スーパーナース"
    assert legal_forms("(株)スーパーナース") == ("株式会社",)


def test_legal_form_position_is_known() -> None:
    assert parse_employer_name("株式会社サンテック").ja_form_position == "prefix"
    assert parse_employer_name("サンテック株式会社").ja_form_position == "suffix"


def test_medical_corporation_and_facility() -> None:
    parsed = parse_employer_name("医療法人社団 隆靖会 墨田中央病院")
    assert parsed.legal_forms == ("医療法人社団",)
    assert parsed.base == "隆靖会 墨田中央病院"
    assert employer_key_variants("医療法人社団 隆靖会 墨田中央病院") == ("隆靖会墨田中央病院", "隆靖会")
    assert (
        employer_key("医療法人財団綜友会\u3000 新宿ファーストタワークリニック")
        == "綜友会新宿フアーストタワークリニツク"
    )


def test_english_legal_forms_case_and_the() -> None:
    assert employer_key("PaperCut Software Inc.") == employer_key("Papercut Software") == "papercutsoftware"
    assert normalize_employer_name("The Coca-Cola Company") == "coca cola"
    assert normalize_employer_name("ABOUT YOU SE & Co. KG") == "about you"
    assert normalize_employer_name("Sony Co., Ltd.") == "sony"
    assert normalize_employer_name("Careers at Libra Group") == "libra group"
    assert normalize_employer_name("Credera Experienced Hiring Job Board") == "credera"
    assert normalize_employer_name("Nestlé USA") == "nestle usa"
    # a name that is only a legal form keeps it rather than becoming empty
    assert employer_key("Limited") == "limited"


def test_width_spacing_and_punctuation() -> None:
    assert employer_key("ＡＢＣ") == "abc"
    assert employer_key("株式会社　志摩電子工業") == employer_key("株式会社志摩電子工業") == "志摩電子工業"
    assert employer_key("トランスコスモス株式会社") == employer_key("トランス・コスモス株式会社")
    assert employer_key("ＪＦＥエンジニアリング株式会社") == employer_key("JFEエンジニアリング株式会社")
    assert employer_key("株式会社ユニテツク") == employer_key("株式会社ユニテック")


def test_composite_hiring_organization_name() -> None:
    real = "提供元：CME薬剤師, 企業名：CMEコンサルティング（薬剤師専門・転職支援事業部） "
    assert split_composite_name(real) == "CMEコンサルティング（薬剤師専門・転職支援事業部）"
    assert employer_key(real) == "cmeコンサルテイング"
    assert split_composite_name("株式会社スーパーナース") == "株式会社スーパーナース"


def test_undisclosed_names_have_no_key() -> None:
    assert is_undisclosed("事業所の意向により公開していません")
    assert employer_key("事業所の意向により公開していません") == ""
    assert employer_key("Confidential") == ""


@pytest.mark.parametrize("bad", [None, "", "   ", 123, 4.5, float("nan"), True, b"\xff", ["x"], {"a": 1}])
def test_bad_names_never_raise(bad: object) -> None:
    assert isinstance(employer_key(bad), str)
    assert isinstance(normalize_employer_name(bad), str)
    assert isinstance(split_composite_name(bad), str)


def test_corporate_number_zero_padding_and_check_digit() -> None:
    assert normalize_corporate_number(1000020016446) == "1000020016446"
    assert normalize_corporate_number(1000020016446.0) == "1000020016446"
    assert normalize_corporate_number("１０１０００１０３４８１３") == "1010001034813"
    assert normalize_corporate_number("1010-0010-34813") == "1010001034813"
    # a spreadsheet that dropped the leading zero: 12 digits come back as 13
    assert normalize_corporate_number("123456789012") == "0123456789012"
    assert normalize_corporate_number(123456789012) == "0123456789012"
    assert is_valid_corporate_number("1010001034813")  # 株式会社資生堂
    assert not is_valid_corporate_number("2010001034813")
    for bad in (None, "", "abc", "12345678901234", -5, 1.5, "0000000000000", True):
        assert normalize_corporate_number(bad) is None


def test_prefecture_of_addresses_and_locations() -> None:
    assert prefecture_of("東京都港区南青山１丁目") == "東京都"
    assert prefecture_of("名古屋市 栄駅") == "愛知県"
    assert prefecture_of(None) is None
    assert prefecture_of(42) is None


@needs_gbiz
def test_gbizinfo_real_counts_and_company() -> None:
    records, report = read_gbizinfo_awards(GBIZINFO_CSV)
    assert report.rows == 13325
    assert not report.rejected and report.bad_corporate_numbers == 0
    tags = Counter(r["tag"] for r in records)
    assert tags["cert_disability_award"] == 271
    assert tags["cert_eruboshi"] == 3759
    assert tags["cert_kurumin"] == 4565 + 832  # くるみん + プラチナくるみん
    assert report.ignored["地域未来牽引企業"] == 1060
    shiseido = [r for r in records if r["corporate_number"] == "1010001034813"]
    assert {r["employer_name"] for r in shiseido} == {"株式会社資生堂"}
    award = next(r for r in shiseido if r["tag"] == "cert_disability_award")
    assert award["as_of"] == "2009"
    assert award["prefecture"] == "東京都" and award["country"] == "JP"
    assert award["normalized_name"] == "資生堂"
    assert award["evidence"].startswith("gBizINFO 表彰: 障害者雇用優良事業所の大臣表彰")
    assert "法人番号 1010001034813" in award["evidence"]
    assert award["source_url"].endswith("hojinBango=1010001034813")


@needs_mentions
def test_inclusive_mentions_real_tags() -> None:
    records, report = read_inclusive_mentions(MENTIONS_CSV)
    assert report.rows == 76 and report.records == 76
    tags = Counter(r["tag"] for r in records)
    assert tags == {
        "disability_confident": 29,
        "fair_chance_pledge": 21,
        "dei_disability_index": 16,
        "cert_monisu": 10,
    }
    google = next(r for r in records if r["employer_name"] == "Google")
    assert google["country"] == "US" and google["as_of"] == "2016-04-11"
    assert google["evidence"] == "US Fair Chance Business Pledge: founding signatory (2016-04-11, Google)"


def test_generic_reader_from_a_column_mapping(tmp_path) -> None:
    spec = spec_from_mapping(
        "example_monisu",
        {
            "label": "もにす認定",
            "tag": "cert_monisu",
            "country": "JP",
            "columns": {"事業主名": "employer_name", "法人番号": "corporate_number", "所在地": "address"},
        },
    )
    path = tmp_path / "monisu.csv"
    path.write_text(
        "事業主名,法人番号,所在地\n有限会社利通,,\n,123,東京都\nハートフル川内株式会社,1010001034813,鹿児島県薩摩川内市\n",
        encoding="utf-8",
    )
    records, report = read_registry_file(path, spec)
    assert [r["employer_name"] for r in records] == ["有限会社利通", "ハートフル川内株式会社"]
    assert report.rejected and report.rejected[0][0] == 2
    assert records[1]["prefecture"] == "鹿児島県"
    # rows from anywhere (a crawler), not only files
    rows_records, _ = records_from_rows([{"事業主名": "株式会社カン喜"}, "not a row"], spec)  # type: ignore[list-item]
    assert rows_records[0]["normalized_name"] == "カン喜"


def test_generic_reader_xlsx(tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Level"])
    sheet.append(["Tesco PLC", "Leader"])
    path = tmp_path / "dc.xlsx"
    book.save(path)
    spec = spec_from_mapping(
        "dc",
        {
            "tag": "disability_confident",
            "country": "GB",
            "columns": {"Organisation": "employer_name", "Level": "level_or_status"},
        },
    )
    records, _ = read_registry_file(path, spec)
    assert records[0]["normalized_name"] == "tesco" and records[0]["level_or_status"] == "Leader"


def test_bad_registry_configuration_and_files(tmp_path) -> None:
    with pytest.raises(RegistryConfigError, match="employer_name"):
        spec_from_mapping("x", {"tag": "t", "columns": {"Name": "address"}})
    with pytest.raises(RegistryConfigError, match="not a record field"):
        spec_from_mapping("x", {"tag": "t", "columns": {"Name": "nonsense"}})
    with pytest.raises(RegistryConfigError, match="tag"):
        spec_from_mapping("x", {"columns": {"Name": "employer_name"}})
    spec = spec_from_mapping("x", {"tag": "t", "columns": {"Name": "employer_name"}})
    with pytest.raises(RegistryFileError, match="not found"):
        read_registry_file(tmp_path / "missing.csv", spec)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Company\nAcme\n", encoding="utf-8")
    with pytest.raises(RegistryFileError, match="Name"):
        read_registry_file(wrong, spec)

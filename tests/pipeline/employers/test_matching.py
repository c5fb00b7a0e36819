"""Matching employer names to registry records: methods, confidences, hard negatives, bad input."""

from __future__ import annotations

import csv

import pytest

from pipeline.employers.matching import DEFAULT_SIGNAL_CONFIDENCE, RegistryIndex, registry_signals
from pipeline.employers.names import employer_key
from pipeline.employers.records import (
    read_gbizinfo_awards,
    read_inclusive_mentions,
    records_from_rows,
    spec_from_mapping,
)
from tests.conftest import FIXTURES
from tests.pipeline.employers.shared_registries import GBIZINFO_CSV, MENTIONS_CSV

LABELS = FIXTURES / "employers" / "labelled_matches.csv"
pytestmark = pytest.mark.skipif(
    not GBIZINFO_CSV.is_file() or not MENTIONS_CSV.is_file(),
    reason=f"registry files not found: {GBIZINFO_CSV}, {MENTIONS_CSV}",
)


@pytest.fixture(scope="module")
def index() -> RegistryIndex:
    gbiz, _ = read_gbizinfo_awards(GBIZINFO_CSV)
    mentions, _ = read_inclusive_mentions(MENTIONS_CSV)
    return RegistryIndex.from_records(gbiz + mentions)


def tags(matches, threshold: float = DEFAULT_SIGNAL_CONFIDENCE) -> set[str]:
    return {m.record["tag"] for m in matches if m.confidence >= threshold}


def test_corporate_number_is_certain(index: RegistryIndex) -> None:
    matches = index.match("どんな名前でも", corporate_number="1010001034813")
    assert matches and all(m.method == "corporate_number" and m.confidence == 1.0 for m in matches)
    assert {m.record["employer_name"] for m in matches} == {"株式会社資生堂"}
    assert "cert_disability_award" in tags(matches)


def test_corporate_number_in_other_spellings(index: RegistryIndex) -> None:
    # as Excel writes it (a float) and with full-width digits: the same 法人番号
    for written in (1010001034813.0, "１０１０００１０３４８１３", "1010-0010-34813"):
        matches = index.match(None, corporate_number=written)
        assert {m.record["employer_name"] for m in matches} == {"株式会社資生堂"}, written
    # a number that lost its leading digits is padded, fails the check digit, and is counted, not used
    spec = spec_from_mapping(
        "t", {"tag": "cert_monisu", "columns": {"name": "employer_name", "cn": "corporate_number"}}
    )
    records, report = records_from_rows([{"name": "テスト法人", "cn": "123456789012"}], spec)
    assert records[0]["corporate_number"] is None and report.bad_corporate_numbers == 1


def test_exact_name_with_and_without_prefecture(index: RegistryIndex) -> None:
    alone = index.match("トヨタ自動車株式会社")
    assert alone[0].method == "exact_name" and alone[0].confidence == pytest.approx(0.9)
    here = index.match("トヨタ自動車（株）", address="愛知県 豊田市")
    assert here[0].method == "name_address" and here[0].confidence == pytest.approx(0.97)
    elsewhere = index.match("株式会社大林組", address="名古屋市 栄駅")
    assert elsewhere[0].method == "exact_name" and 0.6 <= elsewhere[0].confidence < 0.9


def test_real_page_and_board_names(index: RegistryIndex) -> None:
    assert tags(index.match("株式会社スーパーナース")) >= {"cert_eruboshi"} or index.match(
        "株式会社スーパーナース"
    )
    assert "fair_chance_pledge" in tags(index.match("Dropbox"))
    assert "fair_chance_pledge" in tags(index.match("Careers at Libra Group"))
    assert {"fair_chance_pledge", "dei_disability_index"} <= tags(index.match("The Coca-Cola Company"))
    unilever = index.match("Unilever")
    assert {m.method for m in unilever} == {"exact_name", "name_variant"}  # Unilever USA is a variant


def test_branch_suffix_matches_the_company(index: RegistryIndex) -> None:
    matches = index.match("株式会社ルトラ 大阪オフィス", address="大阪市 中央区")
    assert matches and matches[0].method == "name_variant"
    assert matches[0].record["employer_name"] == "株式会社ルトラ"
    assert matches[0].confidence >= DEFAULT_SIGNAL_CONFIDENCE


@pytest.mark.parametrize(
    ("name", "address", "wrong"),
    [
        ("Collibra", None, "Libra Group"),
        ("Targetbase", None, "Target"),
        ("Skyscanner", None, "Sky"),
        ("Updater", None, "株式会社ＵＰＤＡＴＥＲ"),
        ("Carta", None, "株式会社ＣＡＲＴＡ ＨＯＬＤＩＮＧＳ"),
        ("Teza Technologies", None, "株式会社ＧＡ ｔｅｃｈｎｏｌｏｇｉｅｓ"),
        ("株式会社アテック", "愛知県 名古屋市", "株式会社アテックス"),
        ("株式会社ユニテツク", "大垣市 東大垣駅", "株式会社ユニテックス"),
        ("株式会社三重電子計算センター", "津市 津駅", "株式会社四国電子計算センター"),
        ("株式会社サンテック", "名古屋市 瑞穂運動場西駅", "サンテック株式会社"),
        ("株式会社パートナー", "大阪市 西梅田駅", "社会福祉法人パートナー"),
    ],
)
def test_hard_negatives_raise_no_signal(
    index: RegistryIndex, name: str, address: str | None, wrong: str
) -> None:
    for m in index.match(name, address=address):
        if employer_key(m.record["employer_name"]) == employer_key(wrong):
            assert m.confidence < DEFAULT_SIGNAL_CONFIDENCE, (name, m)


def test_generic_name_needs_the_prefecture(index: RegistryIndex) -> None:
    # 株式会社アクア is the name of several registry companies: alone it must not raise a tag
    alone = index.match("株式会社アクア")
    assert alone and max(m.confidence for m in alone) < DEFAULT_SIGNAL_CONFIDENCE
    assert all("generic or shared name" in m.notes for m in alone)
    pref = next(m.record["prefecture"] for m in alone)
    supported = index.match("株式会社アクア", address=pref)
    assert max(m.confidence for m in supported) >= DEFAULT_SIGNAL_CONFIDENCE
    # a business word alone never matches anything with confidence
    assert not tags(index.match("株式会社サービス"))


def test_other_corporate_number_contradicts_a_name(index: RegistryIndex) -> None:
    matches = index.match("株式会社資生堂", corporate_number="1000020016446")
    assert all(
        m.confidence < DEFAULT_SIGNAL_CONFIDENCE
        for m in matches
        if m.record["employer_name"] == "株式会社資生堂"
    )


@pytest.mark.parametrize("bad", [None, "", "   ", 0, 12345, 3.14, float("nan"), ["a"], {"x": 1}, b"\x00"])
def test_bad_inputs_never_raise(index: RegistryIndex, bad: object) -> None:
    assert index.match(bad) == [] or isinstance(index.match(bad), list)
    assert isinstance(index.match("Dropbox", corporate_number=bad, address=bad, country=bad), list)


def test_match_many_keeps_order_and_checks_lengths(index: RegistryIndex) -> None:
    out = index.match_many(
        ["Dropbox", None, "Dropbox", "株式会社クボタ"], addresses=[None, None, None, "大阪府 堺市"]
    )
    assert [bool(x) for x in out] == [True, False, True, True]
    assert out[3][0].method == "name_address"
    with pytest.raises(ValueError, match="addresses"):
        index.match_many(["a", "b"], addresses=["x"])


def test_registry_signals_carry_the_row_and_the_confidence(index: RegistryIndex) -> None:
    signals = registry_signals(index.match("株式会社資生堂", address="東京都港区"))
    by_tag = {s["tag"]: s for s in signals}
    assert set(by_tag) == {"cert_disability_award", "cert_kurumin", "cert_nadeshiko"}
    award = by_tag["cert_disability_award"]
    assert award["source"] == "registry"
    assert award["evidence"].startswith(
        "gBizINFO 表彰: 障害者雇用優良事業所の大臣表彰－表彰 (2009, 厚生労働省, 株式会社資生堂, 法人番号 1010001034813)"
    )
    assert award["evidence"].endswith("[match: name_address, confidence 0.97]")
    assert registry_signals(index.match("株式会社アクア")) == []
    assert registry_signals([None, "x"]) == []  # type: ignore[list-item]


def test_labelled_sample_precision(index: RegistryIndex) -> None:
    """On the hand-labelled pairs, signals are right at least 95% of the time and find 95% of true pairs."""
    with LABELS.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] in ("0", "1")]
    tp = fp = fn = 0
    for r in rows:
        target = employer_key(r["registry_name"])
        hit = any(
            m.confidence >= DEFAULT_SIGNAL_CONFIDENCE and employer_key(m.record["employer_name"]) == target
            for m in index.match(r["query_name"], address=r["query_location"] or None)
        )
        if r["label"] == "1":
            tp += hit
            fn += not hit
        else:
            fp += hit
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.95

import pytest

from pipeline.places.municipalities import (
    PlaceCodeError,
    check_digit,
    municipality_by_code,
    municipality_for_postcode,
    municipality_in_address,
    normalize_municipality_code,
    normalize_postcode,
)


@pytest.mark.parametrize("text", ["164-0014", "1640014", "〒164-0014", "１６４－００１４", " 164-0014 "])
def test_postcode_forms(text: str) -> None:
    assert normalize_postcode(text) == "1640014"


@pytest.mark.parametrize("text", ["164-001", "16400145", "abc-defg", ""])
def test_malformed_postcode_is_named(text: str) -> None:
    with pytest.raises(PlaceCodeError, match="postcode"):
        normalize_postcode(text)


def test_postcode_to_municipality() -> None:
    nakano = municipality_for_postcode("164-0014")
    assert (nakano.code, nakano.prefecture, nakano.name) == ("13114", "東京都", "中野区")
    assert municipality_for_postcode("060-0000").name == "札幌市中央区"


def test_unknown_postcode_is_named() -> None:
    with pytest.raises(PlaceCodeError, match="'000-0000'"):
        municipality_for_postcode("000-0000")


def test_check_digits() -> None:
    assert check_digit("13114") == "8"
    assert check_digit("01100") == "2"


@pytest.mark.parametrize(
    ("text", "code"),
    [("13114", "13114"), ("131148", "13114"), ("1100", "01100"), ("01101", "01101"), ("22130", "22130")],
)
def test_code_forms(text: str, code: str) -> None:
    assert normalize_municipality_code(text) == code


def test_designated_cities_exist_beside_their_wards() -> None:
    assert municipality_by_code("01100").name == "札幌市"
    assert municipality_by_code("14130").name == "川崎市"
    assert municipality_by_code("22130").name == "浜松市"  # wards renumbered 22138.. in 2024


@pytest.mark.parametrize(
    ("text", "problem"), [("131149", "check digit"), ("99999", "no municipality"), ("13-114", "five digits")]
)
def test_bad_codes_are_named(text: str, problem: str) -> None:
    with pytest.raises(PlaceCodeError, match=problem):
        normalize_municipality_code(text)


def test_municipality_in_address() -> None:
    found = municipality_in_address("北海道札幌市中央区北１２条西１５丁目")
    assert found is not None and found.code == "01101"
    found = municipality_in_address("中野区南台3-1")
    assert found is not None and found.code == "13114"
    assert municipality_in_address("府中市宮町") is None  # 府中市 is in Tokyo and in Hiroshima
    assert municipality_in_address("Tokyo") is None


def test_city_of_ward() -> None:
    from pipeline.places.municipalities import city_of_ward

    assert city_of_ward("01101") == "01100"  # 札幌市中央区 -> 札幌市
    assert city_of_ward("22138") == "22130"  # 浜松市中央区 -> 浜松市 (wards renumbered in 2024)
    assert city_of_ward("13114") is None  # 中野区 is a special ward of Tokyo, not a city's ward
    assert city_of_ward("01100") is None

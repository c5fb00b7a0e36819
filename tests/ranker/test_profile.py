from __future__ import annotations

import json
from pathlib import Path

import pytest

from ippo.commands.demo import SAMPLE_PROFILE
from ranker.profile import ProfileError, load_profile, parse_profile


def test_sample_profile_is_valid() -> None:
    profile = load_profile(SAMPLE_PROFILE)
    assert profile.language == "ja"
    assert "看護師" in profile.desired_titles
    assert profile.constraints.locations[0].region == "東京都"


def test_architecture_example_profile_is_valid() -> None:
    profile = parse_profile({
        "language": "ja", "summary": "free text", "desired_titles": ["一般事務", "data entry"],
        "skills": ["Excel", "タイピング"], "interests": {"R": 2, "I": 4, "A": 3, "S": 1, "E": 1, "C": 6},
        "constraints": {"max_hours_per_week": 20, "remote": "preferred",
                        "locations": [{"country": "JP", "region": "東京都"}], "employment_types": ["PART_TIME"],
                        "min_salary": {"amount": 1100, "currency": "JPY", "unit": "HOUR"}},
        "needs": ["no_experience_ok", "career_gap_ok", "low_social_load"], "avoid": ["night_shift", "sales_quota"],
        "home": {"postal_code": "164-0014"}, "consent": {"sensitive_needs": True},
        "experience": {"years": 3, "level": "entry"},
    })
    assert profile.constraints.max_hours_per_week == 20
    assert profile.experience is not None and profile.experience.level == "entry"
    assert profile.constraints.min_salary.unit == "HOUR"


def test_every_bad_field_is_named_and_no_value_is_echoed() -> None:
    secret = "I have schizophrenia and"
    with pytest.raises(ProfileError) as caught:
        parse_profile({
            "summary": "ok", "interests": {"X": 1}, "needs": ["flying"], "constraints": {"remote": secret},
            "colour": "blue",
        })
    message = str(caught.value)
    for field in ("interests", "needs", "constraints.remote", "colour"):
        assert field in message
    assert secret not in message
    assert "blue" not in message


def test_sensitive_needs_require_consent() -> None:
    with pytest.raises(ProfileError, match=r"disability_employment.*consent.sensitive_needs"):
        parse_profile({"summary": "x", "needs": ["disability_employment"]})
    ok = parse_profile({"summary": "x", "needs": ["disability_employment"], "consent": {"sensitive_needs": True}})
    assert ok.needs == ["disability_employment"]


def test_profile_must_say_what_work_is_wanted() -> None:
    with pytest.raises(ProfileError, match="summary, desired_titles or skills"):
        parse_profile({"needs": ["career_gap_ok"]})


def test_profile_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text('{"summary": "看護師", }', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"me\.json is not valid JSON: .* line 1, column"):
        load_profile(path)


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="does not exist"):
        load_profile(tmp_path / "nope.json")


def test_profile_file_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"summary": "事務"}).encode())
    assert load_profile(path).summary == "事務"


def test_blank_terms_and_non_finite_numbers_are_refused() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({"desired_titles": ["事務", "  "], "skills": ["x" * 201],
                       "interests": {"R": float("nan")}, "constraints": {"max_hours_per_week": float("inf")}})
    message = str(caught.value)
    for where in ("desired_titles.1", "skills.0", "interests", "constraints.max_hours_per_week"):
        assert where in message
    assert "finite" in message


def test_bad_salary_and_place_fields_are_named() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile({"summary": "x", "constraints": {
            "min_salary": {"amount": -5, "currency": "YEN!", "unit": "FORTNIGHT"},
            "locations": [{"country": "JPN"}], "employment_types": ["SOMETIMES"]}, "avoid": ["mondays"]})
    message = str(caught.value)
    for where in ("constraints.min_salary.amount", "constraints.min_salary.currency", "constraints.min_salary.unit",
                  "constraints.locations.0.country", "constraints.employment_types", "avoid"):
        assert where in message

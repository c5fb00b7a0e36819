"""`ippo recommend --json` and the API answer with one result shape: the API's response model
keeps every field ranker.present.page_to_dict writes (hours, occupation, pay, signals with their
evidence), so a field added to one cannot silently go missing from the other."""

from __future__ import annotations

from datetime import datetime

from api.schemas import RecommendationsOut
from ranker.present import page_to_dict
from ranker.profile import parse_profile
from ranker.recommend import recommend
from ranker.serving_index import ServingIndex
from tests.ranker.test_relevance_floor import _row

SIGNAL = {"tag": "short_hours", "evidence": "週20時間", "source": "text"}
REGISTRY = {"tag": "disability_employment", "evidence": "障害者雇用優良事業所", "source": "registry"}


def test_the_api_model_keeps_every_field_of_the_cli_page() -> None:
    row = _row(0, "データ入力", signals=[SIGNAL],
               occupation={"taxonomy": "jobtag", "code": "428", "title": "一般事務", "confidence": 0.9},
               employer={"name": "Employer 0", "normalized_name": "employer 0", "registry_tags": [REGISTRY]})
    page = recommend(ServingIndex.build("t", [row], None), parse_profile({"desired_titles": ["データ入力"]}), k=1,
                     now=datetime(2026, 11, 26))
    cli = page_to_dict(page)
    api = RecommendationsOut.model_validate(cli).model_dump()
    assert set(api) == set(cli)
    assert set(api["results"][0]) == set(cli["results"][0])
    result = api["results"][0]
    assert result["signals"] == [SIGNAL, REGISTRY]
    assert result["hours_per_week"] == {"min": 10.0, "max": 20.0}
    assert result["occupation"]["code"] == "428"

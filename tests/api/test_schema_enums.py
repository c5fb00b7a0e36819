"""The OpenAPI schema states what the API takes and answers: enumerations are enums (from the
project's own lists), unknown fields are refused, the profile's rules are in its schema, and every
error status of every route is documented with the one error body."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.schemas import FEEDBACK_ACTIONS, NOTICE_KINDS, REASON_KINDS
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from pipeline.canonical import EMPLOYMENT_TYPES, REMOTE_MODES
from ranker.profile import AVOIDABLE, EMPLOYER_NEEDS, LISTING_NEEDS
from tests.api.no_model import NoModelEmbedder
from tests.api.served import listing_row, with_key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def openapi(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("schema") / "home"
    write_snapshot([listing_row("u1", "データ入力")], None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())) as client:
        return client.get("/openapi.json").json()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    home = tmp_path / "home"
    write_snapshot([listing_row("u1", "データ入力")], None, home / "serving", version="20261126T000000Z")
    with TestClient(create_app(Settings(home=home, user_key=None), embedder=NoModelEmbedder())) as test_client:
        yield with_key(test_client, home)


def _schema(openapi: dict[str, Any], name: str) -> dict[str, Any]:
    return openapi["components"]["schemas"][name]


def _validator(openapi: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    schema = {**_schema(openapi, name), "components": openapi["components"]}
    text = repr(schema)  # refs point into components/schemas of the same document
    assert "#/components/schemas/" in text or "$ref" not in text
    return jsonschema.Draft202012Validator(schema)


def test_profile_enumerations_come_from_the_vocabulary(openapi: dict[str, Any]) -> None:
    profile = _schema(openapi, "AptitudeProfile")["properties"]
    assert profile["needs"]["items"]["enum"] == list(LISTING_NEEDS + EMPLOYER_NEEDS)
    assert set(profile["avoid"]["items"]["enum"]) == set(AVOIDABLE) | set(LISTING_NEEDS)
    constraints = _schema(openapi, "Constraints")["properties"]
    assert constraints["employment_types"]["items"]["enum"] == list(EMPLOYMENT_TYPES)
    assert constraints["remote"]["enum"] == ["required", "preferred", "any", "avoid"]


def test_output_enumerations(openapi: dict[str, Any]) -> None:
    recommendation = _schema(openapi, "RecommendationOut")["properties"]
    assert recommendation["remote"]["anyOf"][0]["enum"] == list(REMOTE_MODES)
    assert recommendation["employment_types"]["items"]["enum"] == list(EMPLOYMENT_TYPES)
    assert _schema(openapi, "ReasonOut")["properties"]["kind"]["enum"] == list(REASON_KINDS)
    assert _schema(openapi, "NoticeOut")["properties"]["kind"]["enum"] == list(NOTICE_KINDS)
    assert _schema(openapi, "FeedbackIn")["properties"]["action"]["enum"] == list(FEEDBACK_ACTIONS)
    assert _schema(openapi, "Health")["properties"]["status"]["enum"] == ["ok", "no_data"]
    assert _schema(openapi, "ErrorOut")["properties"]["error"]["$ref"].endswith("/ErrorCode")


def test_the_reason_and_notice_kinds_are_those_the_ranker_writes() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "ranker").rglob("*.py"))
    written = set(re.findall(r'"kind": "([a-z_]+)"', sources))
    assert written == set(REASON_KINDS)
    assert set(re.findall(r'Notice\(kind="([a-z_]+)"', sources)) == set(NOTICE_KINDS)
    store = (ROOT / "ranker" / "users" / "store.py").read_text(encoding="utf-8")
    assert all(f'"{action}"' in store for action in FEEDBACK_ACTIONS)


@pytest.mark.parametrize(("profile", "accepted"), [
    ({}, False),
    ({"summary": "   "}, False),
    ({"skills": []}, False),
    ({"summary": "データ入力"}, True),
    ({"skills": ["Excel"]}, True),
    ({"desired_titles": ["清掃"], "needs": ["no_such_need"]}, False),
    ({"desired_titles": ["清掃"], "colour": "blue"}, False),
    ({"desired_titles": ["清掃"], "constraints": {"employment_types": ["SOMETIMES"]}}, False),
    ({"desired_titles": ["清掃"], "constraints": {"employment_types": ["PART_TIME"]}}, True),
    ({"desired_titles": ["清掃"], "experience": {}}, False),
    ({"desired_titles": ["清掃"], "experience": {"years": None}}, False),
    ({"desired_titles": ["清掃"], "experience": {"level": "entry"}}, True),
    ({"desired_titles": ["清掃"], "interests": {"R": 1.0}}, True),
    ({"desired_titles": ["清掃"], "interests": {"Z": 1.0}}, False),
])
def test_the_profile_schema_admits_what_the_api_accepts(openapi: dict[str, Any], client: TestClient,
                                                        profile: dict[str, Any], accepted: bool) -> None:
    in_schema = _validator(openapi, "AptitudeProfile").is_valid(profile)
    answer = client.post("/v1/profiles", json=profile)
    assert (answer.status_code == 201) is accepted, answer.text
    assert in_schema is accepted


def test_input_models_refuse_unknown_fields(client: TestClient) -> None:
    for path, body in [("/v1/feedback", {"profile_id": "p_x", "listing_id": "u1", "action": "saved", "extra": 1}),
                       ("/v1/recommendations", {"summary": "データ入力", "extra": 1}),
                       ("/v1/profiles", {"summary": "データ入力", "constraints": {"extra": 1}})]:
        answer = client.post(path, json=body)
        assert answer.status_code == 422, answer.text
        assert any(problem["field"].endswith("extra") for problem in answer.json()["problems"])


def test_every_operation_documents_its_errors_with_the_error_body(openapi: dict[str, Any]) -> None:
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            errors = {int(code) for code in responses if code[0] in "45"}
            assert 500 in errors, where
            if operation.get("security"):
                assert {401, 403, 429, 503} <= errors, where
            if "requestBody" in operation:
                assert {400, 413, 422} <= errors, where
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert 404 in errors, where
            for code in errors:
                media = responses[str(code)]["content"]["application/json"]
                assert media["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (where, code)
                for example in media.get("examples", {}).values():
                    assert example["value"]["status"] == code
                    assert set(example["value"]) == {"status", "error", "detail", "problems"}
                assert media.get("examples"), (where, code)
    assert "HTTPValidationError" not in openapi["components"]["schemas"]

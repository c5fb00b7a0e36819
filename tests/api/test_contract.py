"""The API keeps its OpenAPI document: schemathesis generates requests from /openapi.json (valid and
invalid ones) and checks every answer with all its default checks: no server error, a status the
document lists, a body and headers of the documented schema, invalid input refused, and no route
answering without its key when the document says it needs one.

Each operation runs a bounded number of examples against the app in process, with a key of every
scope; once more without a key, where the document promises 401. Generated profile ids rarely
name a stored profile, so the routes of one existing profile are covered by the chained tests of
tests/api/test_auth.py and test_profiles_api.py, not here."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.main import create_app
from benchmarks.generated_snapshot import write_snapshot
from ippo.config import Settings
from tests.api.served import bearer, issue_key, listing_row

ALL_SCOPES = "recommend,profiles,counselor,admin"
EXAMPLES = 12
# They run `ippo refresh` and `ippo sources` in new processes; test_admin_refresh_api covers them.
SUBPROCESS_ROUTES = r"^/v1/admin/(refresh|sources)$"
ROWS = [
    listing_row("a1", "データ入力スタッフ",
                signals=[{"tag": "career_gap_ok", "evidence": "ブランクOK", "source": "text"}]),
    listing_row("a2", "一般事務", remote="hybrid", employment_types=["FULL_TIME"],
                salary={"currency": "JPY", "min": 1100, "max": 1300, "unit": "HOUR"}),
    listing_row("a3", "倉庫内ピッキング", status="closed"),
]
PROFILE = {"summary": "事務の仕事を短時間で", "desired_titles": ["データ入力"], "needs": ["career_gap_ok"],
           "constraints": {"max_hours_per_week": 20}}


@dataclass
class Contract:
    app: Any
    home: Path
    key: str


class ServedApp:
    """The ASGI app the schema sends its requests to: the one the fixture serves. The fixture runs
    its lifespan once, so schemathesis's client must not start it again."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan" or self.app is None:
            raise RuntimeError("the contract fixture serves the app and runs its lifespan")
        await self.app(scope, receive, send)


SERVED = ServedApp()


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[Contract]:
    from fastapi.testclient import TestClient

    home = tmp_path_factory.mktemp("contract") / "home"
    vectors = embedder.encode([row["title"] for row in ROWS])
    write_snapshot(ROWS, vectors, home / "serving", version="20261126T000000Z")
    # A rate that never refuses: the examples come faster than any client's.
    app = create_app(Settings(home=home, user_key=None, rate_limit_per_minute=1e6, rate_limit_burst=100_000),
                     embedder=embedder)
    with TestClient(app):
        SERVED.app = app
        yield Contract(app, home, issue_key(home, ALL_SCOPES, org="contract"))
    SERVED.app = None


def _document() -> dict[str, Any]:
    """The OpenAPI document the app serves at /openapi.json (its settings' limits, nothing read from a home)."""
    return create_app(Settings(home=Path(tempfile.gettempdir()) / "ippo-contract-unused", user_key=None)).openapi()


# Loaded at collection from the document; requests go to the app the fixture serves (SERVED). The
# pytest plugin's schemas loaded from a fixture do not run on this pytest.
schema = schemathesis.openapi.from_dict(_document()).exclude(path_regex=SUBPROCESS_ROUTES)
schema.app = SERVED
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   phases=[Phase.explicit, Phase.generate, Phase.shrink],
                   suppress_health_check=list(HealthCheck))


@schema.parametrize()
@BOUNDED
def test_every_operation_keeps_the_documented_contract(case: Case, contract: Contract) -> None:
    unstated = _beyond_parameter_schemas(case) or _require_stated_without_its_constraint(case) \
        or _places_beyond_the_schema(case)
    case.call_and_validate(headers=bearer(contract.key),
                           excluded_checks=[positive_data_acceptance] if unstated else None)


def _require_stated_without_its_constraint(case: Case) -> bool:
    """constraints.require_stated names constraints the profile must set: a rule the profile's
    schema does not state yet (422 naming constraints)."""
    body = case.body if isinstance(case.body, dict) else {}
    constraints = body.get("constraints")
    return isinstance(constraints, dict) and bool(constraints.get("require_stated"))


def _places_beyond_the_schema(case: Case) -> bool:
    """Places are checked against Japan Post's postcode data, which no schema can list: a home's
    postal_code or municipality_code, /v1/support's near (422 naming an unknown one); and
    max_commute_km needs a home in Japan."""
    body = case.body if isinstance(case.body, dict) else {}
    constraints = body.get("constraints")
    commute = isinstance(constraints, dict) and constraints.get("max_commute_km") is not None
    return body.get("home") is not None or commute or (case.query or {}).get("near") is not None


def _beyond_parameter_schemas(case: Case) -> bool:
    """Query parameters whose rules OpenAPI cannot state one parameter at a time: a cursor is opaque
    (a made-up one answers the documented 400, another snapshot's 410), and min_pay goes with
    pay_unit and currency (422 otherwise, as docs/api.md says)."""
    query = case.query or {}
    pay = [name for name in ("min_pay", "pay_unit", "currency") if query.get(name) is not None]
    return bool(query.get("cursor")) or 0 < len(pay) < 3


@schema.include(lambda ctx: bool(ctx.operation.definition.raw.get("security"))).parametrize()
@settings(BOUNDED, max_examples=3)
def test_without_a_key_every_protected_operation_answers_401(case: Case, contract: Contract) -> None:
    response = case.call_and_validate()
    # A request the route takes (its method, valid input) is refused for the missing key alone.
    if case.method.upper() == case.operation.method.upper() and case.meta is not None \
            and case.meta.generation.mode == GenerationMode.POSITIVE:
        assert response.status_code == 401, (case.operation.label, response.status_code)

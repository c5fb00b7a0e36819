"""The API load benchmark's written requests stay valid, and its figures are counted right."""

from __future__ import annotations

from api.schemas import ProfileIn
from benchmarks.api_load import PROFILES, QUERIES, RouteLoad


def test_every_written_profile_is_a_valid_request_body() -> None:
    for profile in PROFILES:
        ProfileIn.model_validate(profile)
    assert all(0 < len(query) <= 500 for query in QUERIES)


def test_route_load_counts_non_2xx_and_percentiles() -> None:
    load = RouteLoad("GET /v1/listings?q=", clients=2, seconds=2.0,
                     latencies_ms=[float(n) for n in range(1, 101)], statuses={200: 97, 429: 2, 503: 1})
    assert load.non_2xx == 3
    assert load.percentile(0.50) == 51.0  # nearest rank: index round(0.5 * 99) = 50
    assert load.percentile(0.99) == 99.0
    assert "50.0 req/s" in load.line()

"""The analysts' queries on a hand-made snapshot: every count known, and "unknown" never dropped."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from ippo.analysis import coverage, pay, signals


def _as_dict(frame: pd.DataFrame, key: str | list[str], value: str) -> dict:
    return {k: v for k, v in zip(frame.set_index(key).index, frame[value], strict=True)}


def test_listings_by_source_splits_closed_by_reason(con: duckdb.DuckDBPyConnection) -> None:
    frame = coverage.listings_by_source(con).set_index("source")
    assert frame.loc["board", ["listings", "open", "closed", "closed_expired"]].tolist() == [4, 3, 1, 1]
    assert frame.loc["other", ["listings", "open", "closed"]].tolist() == [1, 1, 0]


def test_places_count_each_place_once_and_no_place_as_unknown(con: duckdb.DuckDBPyConnection) -> None:
    open_places = _as_dict(coverage.listings_by_place(con), ["country", "region"], "listings")
    assert open_places == {("JP", "東京都"): 2, ("JP", "大阪府"): 2, ("unknown", "unknown"): 1}
    every = _as_dict(coverage.listings_by_place(con, status=None), ["country", "region"], "listings")
    assert every[("JP", "東京都")] == 3


def test_employment_types_and_remote_keep_unknown(con: duckdb.DuckDBPyConnection) -> None:
    assert _as_dict(coverage.listings_by_employment_type(con), "employment_type", "listings") == {
        "PART_TIME": 2, "FULL_TIME": 1, "unknown": 1}
    remote = coverage.remote_share(con)
    board = remote[remote["source"] == "board"].set_index("remote")
    assert board["listings"].to_dict() == {"onsite": 1, "hybrid": 1, "unknown": 1}
    assert board["share"].sum() == pytest.approx(1.0)


def test_open_over_time_follows_the_history(con: duckdb.DuckDBPyConnection) -> None:
    frame = coverage.open_over_time(con)
    board = frame[frame["source"] == "board"]
    assert board["opened"].tolist() == [3, 1, 0]  # day 3 only changed a listing
    assert board["closed"].tolist() == [0, 1, 0]
    assert board["open_total"].tolist() == [3, 3, 3]
    assert set(frame["basis"]) == {"listing_history"}


def test_open_over_time_without_history_says_its_basis(tmp_path) -> None:
    path = tmp_path / "bare.duckdb"
    bare = duckdb.connect(str(path))
    bare.execute("CREATE TABLE listings (source VARCHAR, first_seen TIMESTAMP, last_seen TIMESTAMP, status VARCHAR)")
    bare.execute("INSERT INTO listings VALUES ('s', '2026-11-01 10:00', '2026-11-03 10:00', 'closed'), "
                 "('s', '2026-11-01 11:00', '2026-11-04 10:00', 'open')")
    bare.close()
    frame = coverage.open_over_time(duckdb.connect(str(path), read_only=True))
    assert frame["open_total"].tolist() == [2, 1]
    assert set(frame["basis"]) == {"first_seen/last_seen"}
    with pytest.raises(ValueError, match="unknown period 'year'"):
        coverage.open_over_time(duckdb.connect(str(path), read_only=True), period="year")


def test_crawl_health_reads_runs_and_freshness_from_the_snapshot(con: duckdb.DuckDBPyConnection) -> None:
    health = coverage.crawl_health(con).set_index("source")
    assert health.loc["board", "runs_with_changes"] == 3
    assert health.loc["board", ["new", "changed", "closed_events"]].tolist() == [4, 1, 1]
    assert health.loc["other", "new"] == 1
    assert (health["hours_unseen_at_publish"] >= 0).all()
    runs = coverage.runs_by_source(con)
    assert runs["raw_run"].tolist()[:3] == ["board/run1.jsonl", "board/run2.jsonl", "board/run3.jsonl"]


def test_signal_counts_by_origin_and_share(con: duckdb.DuckDBPyConnection) -> None:
    counts = signals.signal_counts(con).set_index("tag")
    assert counts.loc["no_experience_ok", ["listings", "from_text", "from_structured"]].tolist() == [2, 1, 1]
    assert counts.loc["no_experience_ok", "share"] == pytest.approx(2 / 4)
    assert counts.loc["family_friendly", "from_registry"] == 1  # the employer's registry tag


def test_signals_by_region_share_of_the_region(con: duckdb.DuckDBPyConnection) -> None:
    frame = signals.signals_by(con, by="region").set_index(["region", "tag"])
    assert frame.loc[("東京都", "no_experience_ok"), "listings"] == 2
    assert frame.loc[("大阪府", "no_experience_ok"), "share"] == pytest.approx(1 / 2)
    with pytest.raises(ValueError, match="cannot group signals by 'employer'"):
        signals.signals_by(con, by="employer")


def test_examples_carry_their_evidence(con: duckdb.DuckDBPyConnection) -> None:
    examples = signals.signal_examples(con, per_tag=1)
    assert examples.groupby("tag").size().max() == 1
    gap = examples[examples["tag"] == "career_gap_ok"].iloc[0]
    assert (gap["evidence"], gap["origin"]) == ("ブランクOK", "text")


def test_certified_employers_and_their_listings(con: duckdb.DuckDBPyConnection) -> None:
    employers = signals.certified_employers(con)
    assert employers[["employer", "registry_tags", "listings", "open"]].values.tolist() == [
        ["くるみん商事", "family_friendly", 1, 1]]
    assert employers["evidence"].iloc[0] == "くるみん認定 (2024)"
    assert signals.certified_listings(con)["title"].tolist() == ["a"]


def test_stated_shares_count_unknown(con: duckdb.DuckDBPyConnection) -> None:
    shares = pay.stated_shares(con).set_index("source")
    assert shares.loc["board", ["listings", "pay_stated", "pay_unknown", "hours_stated", "hours_unknown"]].tolist() \
        == [3, 3, 0, 2, 1]
    assert shares.loc["other", ["pay_unknown", "hours_unknown"]].tolist() == [1, 1]


def test_pay_units_show_unstated_pay_as_unknown(con: duckdb.DuckDBPyConnection) -> None:
    units = _as_dict(pay.pay_units(con), ["currency", "unit"], "listings")
    assert units == {("JPY", "HOUR"): 2, ("JPY", "MONTH"): 1, ("unknown", "unknown"): 1}
    assert pay.pay_units(con)["currency"].iloc[-1] == "unknown"  # listed last, never dropped


def test_hourly_pay_in_japan_by_prefecture(con: duckdb.DuckDBPyConnection) -> None:
    frame = pay.pay_by_region(con, "JPY", "HOUR", country="JP").set_index("region")
    tokyo = frame.loc["東京都", ["listings", "stated_in_unit", "stated_otherwise", "pay_unknown"]]
    assert tokyo.tolist() == [2, 2, 0, 0]
    assert frame.loc["東京都", "median"] == pytest.approx((1300 + 1100) / 2)
    assert frame.loc["大阪府", ["stated_in_unit", "stated_otherwise"]].tolist() == [1, 1]
    everywhere = pay.pay_by_region(con, "JPY", "HOUR").set_index(["country", "region"])
    assert everywhere.loc[("unknown", "unknown"), "pay_unknown"] == 1
    amounts = pay.pay_amounts(con, "JPY", "HOUR")
    assert sorted(set(amounts["pay_mid"])) == [1100.0, 1300.0]  # the closed 5000/h listing is not open


def test_hours_bands_keep_unknown(con: duckdb.DuckDBPyConnection) -> None:
    bands = _as_dict(pay.hours_bands(con), ["hours_per_week", "employment_type"], "listings")
    assert bands == {("20-29", "PART_TIME"): 1, ("40 or more", "FULL_TIME"): 1, ("unknown", "PART_TIME"): 1,
                     ("unknown", "unknown"): 1}
    assert pay.hours_amounts(con)["hours_mid"].tolist() == [20.0, 40.0]


def test_an_unknown_status_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="unknown listing status 'live'"):
        pay.pay_units(con, status="live")

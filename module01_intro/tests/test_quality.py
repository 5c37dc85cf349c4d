"""Tests of the data-quality helpers: coverage per group, hourly gaps, planted defects."""

from __future__ import annotations

import pandas as pd
import pytest

from module01_intro import quality
from module01_intro.contract import SCHEMAS, check_table


def test_coverage_by_matches_per_group_isin(tiny_flights: pd.DataFrame) -> None:
    planes = pd.DataFrame({"tailnum": pd.array(["N14228", "N24211"], "string")})
    got = quality.coverage_by(tiny_flights, planes, "tailnum", "carrier")
    found = tiny_flights["tailnum"].isin(["N14228", "N24211"])
    expected = found.groupby(tiny_flights["carrier"], observed=True).mean()
    pd.testing.assert_series_equal(got, expected, check_names=False)
    assert got.name == "coverage"


def test_coverage_by_composite_key(tiny_flights: pd.DataFrame) -> None:
    weather = tiny_flights[["origin", "time_hour"]]
    got = quality.coverage_by(tiny_flights, weather, ["origin", "time_hour"], "carrier")
    assert (got == 1.0).all()


def test_missing_hours_counts_gaps() -> None:
    hours = pd.date_range("2013-01-01", periods=5, freq="h", tz="America/New_York")
    df = pd.DataFrame(
        {"origin": ["EWR"] * 5 + ["JFK"] * 3, "time_hour": [*hours, hours[0], hours[2], hours[2]]}
    )
    got = quality.missing_hours(df)
    assert got.loc["EWR"].tolist() == [5, 5, 0]
    assert got.loc["JFK"].tolist() == [5, 2, 3]  # a repeated hour counts once


def test_missing_hours_across_dst_change() -> None:
    hours = pd.date_range("2013-11-03 00:00", "2013-11-03 03:00", freq="h", tz="America/New_York")
    got = quality.missing_hours(pd.DataFrame({"origin": "EWR", "time_hour": hours}))
    assert got.loc["EWR", "expected"] == 5  # the fall-back hour happens twice
    assert got.loc["EWR", "missing"] == 0


def test_contract_overview_real_tables(raw_tables: dict[str, pd.DataFrame]) -> None:
    got = quality.contract_overview(raw_tables)
    assert list(got.index) == list(raw_tables)
    assert got["ok"].all()
    assert got.loc["weather", "broken"] == "wind_speed: plausible_wind_speed"
    assert got.loc["flights", "rows"] == len(raw_tables["flights"])


def test_inject_defects_each_caught(flights_sample: pd.DataFrame) -> None:
    before = flights_sample.copy()
    bad = quality.inject_defects(flights_sample)
    pd.testing.assert_frame_equal(flights_sample, before)  # the input is not modified
    assert len(bad) == len(flights_sample) + 2
    errors = check_table(bad, "flights").errors
    for _, column, _ in quality.DEFECTS:
        assert errors["column"].str.startswith(column.split("+")[0]).any(), column
    assert len(errors) == len(quality.DEFECTS)


def test_inject_defects_too_few_rows_raises(flights_sample: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="need at least 8 flights"):
        quality.inject_defects(flights_sample.head(5))


def test_contract_rules_flights() -> None:
    got = quality.contract_rules("flights")
    assert list(got.index) == list(SCHEMAS["flights"].columns)
    assert got.loc["arr_delay", "nullable"]
    assert not got.loc["origin", "nullable"]
    assert "in_range(1, 12)" in got.loc["month", "errors"]


def test_contract_rules_separates_warnings() -> None:
    got = quality.contract_rules("weather")
    assert got.loc["wind_speed", "warnings"] == "plausible_wind_speed: less_than_or_equal_to(200)"
    assert got.loc["wind_speed", "errors"] == "greater_than_or_equal_to(0)"


def test_contract_rules_unknown_table_raises() -> None:
    with pytest.raises(ValueError, match="no contract for table 'crew'"):
        quality.contract_rules("crew")

"""Tests of the EDA helpers on the seeded ``tiny_flights`` fixture, checked with numpy."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from module01_intro import eda


def _by_hand(flights: pd.DataFrame, origin: str, late: int) -> dict[str, float]:
    delay = flights.loc[flights["origin"] == origin, "arr_delay"].to_numpy(dtype=float)
    arrived = delay[~np.isnan(delay)]
    return {
        "flights": len(delay),
        "arrived": len(arrived),
        "late_share": np.mean(arrived > late),
        "mean_arr_delay": np.mean(arrived),
        "cancelled_share": np.mean(np.isnan(delay)),
    }


@pytest.mark.parametrize("late", [0, 15, 60], ids=["late>0", "late>15", "late>60"])
def test_late_rate_by_matches_numpy(tiny_flights: pd.DataFrame, late: int) -> None:
    got = eda.late_rate_by(tiny_flights, "origin", late_minutes=late)
    assert list(got.index) == ["EWR", "JFK", "LGA"]
    for origin in got.index:
        expected = _by_hand(tiny_flights, origin, late)
        for col, value in expected.items():
            assert np.isclose(got.loc[origin, col], value), (origin, col)


def test_late_rate_by_counts_every_flight(tiny_flights: pd.DataFrame) -> None:
    got = eda.late_rate_by(tiny_flights, ["origin", "carrier"])
    assert got.index.names == ["origin", "carrier"]
    assert got["flights"].sum() == len(tiny_flights)
    assert got["arrived"].sum() == tiny_flights["arr_delay"].notna().sum() == 37


def test_late_rate_by_cancelled_not_in_late_share() -> None:
    df = pd.DataFrame({"origin": ["EWR", "EWR", "EWR", "JFK"], "arr_delay": [30, None, 0, 5]})
    got = eda.late_rate_by(df, "origin")
    assert got.loc["EWR", "late_share"] == 0.5
    assert np.isclose(got.loc["EWR", "cancelled_share"], 1 / 3)
    assert got.loc["JFK", "late_share"] == 0.0


def test_late_rate_by_missing_column_raises(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="gate"):
        eda.late_rate_by(tiny_flights, "gate")


def test_missing_profile_counts_and_order(tiny_flights: pd.DataFrame) -> None:
    got = eda.missing_profile(tiny_flights)
    assert set(got.index) == set(tiny_flights.columns)
    assert got.loc["arr_delay", "missing"] == 3
    assert np.isclose(got.loc["arr_delay", "missing_share"], 3 / len(tiny_flights))
    assert got["missing"].is_monotonic_decreasing
    assert got.loc["carrier", "dtype"] == "category"


def test_join_coverage_single_key(tiny_flights: pd.DataFrame) -> None:
    planes = pd.DataFrame({"tailnum": pd.array(["N14228", "N24211", "NOTUSED"], "string")})
    expected = np.isin(tiny_flights["tailnum"].to_numpy(dtype=object), ["N14228", "N24211"])
    assert eda.join_coverage(tiny_flights, planes, "tailnum") == pytest.approx(expected.mean())


def test_join_coverage_missing_key_not_found(tiny_flights: pd.DataFrame) -> None:
    flights = tiny_flights.copy()
    flights.loc[:9, "tailnum"] = pd.NA
    planes = pd.DataFrame({"tailnum": tiny_flights["tailnum"].unique()})
    assert eda.join_coverage(flights, planes, "tailnum") == pytest.approx(30 / 40)


def test_join_coverage_renamed_and_composite_keys(tiny_flights: pd.DataFrame) -> None:
    airports = pd.DataFrame({"faa": pd.array(["IAH", "ATL"], "string")})
    expected = tiny_flights["dest"].isin(["IAH", "ATL"]).mean()
    assert eda.join_coverage(tiny_flights, airports, "dest", "faa") == pytest.approx(expected)
    weather = tiny_flights[["origin", "time_hour"]].iloc[::2]  # every other flight's hour
    expected = (
        tiny_flights.set_index(["origin", "time_hour"])
        .index.isin(pd.MultiIndex.from_frame(weather))
        .mean()
    )
    got = eda.join_coverage(tiny_flights, weather, ["origin", "time_hour"])
    assert got == pytest.approx(expected)
    assert 0.5 <= got < 1


def test_join_coverage_key_lengths_must_match(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="key_left has 2 column"):
        eda.join_coverage(tiny_flights, tiny_flights, ["origin", "time_hour"], ["origin"])


def test_join_report_names_every_join(raw_tables: dict[str, pd.DataFrame]) -> None:
    got = eda.join_report(raw_tables)
    assert list(got.index) == list(eda.JOINS)
    assert got["airlines"] == 1.0
    assert 0 < got["planes"] < got["weather"] < 1


def test_summary_headline_facts(tiny_flights: pd.DataFrame) -> None:
    planes = pd.DataFrame({"tailnum": ["N14228"]})
    got = eda.summary({"flights": tiny_flights, "planes": planes})
    delay = tiny_flights["arr_delay"].to_numpy()
    assert got["rows"] == {"flights": 40, "planes": 1}
    assert got["late_share"] == pytest.approx(np.mean(delay[~np.isnan(delay)] > 15))
    assert got["cancelled_share"] == pytest.approx(3 / 40)
    assert got["first_day"] <= got["last_day"]
    assert got["first_day"].startswith("2013-")


@pytest.mark.parametrize("by", ["origin", ["origin", "carrier"]], ids=["one-key", "two-keys"])
def test_plot_late_rate_draws_one_bar_per_group(tiny_flights: pd.DataFrame, by: object) -> None:
    rates = eda.late_rate_by(tiny_flights, by)
    ax = eda.plot_late_rate(rates)
    assert len(ax.patches) == len(rates)
    assert ax.get_legend() is not None


def test_plot_missing_draws_only_missing_columns(tiny_flights: pd.DataFrame) -> None:
    ax = eda.plot_missing(eda.missing_profile(tiny_flights))
    assert len(ax.patches) == int((tiny_flights.isna().sum() > 0).sum())

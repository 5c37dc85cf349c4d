"""A few rows take a shortcut through ``FlightFeatures``; it must give the frame path's values.

The shortcut reads dates and time zones from cached tables (the service's one-flight
requests). These tests draw random batches of real flights of the whole year, mixed with
the awkward ones (first hour of the data, across midnight, daylight-saving days, 24:00,
missing weather, unknown codes), and compare every feature with the frame path's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labs_common.data import load_table
from module04_ml_fundamentals import features as features_module
from module04_ml_fundamentals.edge_cases import edge_schedules
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS, FlightFeatures
from module04_ml_fundamentals.train import write_lookups


@pytest.fixture(scope="module")
def weather() -> pd.DataFrame:
    return load_table("weather")


@pytest.fixture(scope="module")
def year_lookups(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return write_lookups(tmp_path_factory.mktemp("year_lookups"))


@pytest.fixture(scope="module")
def schedules(weather: pd.DataFrame) -> pd.DataFrame:
    """Real flights of the whole year, then the edge cases (the last rows)."""
    real = load_table("flights").sample(3000, random_state=7)[SCHEDULE_COLUMNS]
    return pd.concat([real, edge_schedules(weather)], ignore_index=True)


def _frame_path(fitted: FlightFeatures, X: pd.DataFrame, monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as patch:
        patch.setattr(features_module, "SMALL_INPUT_ROWS", -1)
        return fitted.transform(X)


SETTINGS = [{}, {"decision_hours": 0}, {"decision_hours": 6}, {"weather": "perfect_forecast"},
            {"use_weather": False}]  # fmt: skip


@pytest.mark.parametrize("settings", SETTINGS, ids=lambda s: str(s) or "default")
def test_small_batches_match_the_frame_path(
    year_lookups: dict,
    schedules: pd.DataFrame,
    weather: pd.DataFrame,
    settings: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fitted = FlightFeatures(**year_lookups, **settings).fit(None)
    rng = np.random.default_rng(len(str(settings)))
    edges = np.arange(len(schedules) - len(edge_schedules(weather)), len(schedules))
    batches = [edges[i : i + 8] for i in range(0, len(edges), 8)]  # every edge case
    batches += [rng.choice(len(schedules), rng.integers(1, 65)) for _ in range(40)]
    for rows in batches:
        X = schedules.iloc[rows]
        assert len(X) <= features_module.SMALL_INPUT_ROWS  # the shortcut is what we test
        pd.testing.assert_frame_equal(fitted.transform(X), _frame_path(fitted, X, monkeypatch))


def test_each_edge_case_alone_matches_the_frame_path(
    year_lookups: dict, weather: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    fitted = FlightFeatures(**year_lookups).fit(None)
    edges = edge_schedules(weather)
    for i in range(len(edges)):
        one = edges.iloc[[i]]
        pd.testing.assert_frame_equal(fitted.transform(one), _frame_path(fitted, one, monkeypatch))
    # Both daylight-saving nights are in the cases, and the shifted hours differ from EST.
    at_dst = edges[(edges["month"].isin([3, 11])) & (edges["day"].isin([10, 3]))]
    assert len(at_dst) >= 6


def test_a_date_that_does_not_exist_fails_as_in_the_frame_path(
    year_lookups: dict, weather: pd.DataFrame
) -> None:
    fitted = FlightFeatures(**year_lookups).fit(None)
    one = edge_schedules(weather).head(1).assign(month=2, day=30)
    with pytest.raises(ValueError, match=r"day is out of range|cannot assemble"):
        fitted.transform(one)


def test_inputs_the_tables_do_not_cover_take_the_frame_path(
    year_lookups: dict, weather: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    fitted = FlightFeatures(**year_lookups).fit(None)
    one = edge_schedules(weather).head(2)
    for odd in [one.assign(year=2040), one.assign(sched_dep_time=one["sched_dep_time"] * 1.0)]:
        assert features_module._small_input_days(odd) is None
        pd.testing.assert_frame_equal(fitted.transform(odd), _frame_path(fitted, odd, monkeypatch))


def test_the_decision_time_holds_on_the_shortcut(
    year_lookups: dict, weather: pd.DataFrame, tmp_path: Path
) -> None:
    """Weather after the decision changes no feature of a one-flight request either."""
    flights = load_table("flights").sample(40, random_state=3)[SCHEDULE_COLUMNS]
    decided = features_module.decision_hour_index(flights, 2)
    cut = int(np.median(decided))
    later = features_module.hour_index(weather["time_hour"]) > cut
    scrambled = weather.copy()
    scrambled.loc[later, "temp"] = 1000.0
    scrambled.to_parquet(tmp_path / "weather.parquet")
    honest = FlightFeatures(**year_lookups).fit(None)
    peeking = FlightFeatures(**year_lookups | {"weather_path": str(tmp_path / "weather.parquet")})
    peeking.fit(None)
    changed = [
        not honest.transform(flights.iloc[[i]]).equals(peeking.transform(flights.iloc[[i]]))
        for i in range(len(flights))
    ]
    assert not any(c for c, d in zip(changed, decided, strict=True) if d <= cut)
    assert any(c for c, d in zip(changed, decided, strict=True) if d > cut)  # it can fail

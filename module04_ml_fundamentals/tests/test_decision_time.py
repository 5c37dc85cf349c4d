"""The model respects its own decision time: weather observed later changes no feature.

Why it matters: the alert goes out ``decision_hours`` before the scheduled departure. A
feature that moves when the weather *after* that moment changes is a peek at the future,
and a model that peeks looks better in the notebook than it can ever be in production.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import (
    WEATHER_COLUMNS,
    FlightFeatures,
    decision_hour_index,
    hour_index,
    scheduled_hour_utc,
)

WEATHER_FEATURES = [c for c in FlightFeatures().fit(None).feature_names_ if c in WEATHER_COLUMNS]


def _features(table: pd.DataFrame, flights: pd.DataFrame, folder: Path, **kw) -> pd.DataFrame:
    path = folder / "weather.parquet"
    table.to_parquet(path)
    return FlightFeatures(weather_path=str(path), **kw).fit(None).transform(flights)


@pytest.fixture(scope="module")
def weather(lookups: dict[str, str]) -> pd.DataFrame:
    return pd.read_parquet(lookups["weather_path"])


@pytest.fixture(scope="module")
def flights(winter_flights: pd.DataFrame) -> pd.DataFrame:
    return winter_flights.sample(300, random_state=1).reset_index(drop=True)


def _scramble_after(weather: pd.DataFrame, hour: int, seed: int) -> pd.DataFrame:
    """Replace every observation of an hour after ``hour`` with random values."""
    rng = np.random.default_rng(seed)
    later = hour_index(weather["time_hour"]) > hour
    out = weather.copy()
    for col in WEATHER_COLUMNS:
        out.loc[later, col] = rng.uniform(0, 100, int(later.sum()))
    return out


@pytest.mark.parametrize("decision_hours", [0, 1, 2, 6])
def test_weather_after_the_decision_changes_no_feature(
    weather: pd.DataFrame, flights: pd.DataFrame, tmp_path: Path, decision_hours: int
) -> None:
    decided = decision_hour_index(flights, decision_hours)
    before = _features(weather, flights, tmp_path, decision_hours=decision_hours)
    # Cut the timeline at several hours; flights decided by then must not notice.
    for seed, cut in enumerate(np.quantile(decided[decided >= 0], [0.1, 0.4, 0.7, 0.95])):
        scrambled = _scramble_after(weather, int(cut), seed)
        after = _features(scrambled, flights, tmp_path, decision_hours=decision_hours)
        known = decided <= cut
        assert known.sum() > 10 and (~known).sum() > 10  # both sides of the cut are tried
        pd.testing.assert_frame_equal(before[known], after[known])
        # The test can fail: flights decided after the cut do see the new weather.
        assert not before.loc[~known, WEATHER_FEATURES].equals(after.loc[~known, WEATHER_FEATURES])


def test_the_perfect_forecast_ablation_does_peek(
    weather: pd.DataFrame, flights: pd.DataFrame, tmp_path: Path
) -> None:
    """The upper bound of module 04 reads weather after the decision: the test must see it."""
    cut = int(np.median(decision_hour_index(flights, 2)))
    known = decision_hour_index(flights, 2) <= cut
    args = {"weather": "perfect_forecast"}
    before = _features(weather, flights, tmp_path, **args)
    after = _features(_scramble_after(weather, cut, 0), flights, tmp_path, **args)
    assert not before[known].equals(after[known])


def test_decision_hour_is_before_the_scheduled_hour(flights: pd.DataFrame) -> None:
    scheduled = hour_index(scheduled_hour_utc(flights))
    for hours in (0, 2, 24):
        decided = decision_hour_index(flights, hours)
        ok = scheduled >= 0
        # An observation of hour H is known from H+1:00, so even at 0 hours it is H-1.
        assert (decided[ok] == scheduled[ok] - hours - 1).all()


def test_unknown_weather_mode_is_refused(lookups: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="weather mode must be one of"):
        FlightFeatures(weather_path=lookups["weather_path"], weather="tomorrow").fit(None)

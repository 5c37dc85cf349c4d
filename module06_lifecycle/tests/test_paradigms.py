from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from module06_lifecycle.paradigms import (
    CELLS,
    RateClassifier,
    add_dep_hour,
    build_rate_pipeline,
    daily_late_share,
    late_share_loop,
    late_share_vectorised,
    run_cells,
    time_loop_vs_array,
)


def test_run_cells_order_changes_the_answer() -> None:
    in_order = run_cells(CELLS, [0, 1, 2, 3], delays=[10, 30, 90])
    reordered = run_cells(CELLS, [0, 2, 1, 3], delays=[10, 30, 90])
    assert in_order["share"] == pytest.approx(2 / 3)
    assert reordered["share"] == pytest.approx(1 / 3)
    assert "__builtins__" not in in_order


def test_daily_late_share_counts_per_day(tiny_flights: pd.DataFrame) -> None:
    out = daily_late_share(tiny_flights, late_minutes=15, window=1)
    dates = pd.to_datetime(tiny_flights[["year", "month", "day"]])
    assert out["flights"].sum() == len(tiny_flights)
    assert list(out.index) == sorted(dates.unique())
    first = out.index[0]
    rows = tiny_flights[dates == first].dropna(subset=["arr_delay"])
    expected = (rows["arr_delay"] > 15).mean() if len(rows) else np.nan
    assert out.loc[first, "late_share"] == pytest.approx(expected, nan_ok=True)
    assert out["rolling_late_share"].equals(out["late_share"])


def test_daily_late_share_rolls_and_leaves_input_alone(tiny_flights: pd.DataFrame) -> None:
    before = tiny_flights.copy()
    out = daily_late_share(tiny_flights, window=3)
    pd.testing.assert_frame_equal(tiny_flights, before)
    expected = out["late_share"].rolling(3, center=True, min_periods=1).mean()
    assert np.allclose(out["rolling_late_share"], expected, equal_nan=True)


def test_daily_late_share_rejects_a_zero_window(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="window must be at least 1 day, got 0"):
        daily_late_share(tiny_flights, window=0)


def test_rate_classifier_learns_smoothed_rates() -> None:
    X = pd.DataFrame({"carrier": ["UA", "UA", "UA", "AA"]})
    model = RateClassifier("carrier", smoothing=2).fit(X, [1, 1, 0, 0])
    assert model.prior_ == 0.5
    assert model.rates_["UA"] == pytest.approx((2 + 2 * 0.5) / (3 + 2))
    proba = model.predict_proba(pd.DataFrame({"carrier": ["AA", "ZZ"]}))
    assert proba[:, 1] == pytest.approx([(0 + 1) / (1 + 2), 0.5])
    assert np.allclose(proba.sum(axis=1), 1)


def test_rate_classifier_clones_and_rejects_negative_smoothing() -> None:
    X = pd.DataFrame({"carrier": ["UA", "AA"]})
    fresh = clone(RateClassifier("carrier", smoothing=5))
    assert fresh.get_params() == {"column": "carrier", "smoothing": 5}
    with pytest.raises(ValueError, match="smoothing must be >= 0, got -1"):
        RateClassifier(smoothing=-1).fit(X, [0, 1])


def test_build_rate_pipeline_ranks_flights_by_hour(tiny_flights: pd.DataFrame) -> None:
    arrived = tiny_flights.dropna(subset=["arr_delay"])
    y = (arrived["arr_delay"] > 15).astype(int)
    pipe = build_rate_pipeline("dep_hour", smoothing=0).fit(arrived, y)
    proba = pipe.predict_proba(arrived)[:, 1]
    hours = add_dep_hour(arrived)["dep_hour"]
    expected = y.groupby(hours.to_numpy()).mean().reindex(hours).to_numpy()
    assert np.allclose(proba, expected)
    assert roc_auc_score(y, proba) > 0.5  # it learned something from its own data


def test_late_share_loop_matches_vectorised() -> None:
    delays = np.array([10.0, np.nan, 30.0, 16.0, 15.0])
    assert late_share_loop(list(delays)) == pytest.approx(0.5)
    assert late_share_vectorised(delays) == pytest.approx(0.5)
    assert np.isnan(late_share_loop([np.nan])) and np.isnan(late_share_vectorised([np.nan]))


def test_time_loop_vs_array_times_each_size() -> None:
    delays = np.random.default_rng(0).normal(5, 30, 2000)
    table = time_loop_vs_array(delays, [10, 2000, 5000], repeats=1)
    assert table["flights"].tolist() == [10, 2000, 2000]  # a slice cannot exceed the data
    assert np.allclose(table["speedup"], table["loop_s"] / table["array_s"])

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from module07_experiments import behaviour as bh


class HourModel(ClassifierMixin, BaseEstimator):
    """A 'model' whose score is the scheduled departure hour / 24."""

    def fit(self, X: pd.DataFrame, y: object = None) -> HourModel:
        self.fitted_ = True
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = (X["sched_dep_time"].to_numpy() // 100) / 24
        return np.column_stack([1 - p, p])


class RainModel(HourModel):
    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = np.clip(X["precip"].to_numpy(float), 0, 1)
        return np.column_stack([1 - p, p])


def _refuse(X: pd.DataFrame) -> pd.DataFrame:
    raise AssertionError("the features step must be skipped")


def test_score_change_summarises_mean_tail_and_shares() -> None:
    change = bh.score_change(np.array([0.1, 0.5, 0.5, 0.5]), np.array([0.2, 0.3, 0.5, 0.505]))
    assert change["rows"] == 4
    assert change["mean_change"] == pytest.approx((0.1 - 0.2 + 0.005) / 4)
    assert change["max_abs_change"] == pytest.approx(0.2)
    assert change["share_up"] == 0.25 and change["share_down"] == 0.25  # 0.005 is within 0.01


@pytest.mark.parametrize(
    ("before", "after"),
    [(np.array([0.1]), np.array([0.1, 0.2])), (np.array([]), np.array([]))],
    ids=["unequal", "empty"],
)
def test_score_change_rejects_unequal_or_empty_arrays(before, after) -> None:
    with pytest.raises(ValueError, match="equal, non-empty"):
        bh.score_change(before, after)


def test_shuffle_column_permutes_one_column_only(tiny_flights: pd.DataFrame) -> None:
    out = bh.shuffle_column(tiny_flights, "flight", seed=3)
    assert sorted(out["flight"]) == sorted(tiny_flights["flight"])
    assert not out["flight"].equals(tiny_flights["flight"])
    pd.testing.assert_frame_equal(out.drop(columns="flight"), tiny_flights.drop(columns="flight"))
    assert out["flight"].equals(bh.shuffle_column(tiny_flights, "flight", seed=3)["flight"])


def test_swap_tailnums_picks_a_sibling_and_drops_lonely_planes() -> None:
    planes = pd.DataFrame({"tailnum": ["A1", "A2", "A3", "B1"], "manufacturer": ["X"] * 4,
                           "model": ["m", "m", "m", "solo"]})  # fmt: skip
    flights = pd.DataFrame({"tailnum": pd.array(["A1", "B1", None, "A3", "ZZ"], dtype="string")})
    out = bh.swap_tailnums(flights, planes, seed=0)
    assert list(out.index) == [0, 3]
    assert all(new != old for new, old in zip(out["tailnum"], ["A1", "A3"], strict=True))
    assert set(out["tailnum"]) <= {"A1", "A2", "A3"}


def test_shift_departure_moves_both_clocks_and_drops_the_next_day() -> None:
    s = pd.DataFrame({"sched_dep_time": [830, 2330, 100], "sched_arr_time": [2345, 115, 300]})
    out = bh.shift_departure(s, 1)
    assert out.index.tolist() == [0, 2]
    assert out["sched_dep_time"].tolist() == [930, 200]
    assert out["sched_arr_time"].tolist() == [45, 400]  # arrival may wrap past midnight
    per_row = bh.shift_departure(s, np.array([0, -2, 3]))
    assert per_row["sched_dep_time"].tolist() == [830, 2130, 400]


def test_with_more_precipitation_scales_the_windows_and_fills_gaps() -> None:
    f = pd.DataFrame({"precip": [0.0, np.nan], "precip_3h": [0.1, 0.0], "precip_day": [0.0, 0.0]})
    out = bh.with_more_precipitation(f, 0.1)
    assert out["precip"].tolist() == pytest.approx([0.1, 0.1])
    assert out["precip_3h"].tolist() == pytest.approx([0.4, 0.3])
    assert out["precip_day"].tolist() == pytest.approx([2.4, 2.4])
    with pytest.raises(ValueError, match="must be >= 0, got -1"):
        bh.with_more_precipitation(f, -1)


def test_with_lower_visibility_caps_every_window() -> None:
    f = pd.DataFrame({c: [10.0, 0.5, np.nan] for c in bh.VISIB_COLUMNS})
    out = bh.with_lower_visibility(f, 2)
    for col in bh.VISIB_COLUMNS:
        assert out[col].tolist() == [2.0, 0.5, 2.0]
    with pytest.raises(ValueError, match=r"0\.\.10 miles, got 12"):
        bh.with_lower_visibility(f, 12)


def test_score_features_skips_the_features_step() -> None:
    pipe = Pipeline([("features", FunctionTransformer(_refuse)), ("model", RainModel().fit(None))])
    got = bh.score_features(pipe, pd.DataFrame({"precip": [0.2, 0.7]}))
    assert got.tolist() == pytest.approx([0.2, 0.7])


def test_mean_score_by_departure_hour_follows_the_clock() -> None:
    s = pd.DataFrame({"sched_dep_time": [615, 1340, 2210], "sched_arr_time": [800, 1500, 2330]})
    curve = bh.mean_score_by_departure_hour(HourModel().fit(s), s, [6, 12, 18])
    assert curve.to_dict() == pytest.approx({6: 6 / 24, 12: 12 / 24, 18: 18 / 24})


def test_behaviour_docstring_examples_run() -> None:
    assert doctest.testmod(bh).failed == 0

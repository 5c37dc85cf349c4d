"""Tests of module02_foundations.calibration, checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from module02_foundations import calibration as cal
from module02_foundations.probability import late_labels


@pytest.fixture(scope="module")
def scored(flights: pd.DataFrame) -> dict[str, np.ndarray]:
    """Late labels of a seeded hold-out half and two scores: the naive one and the table."""
    shuffled = flights.sample(frac=1.0, random_state=0)
    train, test = shuffled.iloc[: len(shuffled) // 2], shuffled.iloc[len(shuffled) // 2 :]
    y = late_labels(test)
    hours = test.loc[y.index, "hour"]
    table = cal.fit_rate_table(train)
    return {
        "y": y.to_numpy(dtype=float),
        "naive": cal.naive_hour_score(hours),
        "table": cal.score_with_table(table, hours, default=0.5),
    }


def test_naive_hour_score_maps_day_onto_unit_interval() -> None:
    got = cal.naive_hour_score(np.array([1, 5, 14, 23, 24]))
    assert got.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


@pytest.mark.parametrize("n_bins", [5, 10, 20])
def test_reliability_curve_equals_sklearn(scored: dict[str, np.ndarray], n_bins: int) -> None:
    for name in ("naive", "table"):
        ours = cal.reliability_curve(scored["y"], scored[name], n_bins)
        prob_true, prob_pred = calibration_curve(scored["y"], scored[name], n_bins=n_bins)
        assert np.allclose(ours["prob_true"], prob_true), name
        assert np.allclose(ours["prob_pred"], prob_pred), name
        assert ours["count"].sum() == len(scored["y"])


def test_reliability_curve_rejects_scores_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match="scores must be in"):
        cal.reliability_curve(np.array([0, 1]), np.array([0.5, 1.2]))


def test_rate_table_is_calibrated_and_naive_score_is_not(scored: dict[str, np.ndarray]) -> None:
    ece = {k: cal.expected_calibration_error(cal.reliability_curve(scored["y"], scored[k]))
           for k in ("naive", "table")}  # fmt: skip
    assert ece["table"] < 0.01 < 0.1 < ece["naive"]
    assert cal.brier_score(scored["y"], scored["table"]) < cal.brier_score(
        scored["y"], scored["naive"]
    )


def test_brier_score_equals_sklearn(scored: dict[str, np.ndarray]) -> None:
    for name in ("naive", "table"):
        expected = brier_score_loss(scored["y"], scored[name])
        assert cal.brier_score(scored["y"], scored[name]) == pytest.approx(expected)


def test_fit_rate_table_and_lookup(tiny_flights: pd.DataFrame) -> None:
    table = cal.fit_rate_table(tiny_flights, "origin")
    arrived = tiny_flights.dropna(subset=["arr_delay"])
    expected = arrived["arr_delay"].gt(15).groupby(arrived["origin"], observed=True).mean()
    assert np.allclose(table.sort_index(), expected.sort_index())
    got = cal.score_with_table(table, pd.Series(["EWR", "XXX"]), default=0.25)
    assert got.tolist() == [table["EWR"], 0.25]


def test_plot_reliability_draws_one_line_per_score(scored: dict[str, np.ndarray]) -> None:
    curves = {k: cal.reliability_curve(scored["y"], scored[k]) for k in ("naive", "table")}
    ax = cal.plot_reliability(curves)
    assert len(ax.get_lines()) == 3  # the diagonal and two curves
    assert "ECE" in ax.get_legend().get_texts()[1].get_text()

"""Tests of the cost model: counts, cost per flight, trivial rules and saving."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix

from module05_business import cost
from module05_business.cost import (
    cost_at_threshold,
    cost_curve,
    cost_saving,
    count_outcomes,
    trivial_costs,
)


def test_count_outcomes_matches_sklearn_confusion_matrix(scores):
    thresholds = [0.0, 0.1, 0.2, 0.5, 0.9, 1.0]
    counts = count_outcomes(scores["y"], scores["proba"], thresholds)
    for i, t in enumerate(thresholds):
        pred = (scores["proba"] >= t).astype(int)
        tn, fp, fn, tp = confusion_matrix(scores["y"], pred, labels=[0, 1]).ravel()
        assert (counts["tp"][i], counts["fp"][i], counts["tn"][i], counts["fn"][i]) == (
            tp, fp, tn, fn)  # fmt: skip


def test_count_outcomes_flags_a_probability_equal_to_the_threshold():
    counts = count_outcomes([1, 0], [0.2, 0.2], [0.2])
    assert counts["tp"][0] == 1 and counts["fp"][0] == 1


def test_cost_at_threshold_is_the_weighted_errors_per_flight(scores, costs):
    pred = scores["proba"] >= 0.3
    fn = int(((scores["y"] == 1) & ~pred).sum())
    fp = int(((scores["y"] == 0) & pred).sum())
    expected = (fn * costs.missed_delay + fp * costs.false_alert) / len(scores)
    assert cost_at_threshold(scores["y"], scores["proba"], 0.3, costs) == pytest.approx(expected)


def test_cost_curve_ends_equal_the_trivial_costs(scores, costs):
    trivial = trivial_costs(scores["y"], costs)
    flag_all, flag_none = cost_curve(scores["y"], scores["proba"], [0.0, 1.01], costs)
    assert flag_all == pytest.approx(trivial["flag_all"])
    assert flag_none == pytest.approx(trivial["flag_none"])


def test_trivial_costs_follow_the_late_share(costs):
    y = np.array([1] * 25 + [0] * 75)
    assert trivial_costs(y, costs) == pytest.approx({"flag_none": 1.0, "flag_all": 0.75})


def test_cost_saving_is_relative_to_the_cheaper_trivial_rule():
    assert cost_saving(0.6, {"flag_none": 1.0, "flag_all": 0.8}) == pytest.approx(0.25)
    assert cost_saving(0.9, {"flag_none": 1.0, "flag_all": 0.8}) == pytest.approx(-0.125)


def test_cost_saving_is_none_when_a_trivial_rule_is_free():
    assert cost_saving(0.1, {"flag_none": 0.0, "flag_all": 1.0}) is None


def test_cost_docstring_examples_run():
    assert doctest.testmod(cost).failed == 0

"""Tests of the threshold rules and of the EM estimate of a shifted prior."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from module05_business import threshold
from module05_business.cost import cost_at_threshold, cost_curve
from module05_business.synthetic import make_scores
from module05_business.threshold import (
    GRID,
    adjust_to_prior,
    estimate_prior_em,
    grid_threshold,
    implied_source_prior,
    prior_shift_threshold,
    rule_thresholds,
    theoretic_threshold,
)


def test_grid_threshold_is_the_cheapest_grid_point(scores, costs):
    valid = scores[scores["split"] == "valid"]
    best = grid_threshold(valid["y"], valid["proba"], costs)
    curve = cost_curve(valid["y"], valid["proba"], GRID, costs)
    assert best in GRID
    assert cost_at_threshold(valid["y"], valid["proba"], best, costs) == pytest.approx(curve.min())


def test_adjust_to_prior_is_identity_for_the_same_prior():
    p = np.array([0.01, 0.3, 0.99])
    np.testing.assert_allclose(adjust_to_prior(p, 0.2, 0.2), p)


def test_adjust_to_prior_round_trips():
    p = np.linspace(0.01, 0.99, 50)
    np.testing.assert_allclose(adjust_to_prior(adjust_to_prior(p, 0.1, 0.4), 0.4, 0.1), p)


@pytest.mark.parametrize("prior", [0.0, 1.0, -0.1], ids=["zero", "one", "negative"])
def test_adjust_to_prior_rejects_a_prior_outside_0_1(prior):
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        adjust_to_prior([0.5], prior, 0.3)


@pytest.mark.parametrize("true_prior", [0.1, 0.3, 0.5])
def test_estimate_prior_em_recovers_a_known_prior(true_prior):
    df = make_scores(n_per_split=20_000, priors=(0.2, true_prior), model_prior=0.2, seed=3)
    test = df[df["split"] == "test"]
    estimate = estimate_prior_em(test["proba"], source_prior=0.2)
    assert estimate.converged
    assert estimate.prior == pytest.approx(test["y"].mean(), abs=0.02)


def test_implied_source_prior_finds_the_calibration_prior_not_the_label_share():
    df = make_scores(n_per_split=20_000, priors=(0.12, 0.3), model_prior=0.22, seed=5)
    valid = df[df["split"] == "valid"]
    assert implied_source_prior(valid["y"], valid["proba"]) == pytest.approx(0.22, abs=0.02)


def test_prior_shift_threshold_equals_theoretic_without_shift(costs):
    assert prior_shift_threshold(costs, 0.25, 0.25) == pytest.approx(0.2)


def test_prior_shift_threshold_drops_when_delays_get_more_common(costs):
    assert prior_shift_threshold(costs, 0.15, 0.25) < theoretic_threshold(costs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_theoretic_beats_validation_grid_under_prior_shift(costs, seed):
    # By construction: calibrated for 20% late, validation 12%, test 30%. The grid learns
    # the calm validation months and sets the threshold too high for the busy test months.
    df = make_scores(n_per_split=1000, priors=(0.12, 0.30), model_prior=0.2, seed=seed)
    valid, test = df[df["split"] == "valid"], df[df["split"] == "test"]
    rules = rule_thresholds(valid["y"], valid["proba"], test["proba"], costs)
    cost = {k: cost_at_threshold(test["y"], test["proba"], r["threshold"], costs)
            for k, r in rules.items()}  # fmt: skip
    assert rules["validation_grid"]["threshold"] > rules["theoretic"]["threshold"]
    assert cost["theoretic"] < cost["validation_grid"]
    assert cost["prior_shift"] < cost["validation_grid"]


def test_rule_thresholds_without_shift_all_agree(costs):
    df = make_scores(n_per_split=20_000, priors=(0.2, 0.2), model_prior=0.2, seed=11)
    valid, test = df[df["split"] == "valid"], df[df["split"] == "test"]
    rules = rule_thresholds(valid["y"], valid["proba"], test["proba"], costs)
    assert rules["prior_shift"]["threshold"] == pytest.approx(0.2, abs=0.02)
    assert rules["validation_grid"]["threshold"] == pytest.approx(0.2, abs=0.05)


def test_threshold_docstring_examples_run():
    assert doctest.testmod(threshold).failed == 0

"""Cost and threshold rules at their boundary: a probability equal to the threshold is flagged.

Expected counts and costs are written out by hand for a handful of flights, so a cut
moved from ``>=`` to ``>`` or a cost swapped between the two kinds of mistake shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from labs_common.config import CostParams
from module05_business.cost import cost_at_threshold, count_outcomes, trivial_costs
from module05_business.threshold import (
    adjust_to_prior,
    estimate_prior_em,
    grid_threshold,
    implied_source_prior,
    prior_shift_threshold,
    rule_thresholds,
    theoretic_threshold,
)

COSTS = CostParams(missed_delay=4.0, false_alert=1.0)
#: Two late and two on-time flights, scored around the cut 0.2.
Y = [1, 0, 1, 0]
P = [0.2, 0.2, np.nextafter(0.2, 0), np.nextafter(0.2, 1)]


def test_count_outcomes_flags_a_probability_equal_to_the_threshold() -> None:
    counts = count_outcomes(Y, P, [0.2])
    assert {k: v.tolist() for k, v in counts.items()} == {
        "tp": [1], "fp": [2], "tn": [0], "fn": [1],
    }  # fmt: skip


def test_cost_at_threshold_counts_each_mistake_at_its_own_price() -> None:
    # One missed delay (4) and two false alerts (1 each) over four flights.
    assert cost_at_threshold(Y, P, 0.2, COSTS) == pytest.approx(6 / 4)
    # Just above the cut: both 0.2 flights are no longer flagged -> two misses, one alert.
    assert cost_at_threshold(Y, P, np.nextafter(0.2, 1), COSTS) == pytest.approx(9 / 4)
    swapped = CostParams(missed_delay=1.0, false_alert=4.0)
    assert cost_at_threshold(Y, P, 0.2, swapped) == pytest.approx(9 / 4)


def test_theoretic_threshold_is_false_alert_over_the_sum() -> None:
    assert theoretic_threshold(COSTS) == 0.2
    assert theoretic_threshold(CostParams(missed_delay=1.0, false_alert=3.0)) == 0.75


def test_grid_threshold_picks_the_cheapest_cut_and_the_first_of_ties() -> None:
    y, proba = [0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9]
    assert grid_threshold(y, proba, COSTS, grid=[0.05, 0.35, 0.5, 0.95]) == 0.35
    assert grid_threshold(y, proba, COSTS, grid=[0.5, 0.35]) == 0.5, "ties: first in the grid"


@pytest.mark.parametrize(
    ("target", "direction"),
    [(0.4, "lower"), (0.2, "same"), (0.1, "higher")],
    ids=["more-late-flights", "no-shift", "fewer-late-flights"],
)
def test_prior_shift_threshold_moves_against_the_late_rate(target: float, direction: str) -> None:
    base = theoretic_threshold(COSTS)
    moved = prior_shift_threshold(COSTS, source_prior=0.2, target_prior=target)
    expected = {"lower": moved < base, "same": moved == pytest.approx(base), "higher": moved > base}
    assert expected[direction], (target, moved, base)
    # Flagging at the moved cut on raw scores = flagging at the theoretic cut after correction.
    corrected = adjust_to_prior([moved], 0.2, target)[0]
    assert corrected == pytest.approx(base)


@pytest.mark.parametrize(("source", "target"), [(0.2, 0.4), (0.4, 0.2)], ids=["rise", "fall"])
def test_adjust_to_prior_follows_the_direction_of_the_shift(source: float, target: float) -> None:
    p = np.array([0.1, 0.5, 0.9])
    adjusted = adjust_to_prior(p, source, target)
    assert (adjusted > p).all() if target > source else (adjusted < p).all()
    np.testing.assert_allclose(adjust_to_prior(adjusted, target, source), p)


def test_trivial_costs_with_no_flights_cost_nothing_to_skip() -> None:
    assert trivial_costs([], COSTS) == {"flag_none": 0.0, "flag_all": 1.0}


def test_cost_per_flight_of_a_single_flight_is_its_whole_cost() -> None:
    assert cost_at_threshold([1], [0.1], 0.5, COSTS) == 4.0, "one missed delay, one flight"
    assert cost_at_threshold([0], [0.9], 0.5, COSTS) == 1.0, "one false alert, one flight"


def test_trivial_costs_scale_with_each_unit_cost() -> None:
    costs = CostParams(missed_delay=4.0, false_alert=2.0)
    assert trivial_costs([0, 0, 0, 1], costs) == {"flag_none": 1.0, "flag_all": 1.5}


@pytest.fixture
def shifted_scores() -> tuple[np.ndarray, np.ndarray]:
    """Scores made for a 20% world, labels drawn from a world with odds shifted by +0.7."""
    rng = np.random.default_rng(5)
    logit = rng.normal(-1.4, 1.0, 4000)
    y = (rng.random(4000) < 1 / (1 + np.exp(-(logit + 0.7)))).astype(float)
    return y, 1 / (1 + np.exp(-logit))


def test_implied_source_prior_solves_the_likelihood_equation(
    shifted_scores: tuple[np.ndarray, np.ndarray],
) -> None:
    from scipy.optimize import brentq

    y, proba = shifted_scores
    logit = np.log(proba) - np.log1p(-proba)
    shift = brentq(lambda d: np.sum(y - 1 / (1 + np.exp(-(logit + d)))), -5, 5, xtol=1e-14)
    late = y.mean()
    expected = 1 / (1 + np.exp(-(np.log(late / (1 - late)) - shift)))
    assert implied_source_prior(y, proba) == pytest.approx(expected, rel=1e-9)
    assert 0.5 < shift < 0.9, "the injected shift of +0.7 is found"


def test_implied_source_prior_needs_both_classes() -> None:
    with pytest.raises(ValueError, match=r"the validation late share must be strictly between"):
        implied_source_prior([0, 0, 0], [0.1, 0.2, 0.3])


def test_rule_thresholds_reports_what_each_rule_learned(
    shifted_scores: tuple[np.ndarray, np.ndarray],
) -> None:
    y, proba = shifted_scores
    out = rule_thresholds(y[:2000], proba[:2000], proba[2000:], COSTS)
    assert list(out) == ["theoretic", "validation_grid", "prior_shift"]
    assert out["theoretic"] == {"threshold": 0.2}
    assert out["validation_grid"] == {"threshold": grid_threshold(y[:2000], proba[:2000], COSTS)}
    source = implied_source_prior(y[:2000], proba[:2000])
    estimate = estimate_prior_em(proba[2000:], source)
    assert out["prior_shift"] == {
        "threshold": prior_shift_threshold(COSTS, source, estimate.prior),
        "source_prior": source,
        "estimated_test_prior": estimate.prior,
        "em_iterations": estimate.iterations,
        "em_converged": estimate.converged,
    }
    assert estimate.converged and 1 < estimate.iterations < 1000


def _em_by_hand(proba: np.ndarray, source: float, steps: int) -> float:
    prior = source
    for _ in range(steps):
        prior = float(np.mean(adjust_to_prior(proba, source, prior)))
    return prior


def test_estimate_prior_em_gives_up_after_max_iter_and_says_so(
    shifted_scores: tuple[np.ndarray, np.ndarray],
) -> None:
    _, proba = shifted_scores
    out = estimate_prior_em(proba, 0.2, tol=0.0, max_iter=3)
    assert (out.iterations, out.converged) == (3, False)
    assert out.prior == pytest.approx(_em_by_hand(proba, 0.2, 3), rel=1e-12)


def test_estimate_prior_em_counts_the_iterations_to_convergence(
    shifted_scores: tuple[np.ndarray, np.ndarray],
) -> None:
    _, proba = shifted_scores
    out = estimate_prior_em(proba, 0.2, tol=1e-6)
    assert out.converged
    # It stopped at the first iteration whose update moved less than tol, not earlier.
    before, at = (
        _em_by_hand(proba, 0.2, out.iterations - 1),
        _em_by_hand(proba, 0.2, out.iterations),
    )
    assert abs(at - before) < 1e-6 <= abs(before - _em_by_hand(proba, 0.2, out.iterations - 2))
    assert out.prior == pytest.approx(at, rel=1e-12)


def test_estimate_prior_em_needs_probabilities() -> None:
    with pytest.raises(ValueError, match="needs at least one probability, got none"):
        estimate_prior_em([], 0.2)


@pytest.mark.parametrize(
    ("source", "target", "match"),
    [(0.0, 0.3, "source_prior must be strictly between 0 and 1, got 0.0"),
     (0.3, 1.0, "target_prior must be strictly between 0 and 1, got 1.0")],
    ids=["source", "target"],
)  # fmt: skip
def test_adjust_to_prior_names_the_bad_prior(source: float, target: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        adjust_to_prior([0.5], source, target)


def test_adjust_to_prior_keeps_certain_scores_finite() -> None:
    """Scores of exactly 0 or 1 are clipped before the log-odds, so nothing becomes NaN."""
    adjusted = adjust_to_prior([0.0, 1.0], 0.2, 0.5)
    assert np.isfinite(adjusted).all() and (adjusted >= 0).all() and (adjusted <= 1).all()
    from module05_business.threshold import _log_odds

    assert np.isfinite(_log_odds([0.0, 1.0])).all()

"""Decision thresholds: three rules to turn a probability of delay into a flag.

Why it matters: the threshold, not the model, decides what the business pays. This file
holds the three rules the DVC stage ``evaluate`` compares (``cost.threshold_rule`` picks):

- ``theoretic``: flag when ``p >= c_fa / (c_fa + c_md)``. With calibrated probabilities this
  is the cheapest decision for each flight, and it needs no data at all.
- ``validation_grid``: the threshold of a grid that costs least on the validation months.
  It looks "data-driven", but it learns the validation months' share of late flights: when
  that share changes (September-October are calm, November-December are not), it is wrong.
- ``prior_shift``: estimate the test months' share of late flights from the unlabelled test
  scores (EM, Saerens et al. 2002), correct the probabilities for it, then apply the
  theoretic threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from module05_business.cost import Costs, cost_curve

ArrayLike = npt.ArrayLike

RULES = ("theoretic", "validation_grid", "prior_shift")
#: Candidate thresholds of the grid search: 0.01, 0.02, ..., 0.99.
GRID = np.round(np.arange(1, 100) / 100, 2)
_EPS = 1e-12


@dataclass(frozen=True)
class PriorEstimate:
    """The result of the EM prior estimation."""

    prior: float
    iterations: int
    converged: bool


def theoretic_threshold(costs: Costs) -> float:
    """Return the cost-optimal threshold for calibrated probabilities: ``c_fa / (c_fa + c_md)``.

    Why it matters: flagging a flight with probability ``p`` costs ``(1 - p) * c_fa`` in
    expectation, not flagging it costs ``p * c_md``; flag when the first is smaller. With a
    missed delay 4 times as costly as a false alert, flag from ``p = 0.2``.

    Example:
        >>> from labs_common.config import CostParams
        >>> theoretic_threshold(CostParams(missed_delay=4, false_alert=1))
        0.2
    """
    return costs.false_alert / (costs.false_alert + costs.missed_delay)


def grid_threshold(y: ArrayLike, proba: ArrayLike, costs: Costs, grid: ArrayLike = GRID) -> float:
    """Return the grid threshold with the lowest cost on ``(y, proba)`` (the lowest on ties).

    Why it matters: this is what "tune the threshold on validation" does. It is optimal for
    the data it saw, and only for data with the same share of late flights.
    """
    grid = np.asarray(grid, dtype=float)
    return float(grid[int(np.argmin(cost_curve(y, proba, grid, costs)))])


def _log_odds(p: ArrayLike) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=float), _EPS, 1 - _EPS)
    return np.log(p) - np.log1p(-p)


def _check_prior(name: str, prior: float) -> None:
    if not 0 < prior < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {prior}")


def adjust_to_prior(proba: ArrayLike, source_prior: float, target_prior: float) -> np.ndarray:
    """Re-weight probabilities made for ``source_prior`` to a world with ``target_prior``.

    Why it matters: Bayes' rule says the posterior odds are the prior odds times the
    likelihood ratio. If only the share of late flights changes (and a late flight still
    looks like a late flight), multiply every flight's odds by
    ``odds(target_prior) / odds(source_prior)``; nothing else needs retraining.

    Example:
        >>> adjust_to_prior([0.5], 0.2, 0.2).tolist()
        [0.5]
        >>> round(float(adjust_to_prior([0.5], 0.2, 0.5)[0]), 3)
        0.8
    """
    _check_prior("source_prior", source_prior)
    _check_prior("target_prior", target_prior)
    shift = _log_odds(target_prior) - _log_odds(source_prior)
    return 1.0 / (1.0 + np.exp(-(_log_odds(proba) + shift)))


def estimate_prior_em(
    proba: ArrayLike, source_prior: float, tol: float = 1e-8, max_iter: int = 1000
) -> PriorEstimate:
    """Estimate the share of positives in unlabelled data (Saerens, Latinne, Decaestecker 2002).

    Why it matters: labels arrive late (a flight's delay is known only after it lands), but
    the scores are there at once. If the model's probabilities are calibrated for
    ``source_prior``, EM alternates two steps until they agree:

    1. E-step: correct every probability from ``source_prior`` to the current guess.
    2. M-step: the new guess is the mean of the corrected probabilities.

    The one assumption is *label shift*: only the share of late flights changed, a late
    flight still looks like a late flight. When the features shift too (December's
    weather), the model's scores already move, EM reads that move as extra late flights
    and over-estimates; the weaker the model, the stronger the over-shoot.

    Args:
        proba: the model's probabilities on the new, unlabelled data.
        source_prior: the share of positives the probabilities are calibrated for.
        tol: stop when the guess moves less than this.
        max_iter: give up after this many iterations (``converged`` is then False).

    Returns:
        The estimated prior, the iterations used, and whether it converged.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.size == 0:
        raise ValueError("estimate_prior_em needs at least one probability, got none")
    prior = source_prior
    for iteration in range(1, max_iter + 1):
        new = float(np.mean(adjust_to_prior(proba, source_prior, prior)))
        new = min(max(new, 1e-6), 1 - 1e-6)
        if abs(new - prior) < tol:
            return PriorEstimate(new, iteration, True)
        prior = new
    return PriorEstimate(prior, max_iter, False)


def implied_source_prior(y: ArrayLike, proba: ArrayLike, iterations: int = 50) -> float:
    """Return the prior the probabilities are calibrated for, measured on labelled data.

    Why it matters: EM needs to know which base rate the model's probabilities assume. The
    training months' late share is one guess; it is wrong if the model was calibrated
    elsewhere. Measure it instead: find the odds shift ``d`` that makes
    ``sigmoid(logit(p) + d)`` fit the validation labels best (maximum likelihood, Newton's
    method); the probabilities then assume the prior whose log-odds is
    ``logit(validation late share) - d``. A model calibrated on the validation months gives
    ``d = 0`` and the validation late share itself.
    """
    y = np.asarray(y, dtype=float)
    logit = _log_odds(proba)
    shift = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(logit + shift)))
        step = np.sum(y - p) / max(float(np.sum(p * (1 - p))), _EPS)
        shift += step
        if abs(step) < 1e-10:
            break
    late_share = float(np.mean(y))
    _check_prior("the validation late share", late_share)
    return float(1.0 / (1.0 + np.exp(-(_log_odds(late_share) - shift))))


def prior_shift_threshold(costs: Costs, source_prior: float, target_prior: float) -> float:
    """Return the threshold on raw probabilities equal to the theoretic one after correction.

    Why it matters: ``adjust_to_prior`` is increasing, so "corrected p >= t" is the same
    decision as "raw p >= the corrected-back t". One number on the raw scale keeps every rule
    comparable (and the serving code unchanged: it still compares ``proba`` to a threshold).
    """
    return float(adjust_to_prior([theoretic_threshold(costs)], target_prior, source_prior)[0])


def rule_thresholds(
    y_valid: ArrayLike, p_valid: ArrayLike, p_test: ArrayLike, costs: Costs
) -> dict[str, dict[str, float | int | bool]]:
    """Compute the threshold of every rule in ``RULES``, with what each rule learned.

    Why it matters: the rules see the same data a deployed system would: validation labels,
    and test *scores* without test labels. None of them peeks at the test outcomes.

    Returns:
        ``{rule: {"threshold": ..., ...details}}`` in the order of ``RULES``.
    """
    source = implied_source_prior(y_valid, p_valid)
    estimate = estimate_prior_em(p_test, source)
    return {
        "theoretic": {"threshold": theoretic_threshold(costs)},
        "validation_grid": {"threshold": grid_threshold(y_valid, p_valid, costs)},
        "prior_shift": {
            "threshold": prior_shift_threshold(costs, source, estimate.prior),
            "source_prior": source,
            "estimated_test_prior": estimate.prior,
            "em_iterations": estimate.iterations,
            "em_converged": estimate.converged,
        },
    }

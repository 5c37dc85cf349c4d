"""Checks of module 05's exercises; ``labs check 5`` runs them against ``starter.py``.

Expectations are computed with the module's own package (``cost``, ``threshold``,
``slices``) or the formula, never typed in, on synthetic scores and costs drawn at random
for each run, so an answer that returns what it saw last time does not pass.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from labs_common.config import CostParams
from labs_common.exercises import Checks, check_rng, current_seed
from module05_business import cost, slices, threshold
from module05_business.synthetic import make_scores

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


@lru_cache(maxsize=2)
def _scores(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 55])
    return make_scores(n_per_split=int(rng.integers(1000, 3000)), seed=int(rng.integers(1e6)),
                       separation=float(rng.uniform(1.0, 2.0)))  # fmt: skip


def _test() -> pd.DataFrame:
    """The test split of synthetic scores drawn for this run."""
    df = _scores(current_seed())
    return df[df["split"] == "test"].reset_index(drop=True)


@CHECKS.exercise(
    forbidden=("module05_business.cost.cost_at_threshold", "module05_business.cost.count_outcomes")
)
def check_cost_per_flight(fn: Callable[..., object]) -> None:
    """two kinds of mistakes, each with its own price; boolean arrays combine with & and ~; the
    result is per flight
    """
    got = fn(np.array([1, 0]), np.array([False, True]), 4.0, 1.0)
    assert np.isclose(got, 2.5), (
        f"y=[1, 0], flagged=[False, True], costs 4 and 1: expected 2.5, got {got}"
    )
    got = fn(np.array([1, 1, 0, 0]), np.array([False, False, False, False]), 4.0, 1.0)
    assert not np.isclose(got, 0.5), (
        "a missed delay costs missed_delay (4), a false alert false_alert (1)"
    )
    assert not np.isclose(got, 8.0), "return the cost per flight: divide the total by len(y)"
    assert np.isclose(got, 2.0), f"two missed delays out of four flights: expected 2.0, got {got}"
    rng, test = check_rng(), _test()
    missed, false = float(rng.uniform(2, 10)), float(rng.uniform(0.5, 2))
    costs = CostParams(missed_delay=missed, false_alert=false)
    for t in rng.uniform(0.05, 0.5, 2):
        expected = cost.cost_at_threshold(test["y"], test["proba"], t, costs)
        got = fn(test["y"].to_numpy(), (test["proba"] >= t).to_numpy(), missed, false)
        assert np.isclose(got, expected), (
            f"threshold {t:.3f}, costs {missed:.2f} and {false:.2f}: expected {expected:.4f}, "
            f"got {got}"
        )


@CHECKS.exercise
def check_recall_at_flag_budget(fn: Callable[..., object]) -> None:
    """np.argsort sorts ascending; the budget fixes how many flights you flag; recall divides by
    every late flight, flagged or not
    """
    y, proba = np.array([1, 0, 1, 1]), np.array([0.9, 0.8, 0.1, 0.2])
    got = fn(y, proba, 0.5)
    assert not np.isclose(got, 0.5), (
        "got 0.5, the precision of the 2 flagged flights: divide by all late flights (3), "
        "not by the flagged ones"
    )
    assert np.isclose(got, 1 / 3), (
        f"y={y.tolist()}, proba={proba.tolist()}, budget 0.5: flag the 2 highest (0.9, 0.8); "
        f"they catch 1 of the 3 late flights -> 0.333, got {got}"
    )
    test = _test()
    for budget in check_rng().uniform(0.05, 0.4, 2):
        k = int(budget * len(test))
        cut = np.sort(test["proba"].to_numpy())[::-1][k - 1]
        expected = cost.count_outcomes(test["y"], test["proba"], [cut])["tp"][0] / test["y"].sum()
        got = fn(test["y"].to_numpy(), test["proba"].to_numpy(), budget)
        assert np.isclose(got, expected), f"budget {budget:.3f}: expected {expected:.4f}, got {got}"


@CHECKS.exercise(forbidden=("module05_business.threshold.theoretic_threshold",))
def check_theoretic_threshold(fn: Callable[..., object]) -> None:
    """write the expected cost of each decision as a function of p and solve the equation for p; a
    costlier missed delay must lower the threshold
    """
    rng = check_rng()
    for missed, false in ((4.0, 1.0), (1.0, 1.0), *rng.uniform(0.5, 10, (3, 2)).tolist()):
        expected = threshold.theoretic_threshold(CostParams(missed_delay=missed, false_alert=false))
        got = fn(missed, false)
        assert not np.isclose(got, 1 - expected) or np.isclose(expected, 0.5), (
            f"costs {missed:.3f} and {false:.3f}: got {got}, the complement of the answer; a "
            "costly "
            "missed delay should make you flag *more*, so the threshold goes down"
        )
        assert np.isclose(got, expected), (
            f"costs {missed:.3f} and {false:.3f}: expected {expected}, got {got}"
        )


@CHECKS.exercise(forbidden=("module05_business.threshold.adjust_to_prior",))
def check_correct_for_prior(fn: Callable[..., object]) -> None:
    """work in odds, p / (1 - p): the correction multiplies them; mind which prior is on top;
    convert back at the end
    """
    p = np.array([0.05, 0.2, 0.5, 0.9])
    got = np.asarray(fn(p, 0.3, 0.3), dtype=float)
    assert np.allclose(got, p), "with the same prior before and after, nothing should change"
    expected = threshold.adjust_to_prior(p, 0.15, 0.25)
    got = np.asarray(fn(p, 0.15, 0.25), dtype=float)
    assert not np.allclose(got, threshold.adjust_to_prior(p, 0.25, 0.15)), (
        "the ratio is odds(target_prior) / odds(source_prior), not the other way round"
    )
    assert np.allclose(got, expected), (
        f"15% -> 25%: expected {expected.round(4)}, got {got.round(4)}"
    )
    rng = check_rng()
    p = rng.uniform(0.01, 0.99, int(rng.integers(5, 20)))
    source, target = rng.uniform(0.05, 0.5, 2)
    odds = p / (1 - p) * (target / (1 - target)) / (source / (1 - source))
    got = np.asarray(fn(p, source, target), dtype=float)
    assert np.allclose(got, odds / (1 + odds)), (
        f"{source:.1%} -> {target:.1%} on random probabilities: expected "
        f"{(odds / (1 + odds)).round(4)}, got {got.round(4)}"
    )


@CHECKS.exercise
def check_net_yearly_value(fn: Callable[..., object]) -> None:
    """follow the units: a share of cost units per flight, times flights, times dollars per unit,
    then subtract the dollars it costs to run
    """
    got = fn(0.1, 0.75, 100_000, 50.0, 0.0)
    assert np.isclose(got, 375_000.0), (
        f"saving 10% of 0.75 units per flight on 100,000 flights at $50 a unit: expected "
        f"375,000, got {got}"
    )
    got = fn(0.1, 0.75, 100_000, 50.0, 400_000.0)
    assert np.isclose(got, -25_000.0), (
        f"same, minus $400,000 of running cost: expected -25,000 (the model loses money), got {got}"
    )
    rng = check_rng()
    saving, trivial, unit = rng.uniform(0.01, 0.3), rng.uniform(0.2, 1.5), rng.uniform(10, 100)
    flights, running = int(rng.integers(10_000, 500_000)), float(rng.uniform(0, 500_000))
    expected = saving * trivial * flights * unit - running
    got = fn(saving, trivial, flights, unit, running)
    assert np.isclose(got, expected), (
        f"saving {saving:.3f} of {trivial:.3f} units on {flights:,} flights at ${unit:.2f}, "
        f"minus ${running:,.0f}: expected {expected:,.2f}, got {got}"
    )


@CHECKS.exercise(
    forbidden=("module05_business.slices.rates_by_group", "module05_business.slices.max_slice_gap")
)
def check_recall_gap(fn: Callable[..., object]) -> None:
    """a recall per group, only for groups with at least one late flight (else it is 0/0), then the
    spread between the best and the worst
    """
    y = np.array([1, 1, 0, 1, 1, 0, 0])
    flagged = np.array([True, True, True, True, False, False, True])
    groups = np.array(["a", "a", "a", "b", "b", "b", "c"])
    got = fn(y, flagged, groups)
    assert np.isfinite(got), "skip groups without late flights (group c): their recall is undefined"
    assert np.isclose(got, 0.5), f"recall a = 1.0, b = 0.5: expected 0.5, got {got}"
    rng, test = check_rng(), _test()
    cut = float(rng.uniform(0.1, 0.4))
    rates = slices.rates_by_group(test, "carrier", cut)["recall"].dropna()
    expected = rates.max() - rates.min()
    got = fn(test["y"].to_numpy(), (test["proba"] >= cut).to_numpy(), test["carrier"].to_numpy())
    assert np.isclose(got, expected), f"by carrier at {cut:.3f}: expected {expected:.4f}, got {got}"
    groups = rng.choice(["a", "b", "c", "d"], 60)
    y = (rng.random(60) < 0.6) & (groups != "d")  # group d has no late flight
    flagged = rng.random(60) < 0.5
    recalls = [flagged[y & (groups == g)].mean() for g in "abc"]
    got = fn(y.astype(int), flagged, groups)
    assert np.isclose(got, max(recalls) - min(recalls)), (
        f"random groups (d without late flights): recalls {np.round(recalls, 3).tolist()}, "
        f"expected {max(recalls) - min(recalls):.4f}, got {got}"
    )

"""Checks of module 05's exercises; ``labs check 5`` runs them against ``starter.py``.

Expectations are computed with the module's own package (``cost``, ``threshold``,
``slices``) on seeded synthetic scores, never typed in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from labs_common.config import CostParams
from labs_common.exercises import Exercise
from module05_business import cost, slices, threshold
from module05_business.synthetic import make_scores


@lru_cache(maxsize=1)
def _scores() -> pd.DataFrame:
    return make_scores(n_per_split=2000, seed=5)


def _test() -> pd.DataFrame:
    df = _scores()
    return df[df["split"] == "test"].reset_index(drop=True)


def check_cost_per_flight(fn: Callable[..., object]) -> None:
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
    test, costs = _test(), CostParams(missed_delay=3, false_alert=1)
    for t in (0.1, 0.3):
        expected = cost.cost_at_threshold(test["y"], test["proba"], t, costs)
        got = fn(test["y"].to_numpy(), (test["proba"] >= t).to_numpy(), 3.0, 1.0)
        assert np.isclose(got, expected), f"threshold {t}: expected {expected:.4f}, got {got}"


def check_recall_at_flag_budget(fn: Callable[..., object]) -> None:
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
    for budget in (0.1, 0.3):
        k = int(budget * len(test))
        cut = np.sort(test["proba"].to_numpy())[::-1][k - 1]
        expected = cost.count_outcomes(test["y"], test["proba"], [cut])["tp"][0] / test["y"].sum()
        got = fn(test["y"].to_numpy(), test["proba"].to_numpy(), budget)
        assert np.isclose(got, expected), f"budget {budget}: expected {expected:.4f}, got {got}"


def check_theoretic_threshold(fn: Callable[..., object]) -> None:
    for missed, false in ((4.0, 1.0), (10.0, 2.0), (1.0, 1.0)):
        expected = threshold.theoretic_threshold(CostParams(missed_delay=missed, false_alert=false))
        got = fn(missed, false)
        assert not np.isclose(got, 1 - expected) or np.isclose(expected, 0.5), (
            f"costs {missed} and {false}: got {got}, the complement of the answer; a costly "
            "missed delay should make you flag *more*, so the threshold goes down"
        )
        assert np.isclose(got, expected), (
            f"costs {missed} and {false}: expected {expected}, got {got}"
        )


def check_correct_for_prior(fn: Callable[..., object]) -> None:
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


def check_net_yearly_value(fn: Callable[..., object]) -> None:
    got = fn(0.1, 0.75, 100_000, 50.0, 0.0)
    assert np.isclose(got, 375_000.0), (
        f"saving 10% of 0.75 units per flight on 100,000 flights at $50 a unit: expected "
        f"375,000, got {got}"
    )
    got = fn(0.1, 0.75, 100_000, 50.0, 400_000.0)
    assert np.isclose(got, -25_000.0), (
        f"same, minus $400,000 of running cost: expected -25,000 (the model loses money), got {got}"
    )


def check_recall_gap(fn: Callable[..., object]) -> None:
    y = np.array([1, 1, 0, 1, 1, 0, 0])
    flagged = np.array([True, True, True, True, False, False, True])
    groups = np.array(["a", "a", "a", "b", "b", "b", "c"])
    got = fn(y, flagged, groups)
    assert np.isfinite(got), "skip groups without late flights (group c): their recall is undefined"
    assert np.isclose(got, 0.5), f"recall a = 1.0, b = 0.5: expected 0.5, got {got}"
    test = _test()
    rates = slices.rates_by_group(test, "carrier", 0.2)["recall"].dropna()
    expected = rates.max() - rates.min()
    got = fn(test["y"].to_numpy(), (test["proba"] >= 0.2).to_numpy(), test["carrier"].to_numpy())
    assert np.isclose(got, expected), f"by carrier at 0.2: expected {expected:.4f}, got {got}"


CHECKS = [
    Exercise("cost_per_flight", check_cost_per_flight,
             "(missed * missed_delay + false * false_alert) / len(y), with missed = y & ~flagged"),
    Exercise("recall_at_flag_budget", check_recall_at_flag_budget,
             "k = int(budget * len(y)); top k of np.argsort(-proba); their y summed / y.sum()"),
    Exercise("theoretic_threshold", check_theoretic_threshold,
             "(1 - p) * false_alert = p * missed_delay gives p = false / (false + missed)"),
    Exercise("correct_for_prior", check_correct_for_prior,
             "odds = p / (1 - p) * (t / (1 - t)) / (s / (1 - s)); return odds / (1 + odds)"),
    Exercise("net_yearly_value", check_net_yearly_value,
             "cost_saving * best_trivial_cost * flights_per_year * unit_cost - running_cost"),
    Exercise("recall_gap", check_recall_gap,
             "for each group g with a late flight: (flagged & y & in_g).sum() / (y & in_g).sum()"),
]  # fmt: skip

"""The exercise checks of module 05: solutions pass, untouched starters fail, and typical
wrong answers are caught with a helpful message."""

from __future__ import annotations

import numpy as np
import pytest

from labs_common.exercises import run_checks
from module05_business.exercises import checks, solutions


def test_solutions_all_pass() -> None:
    results = run_checks(5, "solutions")
    assert len(results) == len(checks.CHECKS) == 6
    assert [r.name for r in results if not r.passed] == []


def test_untouched_starters_all_todo() -> None:
    assert {r.status for r in run_checks(5, "starter")} == {"todo"}


def _inverted_ratio(p, source, target):
    return solutions.correct_for_prior(p, target, source)


def _precision_at_budget(y, proba, budget):
    return float(np.mean(y[np.argsort(-proba)[: int(budget * len(y))]]))


def _gap_with_nan_groups(y, flagged, groups):
    y, flagged = np.asarray(y, bool), np.asarray(flagged, bool)
    with np.errstate(invalid="ignore", divide="ignore"):  # group c has no late flight
        recalls = [np.sum(flagged & y & (groups == g)) / np.sum(y & (groups == g))
                   for g in np.unique(groups)]  # fmt: skip
    return float(np.max(recalls) - np.min(recalls))


@pytest.mark.parametrize(
    ("name", "wrong", "match"),
    [
        ("cost_per_flight", lambda y, f, m, fa: solutions.cost_per_flight(y, f, fa, m),
         "a missed delay costs missed_delay"),
        ("cost_per_flight", lambda y, f, m, fa: len(y) * solutions.cost_per_flight(y, f, m, fa),
         "expected 2.5"),
        ("recall_at_flag_budget", _precision_at_budget, "divide by all late flights"),
        ("theoretic_threshold", lambda m, f: m / (m + f), "complement"),
        ("correct_for_prior", _inverted_ratio, "not the other way round"),
        ("net_yearly_value", lambda s, b, n, u, r: s * b * n * u, "running cost"),
        ("recall_gap", _gap_with_nan_groups, "skip groups without late flights"),
    ],
    ids=["swapped-costs", "total-not-mean", "precision", "complement", "inverted-ratio",
         "no-running-cost", "nan-group"],
)  # fmt: skip
def test_checks_reject_typical_mistakes(name, wrong, match) -> None:
    check = checks.CHECKS.named(name).check
    with pytest.raises(AssertionError, match=match):
        check(wrong)

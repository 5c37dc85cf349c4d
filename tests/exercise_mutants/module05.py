"""Wrong answers to module 05's exercises, each a small change of the reference answer."""

from __future__ import annotations

import numpy as np

from module05_business.exercises import solutions
from module05_business.tests.test_exercises import (
    _gap_with_nan_groups,
    _inverted_ratio,
    _precision_at_budget,
)


def _cost(y, flagged, missed_delay, false_alert, *, flagged_late_costs=False):
    y, flagged = np.asarray(y, dtype=bool), np.asarray(flagged, dtype=bool)
    missed = np.sum(y & ~flagged) + (np.sum(y & flagged) if flagged_late_costs else 0)
    false = np.sum(~y & flagged)
    return float((missed * missed_delay + false * false_alert) / len(y))


def _recall(y, proba, budget, *, lowest=False, ceil_k=False):
    y, proba = np.asarray(y), np.asarray(proba)
    k = int(np.ceil(budget * len(y))) + (1 if ceil_k else 0)
    top = np.argsort(proba if lowest else -proba, kind="stable")[:k]
    return float(y[top].sum() / y.sum())


def _prior(p, source, target, *, on_p=False, no_back=False):
    p = np.asarray(p, dtype=float)
    ratio = (target / (1 - target)) / (source / (1 - source))
    if on_p:
        return np.clip(p * ratio, 0, 1)
    odds = p / (1 - p) * ratio
    return odds if no_back else odds / (1 + odds)


def _gap(y, flagged, groups, *, zero_for_empty=False, precision=False):
    y, flagged, groups = np.asarray(y, bool), np.asarray(flagged, bool), np.asarray(groups)
    values = []
    for g in np.unique(groups):
        in_g = groups == g
        base = (flagged & in_g) if precision else (y & in_g)
        if not base.any():
            if zero_for_empty:
                values.append(0.0)
            continue
        values.append(np.sum(flagged & y & in_g) / np.sum(base))
    return float(max(values) - min(values))


MUTANTS = {
    "cost_per_flight": {
        "costs swapped": lambda y, f, m, fa: solutions.cost_per_flight(y, f, fa, m),
        "total, not per flight": lambda y, f, m, fa: (
            len(y) * solutions.cost_per_flight(y, f, m, fa)
        ),
        "caught delays cost too": lambda y, f, m, fa: _cost(y, f, m, fa, flagged_late_costs=True),
    },
    "recall_at_flag_budget": {
        "precision of the flagged": _precision_at_budget,
        "lowest scores flagged": lambda y, p, b: _recall(y, p, b, lowest=True),
        "one flight too many": lambda y, p, b: _recall(y, p, b, ceil_k=True),
    },
    "theoretic_threshold": {
        "the complement": lambda m, f: m / (m + f),
        "a cost ratio": lambda m, f: f / m,
        "ignores the false alert cost": lambda m, f: 1 / (1 + m),
    },
    "correct_for_prior": {
        "ratio upside down": _inverted_ratio,
        "ratio applied to p": lambda p, s, t: _prior(p, s, t, on_p=True),
        "odds returned": lambda p, s, t: _prior(p, s, t, no_back=True),
    },
    "net_yearly_value": {
        "running cost left out": lambda s, b, n, u, r: s * b * n * u,
        "running cost in cost units": lambda s, b, n, u, r: (s * b * n - r) * u,
        "unit cost left out": lambda s, b, n, u, r: s * b * n - r,
    },
    "recall_gap": {
        "groups without a late flight give NaN": _gap_with_nan_groups,
        "groups without a late flight count as 0": lambda y, f, g: _gap(
            y, f, g, zero_for_empty=True
        ),
        "precision gap": lambda y, f, g: _gap(y, f, g, precision=True),
    },
}

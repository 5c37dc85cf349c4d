"""Reference answers of module 05's exercises (look only after trying)."""

from __future__ import annotations

import numpy as np


def cost_per_flight(
    y: np.ndarray, flagged: np.ndarray, missed_delay: float, false_alert: float
) -> float:
    """Return the average cost per flight of a set of decisions."""
    y, flagged = np.asarray(y, dtype=bool), np.asarray(flagged, dtype=bool)
    missed = np.sum(y & ~flagged)
    false = np.sum(~y & flagged)
    return float((missed * missed_delay + false * false_alert) / len(y))


def recall_at_flag_budget(y: np.ndarray, proba: np.ndarray, budget: float) -> float:
    """Return the share of late flights caught when only the top ``budget`` share is flagged."""
    y, proba = np.asarray(y), np.asarray(proba)
    k = int(budget * len(y))
    top = np.argsort(-proba, kind="stable")[:k]
    return float(y[top].sum() / y.sum())


def theoretic_threshold(missed_delay: float, false_alert: float) -> float:
    """Return the probability above which flagging a flight is cheaper than not flagging it."""
    return false_alert / (false_alert + missed_delay)


def correct_for_prior(proba: np.ndarray, source_prior: float, target_prior: float) -> np.ndarray:
    """Return probabilities made for a ``source_prior`` world, corrected to ``target_prior``."""
    proba = np.asarray(proba, dtype=float)
    ratio = (target_prior / (1 - target_prior)) / (source_prior / (1 - source_prior))
    odds = proba / (1 - proba) * ratio
    return odds / (1 + odds)


def net_yearly_value(
    cost_saving: float, best_trivial_cost: float, flights_per_year: int, unit_cost: float,
    running_cost: float,
) -> float:  # fmt: skip
    """Return what the model is worth per year, after paying for running it."""
    return cost_saving * best_trivial_cost * flights_per_year * unit_cost - running_cost


def recall_gap(y: np.ndarray, flagged: np.ndarray, groups: np.ndarray) -> float:
    """Return the largest difference in recall between two groups (equal opportunity gap)."""
    y, flagged, groups = np.asarray(y, bool), np.asarray(flagged, bool), np.asarray(groups)
    recalls = [
        np.sum(flagged & y & (groups == g)) / np.sum(y & (groups == g))
        for g in np.unique(groups)
        if np.any(y & (groups == g))
    ]
    return float(max(recalls) - min(recalls))

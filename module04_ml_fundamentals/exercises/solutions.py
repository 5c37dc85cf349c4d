"""Reference answers to module 04's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

from math import ceil, floor, log

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score


def brier_skill_score(y: np.ndarray, proba: np.ndarray) -> float:
    """``1 - Brier(proba) / Brier(base rate)``."""
    y = np.asarray(y, dtype=float)
    brier = np.mean((np.asarray(proba) - y) ** 2)
    reference = np.mean((y.mean() - y) ** 2)
    return float(1 - brier / reference)


def median_baseline_mae(train_delay: np.ndarray, valid_delay: np.ndarray) -> float:
    """MAE on the validation flights of the training median."""
    return float(np.mean(np.abs(np.asarray(valid_delay) - np.median(train_delay))))


def cyclical_hour(hours: np.ndarray) -> np.ndarray:
    """``sin`` and ``cos`` of the hour on a 24-hour circle."""
    angle = 2 * np.pi * np.asarray(hours, dtype=float) / 24
    return np.column_stack([np.sin(angle), np.cos(angle)])


def smoothed_target_mean(
    fit_keys: pd.Series, fit_y: np.ndarray, apply_keys: pd.Series, smoothing: float = 20.0
) -> np.ndarray:
    """Late share per key, pulled toward the overall share by ``smoothing`` pseudo-rows."""
    y = pd.Series(np.asarray(fit_y, dtype=float))
    prior = y.mean()
    stats = y.groupby(np.asarray(fit_keys, dtype=object)).agg(["sum", "count"])
    rate = (stats["sum"] + smoothing * prior) / (stats["count"] + smoothing)
    return pd.Series(np.asarray(apply_keys, dtype=object)).map(rate).fillna(prior).to_numpy(float)


def suspicious_features(X: pd.DataFrame, y: np.ndarray, max_auc: float = 0.8) -> list[str]:
    """Numeric columns whose single-column ROC AUC (either direction) exceeds ``max_auc``."""
    scores = {}
    for col in X.select_dtypes("number").columns:
        auc = roc_auc_score(y, X[col].fillna(X[col].median()))
        scores[col] = max(auc, 1 - auc)
    return [col for col, auc in sorted(scores.items(), key=lambda kv: -kv[1]) if auc > max_auc]


def monthly_folds(months: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train on every earlier month, validate on one month, for the last ``n_splits``."""
    months = np.asarray(months)
    distinct = np.unique(months)
    if not 1 <= n_splits < len(distinct):
        raise ValueError(f"n_splits must be in 1..{len(distinct) - 1}, got {n_splits}")
    return [(np.flatnonzero(months < m), np.flatnonzero(months == m)) for m in distinct[-n_splits:]]


def halving_schedule(
    n_candidates: int, factor: int, min_resources: int, max_resources: int
) -> list[tuple[int, int]]:
    """The rounds of successive halving, as scikit-learn plans them."""
    required = 1 + floor(log(n_candidates, factor))
    possible = 1 + floor(log(max_resources // min_resources, factor))
    rounds, candidates = [], n_candidates
    for i in range(min(required, possible)):
        rounds.append((candidates, min(min_resources * factor**i, max_resources)))
        candidates = ceil(candidates / factor)
    return rounds


def worst_month_auc(y: np.ndarray, proba: np.ndarray, months: np.ndarray) -> tuple[int, float]:
    """The month with the lowest ROC AUC."""
    y, proba, months = np.asarray(y), np.asarray(proba), np.asarray(months)
    aucs = {int(m): float(roc_auc_score(y[months == m], proba[months == m]))
            for m in np.unique(months)}  # fmt: skip
    month = min(aucs, key=aucs.get)
    return month, aucs[month]


def calibration_gap(y: np.ndarray, proba: np.ndarray) -> float:
    """Mean probability minus the observed rate."""
    return float(np.mean(proba) - np.mean(y))

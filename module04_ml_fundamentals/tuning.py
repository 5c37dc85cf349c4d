"""Hyper-parameter search with temporal cross-validation: grid, random, successive halving.

Why it matters: a search spends compute to find settings the model cannot learn by
itself. Two questions decide whether it was worth it. Did the folds it was scored on look
like the future (train on earlier months, validate on a later one)? And did the best
candidate beat a sensible default by more than the noise between months? This file
builds month-based folds, runs the three search strategies of scikit-learn on the same
folds, and reports what each one cost and what it found.
"""

from __future__ import annotations

import time
from math import ceil, floor, log

import numpy as np
import pandas as pd
from scipy.stats import loguniform, randint
from sklearn.base import BaseEstimator, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401 - still experimental
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import (
    GridSearchCV,
    HalvingRandomSearchCV,
    KFold,
    RandomizedSearchCV,
    TimeSeriesSplit,
    cross_val_score,
)

from module04_ml_fundamentals.features import CATEGORICAL_FEATURES

Folds = list[tuple[np.ndarray, np.ndarray]]

#: The grid: 2 x 2 x 2 = 8 candidates.
HGB_GRID = {"learning_rate": [0.05, 0.2], "max_leaf_nodes": [7, 31], "min_samples_leaf": [50, 500]}
#: The same ranges as distributions, for random search and successive halving.
HGB_SPACE = {
    "learning_rate": loguniform(0.02, 0.4),
    "max_leaf_nodes": randint(4, 64),
    "min_samples_leaf": randint(20, 1000),
    "l2_regularization": loguniform(1e-3, 10),
}


def booster(seed: int = 0, max_iter: int = 50) -> HistGradientBoostingClassifier:
    """Gradient boosting on encoded features (``build_encoder("hgb")`` output), untuned."""
    return HistGradientBoostingClassifier(
        max_iter=max_iter, early_stopping=False, categorical_features=CATEGORICAL_FEATURES,
        random_state=seed)  # fmt: skip


def monthly_folds(months: np.ndarray, n_splits: int) -> Folds:
    """Expanding-window folds by calendar month: train on all earlier months, validate on one.

    The last ``n_splits`` months are the validation months, in order. A month is never
    cut in two, unlike ``TimeSeriesSplit``, which cuts by row count.

    Example:
        >>> months = np.array([1, 1, 2, 3, 3])
        >>> [(months[t].tolist(), months[v].tolist()) for t, v in monthly_folds(months, 2)]
        [([1, 1], [2]), ([1, 1, 2], [3, 3])]
    """
    months = np.asarray(months)
    order = np.unique(months)
    if not 1 <= n_splits < len(order):
        raise ValueError(
            f"n_splits must be in 1..{len(order) - 1} for {len(order)} months, got {n_splits}"
        )
    return [(np.flatnonzero(months < m), np.flatnonzero(months == m)) for m in order[-n_splits:]]


def cv_schemes(months: np.ndarray, n_splits: int = 3, seed: int = 0) -> dict[str, Folds]:
    """Three ways to cut rows sorted by time into folds: shuffled, by row count, by month."""
    rows = np.arange(len(months))
    return {
        "shuffled K-fold": list(KFold(n_splits, shuffle=True, random_state=seed).split(rows)),
        "TimeSeriesSplit (by rows)": list(TimeSeriesSplit(n_splits).split(rows)),
        "monthly folds": monthly_folds(months, n_splits),
    }


def fold_months(folds: Folds, months: np.ndarray) -> pd.DataFrame:
    """Share of each month's rows used for training (+1) or validation (-1), fold by fold.

    A picture of a CV scheme: one row per fold, one column per month (for a heat map).
    """
    months = np.asarray(months)
    per_month = pd.Series(months).value_counts().sort_index()
    rows = []
    for train, valid in folds:
        role = pd.Series(0.0, index=per_month.index)
        role = role.add(pd.Series(months[train]).value_counts(), fill_value=0)
        role = role.sub(pd.Series(months[valid]).value_counts(), fill_value=0)
        rows.append(role / per_month)
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(folds) + 1, name="fold"))


def cv_estimates(
    estimator: BaseEstimator, X: pd.DataFrame, y: np.ndarray, schemes: dict[str, Folds]
) -> pd.DataFrame:
    """ROC AUC of one estimator under each CV scheme: mean and spread over the folds."""
    rows = {}
    for name, folds in schemes.items():
        scores = cross_val_score(clone(estimator), X, y, cv=folds, scoring="roc_auc")
        rows[name] = {"mean_roc_auc": scores.mean(), "std": scores.std(), "folds": len(folds)}
    return pd.DataFrame(rows).T


def make_searches(
    estimator: BaseEstimator, folds: Folds, seed: int = 0, n_random: int = 8, n_halving: int = 27
) -> dict[str, BaseEstimator]:
    """Grid search over :data:`HGB_GRID`, random and halving searches over :data:`HGB_SPACE`.

    Successive halving tries ``n_halving`` candidates on a third of the rows, keeps the
    best third, triples their rows, and so on (``factor=3``).
    """
    common = {"scoring": "roc_auc", "cv": folds, "refit": True}
    return {
        "grid": GridSearchCV(estimator, HGB_GRID, **common),
        "random": RandomizedSearchCV(estimator, HGB_SPACE, n_iter=n_random, random_state=seed,
                                     **common),
        "successive halving": HalvingRandomSearchCV(
            estimator, HGB_SPACE, n_candidates=n_halving, factor=3, min_resources="exhaust",
            random_state=seed, **common),
    }  # fmt: skip


def run_searches(
    searches: dict[str, BaseEstimator],
    X: pd.DataFrame,
    y: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
) -> pd.DataFrame:
    """Run each search; report its cost (fits, seconds) and what it found (CV and valid AUC).

    ``fit_s`` adds up the time of every fit the search made (the compute you pay for);
    ``wall_s`` includes the final refit of the winner on all training rows.
    """
    rows = {}
    for name, search in searches.items():
        start = time.perf_counter()
        search.fit(X, y)
        res = search.cv_results_
        rows[name] = {
            "candidates": len(res["params"]),
            "fits": len(res["params"]) * search.n_splits_,
            "fit_s": float(np.sum(res["mean_fit_time"]) * search.n_splits_),
            "wall_s": time.perf_counter() - start,
            "best_cv_roc_auc": search.best_score_,
            "valid_roc_auc": roc_auc_score(y_valid, search.predict_proba(X_valid)[:, 1]),
        }
    return pd.DataFrame(rows).T


def search_trace(search: BaseEstimator) -> pd.DataFrame:
    """Each candidate in the order it was fitted: its round, rows, cumulative cost, score.

    ``rows`` is -1 when the search gave every candidate all the rows (grid, random);
    ``all_rows`` marks the candidates scored on all of them (successive halving's last round).
    """
    res = search.cv_results_
    n = len(res["params"])
    cost = np.asarray(res["mean_fit_time"]) * search.n_splits_
    trace = pd.DataFrame({
        "round": res.get("iter", np.zeros(n, int)),
        "rows": res.get("n_resources", np.full(n, -1)),
        "cumulative_fit_s": np.cumsum(cost),
        "cv_roc_auc": res["mean_test_score"],
    })  # fmt: skip
    return trace.assign(best_so_far=trace["cv_roc_auc"].cummax(),
                        all_rows=trace["rows"].isin([-1, trace["rows"].max()]))  # fmt: skip


def halving_schedule(
    n_candidates: int, factor: int, min_resources: int, max_resources: int
) -> list[tuple[int, int]]:
    """``(candidates, resources)`` of each round of successive halving, as scikit-learn runs it.

    Example:
        >>> halving_schedule(27, 3, 100, 10_000)
        [(27, 100), (9, 300), (3, 900), (1, 2700)]
    """
    required = 1 + floor(log(n_candidates, factor))
    possible = 1 + floor(log(max_resources // min_resources, factor))
    rounds, candidates = [], n_candidates
    for i in range(min(required, possible)):
        rounds.append((candidates, min(int(factor**i * min_resources), max_resources)))
        candidates = ceil(candidates / factor)
    return rounds

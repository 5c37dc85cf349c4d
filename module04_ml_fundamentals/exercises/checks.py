"""Checks of module 04's exercises; ``labs check 4`` runs them against ``starter.py``.

Expectations are computed with scikit-learn, NumPy or the module's own package
(``encoding``, ``leakage``, ``tuning``), never typed in. The data are seeded synthetic
arrays shaped like the flights, so the checks need no pipeline output and run in seconds.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import HalvingGridSearchCV, KFold

from labs_common.exercises import Exercise
from module04_ml_fundamentals import encoding, leakage, tuning


def _scores(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, probabilities with some signal, and months 1-6 (months differ in quality)."""
    rng = np.random.default_rng(seed)
    months = rng.integers(1, 7, n)
    y = (rng.random(n) < 0.2 + 0.02 * months).astype(int)
    signal = y * (0.3 + 0.1 * (months % 3)) + rng.normal(0, 0.5, n)
    return y, 1 / (1 + np.exp(-(signal - 1.2))), months


def check_brier_skill_score(fn: Callable[..., object]) -> None:
    y, proba, _ = _scores()
    base = np.full(len(y), y.mean())
    expected = 1 - brier_score_loss(y, proba) / brier_score_loss(y, base)
    got = fn(y, proba)
    assert np.isclose(got, expected), f"expected {expected:.4f}, got {got}"
    assert np.isclose(fn(y, base), 0.0), "always predicting the base rate must score 0"
    assert np.isclose(fn(y, y.astype(float)), 1.0), "perfect probabilities must score 1"


def check_median_baseline_mae(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(1)
    train, valid = rng.exponential(20, 500) - 15, rng.exponential(30, 300) - 10
    expected = float(np.abs(valid - np.median(train)).mean())
    got = fn(train, valid)
    assert not np.isclose(got, np.abs(valid - np.median(valid)).mean()), (
        "you used the validation median: the baseline may only know the training months"
    )
    assert np.isclose(got, expected), f"expected {expected:.4f}, got {got}"


def check_cyclical_hour(fn: Callable[..., object]) -> None:
    hours = np.array([0.0, 6.0, 12.5, 23.5, 24.0])
    got = np.asarray(fn(hours))
    assert got.shape == (5, 2), f"expected shape (5, 2), got {got.shape}"
    expected = encoding.cyclical(hours, 24)
    assert np.allclose(got, expected), f"expected sin, cos columns {expected.round(3).tolist()}"
    assert np.allclose(got[0], got[4]), "hour 0 and hour 24 must be the same point"


def check_smoothed_target_mean(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(2)
    keys = pd.Series(rng.choice(["N1", "N2", "N3", "N4"], 400, p=[0.6, 0.3, 0.09, 0.01]))
    y = (rng.random(400) < keys.map({"N1": 0.1, "N2": 0.3, "N3": 0.5, "N4": 0.9})).astype(int)
    apply = pd.Series(["N1", "N3", "N4", "NEW"])
    for smoothing in (0.0, 20.0):
        expected = encoding.smoothed_target_mean(keys, y.to_numpy(), apply, smoothing)
        got = np.asarray(fn(keys, y.to_numpy(), apply, smoothing), dtype=float)
        assert np.allclose(got, expected), (
            f"smoothing={smoothing}: expected {expected.round(4).tolist()}, got {got.round(4)}"
        )
    assert np.isclose(got[-1], y.mean()), "an unseen key must get the overall late share"


def check_suspicious_features(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(3)
    n = 1000
    y = (rng.random(n) < 0.25).astype(int)
    X = pd.DataFrame({
        "dep_hour": rng.uniform(5, 23, n) + 2 * y,
        "dep_delay": np.where(y == 1, rng.exponential(60, n), rng.normal(-3, 8, n)),
        "minus_delay": -(y * 50 + rng.normal(0, 5, n)),
        "temp": rng.normal(50, 10, n),
        "carrier": rng.choice(["UA", "AA"], n),
    })  # fmt: skip
    X.loc[::7, "dep_delay"] = np.nan
    aucs = leakage.single_feature_auc(X, y)
    expected = aucs[aucs > 0.8].index.tolist()
    got = list(fn(X, y))
    assert got == expected, f"expected {expected} (ROC AUC alone {aucs.round(3).to_dict()})"
    assert list(fn(X, y, max_auc=0.99)) == aucs[aucs > 0.99].index.tolist()


def check_monthly_folds(fn: Callable[..., object]) -> None:
    months = np.random.default_rng(4).integers(1, 9, 300)
    for n_splits in (1, 3):
        expected = tuning.monthly_folds(months, n_splits)
        got = list(fn(months, n_splits))
        assert len(got) == n_splits, f"n_splits={n_splits}: expected {n_splits} folds"
        for i, ((t, v), (et, ev)) in enumerate(zip(got, expected, strict=True)):
            want = f"validation month {months[ev][0]}, training months {sorted(set(months[et]))}"
            assert sorted(t) == sorted(et) and sorted(v) == sorted(ev), (
                f"fold {i}: expected {want}; got validation {sorted(set(months[v]))}, "
                f"training {sorted(set(months[t]))}"
            )
    try:
        fn(months, 8)
    except ValueError:
        return
    raise AssertionError("8 months allow at most 7 folds: n_splits=8 must raise ValueError")


def check_halving_schedule(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(2000, 2)), rng.integers(0, 2, 2000)
    for n, factor, min_resources in ((9, 3, 100), (20, 2, 60), (30, 3, 300), (27, 3, 10)):
        grid = {"random_state": list(range(n))}  # n candidates that differ only by name
        search = HalvingGridSearchCV(
            DummyClassifier(), grid, factor=factor, min_resources=min_resources, cv=KFold(2)
        )
        search.fit(X, y)
        expected = list(zip(search.n_candidates_, search.n_resources_, strict=True))
        got = [tuple(int(v) for v in r) for r in fn(n, factor, min_resources, len(X))]
        assert got == expected, (
            f"{n} candidates, factor {factor}, min_resources {min_resources}, 2000 rows: "
            f"scikit-learn ran {expected}, you planned {got}"
        )


def check_worst_month_auc(fn: Callable[..., object]) -> None:
    y, proba, months = _scores(seed=6)
    aucs = {m: roc_auc_score(y[months == m], proba[months == m]) for m in np.unique(months)}
    month = min(aucs, key=aucs.get)
    got = fn(y, proba, months)
    assert int(got[0]) == month and np.isclose(got[1], aucs[month]), (
        f"expected month {month} with ROC AUC {aucs[month]:.4f}, got {got}"
    )


def check_calibration_gap(fn: Callable[..., object]) -> None:
    y, proba, _ = _scores(seed=7)
    expected = float(proba.mean() - y.mean())
    got = fn(y, proba)
    assert np.isclose(got, expected), f"expected {expected:.4f}, got {got}"
    low = proba * 0.2  # a model that expects far fewer delays than happen
    assert np.isclose(fn(y, low), low.mean() - y.mean()), (
        "keep the sign: mean probability minus observed rate, negative when the model expects "
        "fewer delays than happen"
    )


CHECKS = [
    Exercise("brier_skill_score", check_brier_skill_score,
             "1 - np.mean((proba - y) ** 2) / np.mean((y.mean() - y) ** 2)"),
    Exercise("median_baseline_mae", check_median_baseline_mae,
             "np.mean(np.abs(valid_delay - np.median(train_delay)))"),
    Exercise("cyclical_hour", check_cyclical_hour,
             "a = 2 * np.pi * hours / 24; np.column_stack([np.sin(a), np.cos(a)])"),
    Exercise("smoothed_target_mean", check_smoothed_target_mean,
             "stats = y.groupby(keys).agg(['sum', 'count']); apply_keys.map(rate).fillna(prior)"),
    Exercise("suspicious_features", check_suspicious_features,
             "X.select_dtypes('number'); fillna(median); max(auc, 1 - auc); sort, highest first"),
    Exercise("monthly_folds", check_monthly_folds,
             "for m in np.unique(months)[-n_splits:]: (np.flatnonzero(months < m), ...== m)"),
    Exercise("halving_schedule", check_halving_schedule,
             "rounds = min(required, possible); candidates = ceil(candidates / factor)"),
    Exercise("worst_month_auc", check_worst_month_auc,
             "a dict {month: roc_auc_score(y[months == m], proba[months == m])}, then its min"),
    Exercise("calibration_gap", check_calibration_gap, "np.mean(proba) - np.mean(y)"),
]  # fmt: skip

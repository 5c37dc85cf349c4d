"""Checks of module 04's exercises; ``labs check 4`` runs them against ``starter.py``.

Expectations are computed with scikit-learn, NumPy or the module's own package
(``leakage``, ``tuning``), never typed in. The data are synthetic arrays shaped like the
flights, drawn at random for each run, so the checks need no pipeline output, run in
seconds, and an answer that returns what it saw last time does not pass.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.dummy import DummyClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import HalvingGridSearchCV, KFold

from labs_common.exercises import Checks, check_rng
from module04_ml_fundamentals import leakage, tuning

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


def _scores(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, probabilities with some signal, and months (months differ in quality)."""
    n = int(rng.integers(1_000, 3_000))
    distinct = rng.choice(np.arange(1, 13), int(rng.integers(4, 9)), replace=False)
    months = rng.choice(distinct, n)
    y = (rng.random(n) < rng.uniform(0.1, 0.3) + 0.02 * (months % 4)).astype(int)
    quality = rng.uniform(0.1, 0.8, 13)
    signal = y * quality[months] + rng.normal(0, 0.5, n)
    return y, 1 / (1 + np.exp(-(signal - rng.uniform(0.5, 1.5)))), months


@CHECKS.exercise
def check_brier_skill_score(fn: Callable[..., object]) -> None:
    """two Brier scores (mean squared gap between probability and label): yours and that of a
    constant equal to the base rate; the skill compares them as a ratio
    """
    y, proba, _ = _scores(check_rng())
    base = np.full(len(y), y.mean())
    expected = 1 - brier_score_loss(y, proba) / brier_score_loss(y, base)
    got = fn(y, proba)
    assert np.isclose(got, expected), f"on random scores expected {expected:.4f}, got {got}"
    assert np.isclose(fn(y, base), 0.0), "always predicting the base rate must score 0"
    assert np.isclose(fn(y, y.astype(float)), 1.0), "perfect probabilities must score 1"


@CHECKS.exercise
def check_median_baseline_mae(fn: Callable[..., object]) -> None:
    """the baseline is fitted on the training delays only; the error is measured on the validation
    delays; a median, not a mean
    """
    rng = check_rng()
    train = rng.exponential(rng.uniform(10, 30), int(rng.integers(200, 800))) - 15
    later = rng.uniform(5, 20)  # later months are later: the two medians differ
    valid = rng.exponential(rng.uniform(20, 40), int(rng.integers(100, 400))) + later
    expected = float(np.abs(valid - np.median(train)).mean())
    got = fn(train, valid)
    assert not np.isclose(got, np.abs(valid - np.median(valid)).mean()), (
        "you used the validation median: the baseline may only know the training months"
    )
    assert np.isclose(got, expected), f"on random delays expected {expected:.4f}, got {got}"


@CHECKS.exercise(forbidden=("module04_ml_fundamentals.encoding.cyclical",))
def check_cyclical_hour(fn: Callable[..., object]) -> None:
    """map the hour to an angle on a full circle of 24 hours (radians); two columns, sin first"""
    rng = check_rng()
    hours = np.concatenate([[0.0, 6.0, 24.0], rng.uniform(0, 24, int(rng.integers(3, 10)))])
    got = np.asarray(fn(hours))
    assert got.shape == (len(hours), 2), f"expected shape ({len(hours)}, 2), got {got.shape}"
    angle = 2 * np.pi * hours / 24
    expected = np.column_stack([np.sin(angle), np.cos(angle)])
    assert np.allclose(got, expected), (
        f"hours {hours.round(2).tolist()}: expected sin, cos columns {expected.round(3).tolist()}"
    )
    assert np.allclose(got[0], got[2]), "hour 0 and hour 24 must be the same point"


@CHECKS.exercise(
    forbidden=(
        "module04_ml_fundamentals.encoding.smoothed_target_mean",
        "module04_ml_fundamentals.encoding.target_encode",
    )
)
def check_smoothed_target_mean(fn: Callable[..., object]) -> None:
    """per key: count of rows and of late rows among the fitting rows; the formula in the docstring;
    a key never seen gets the prior, not 0 or NaN
    """
    rng = check_rng()
    n = int(rng.integers(200, 600))
    keys = pd.Series(rng.choice(["N1", "N2", "N3", "N4"], n, p=[0.6, 0.3, 0.09, 0.01]))
    rates = dict(zip(["N1", "N2", "N3", "N4"], rng.uniform(0.05, 0.95, 4), strict=True))
    y = (rng.random(n) < keys.map(rates)).astype(int).to_numpy()
    apply = pd.Series(["N1", "N3", "N4", "NEW", "N2"])
    prior = y.mean()
    for smoothing in (0.0, float(rng.uniform(5, 50))):
        late = pd.Series(y).groupby(keys).agg(["sum", "count"])
        rate = (late["sum"] + smoothing * prior) / (late["count"] + smoothing)
        expected = apply.map(rate).fillna(prior).to_numpy(float)
        got = np.asarray(fn(keys, y, apply, smoothing), dtype=float)
        assert np.allclose(got, expected), (
            f"smoothing={smoothing:g}: expected {expected.round(4).tolist()}, got {got.round(4)}"
        )
    assert np.isclose(got[3], prior), "an unseen key must get the overall late share"


@CHECKS.exercise(forbidden=("module04_ml_fundamentals.leakage.single_feature_auc",))
def check_suspicious_features(fn: Callable[..., object]) -> None:
    """skip non-numeric columns; roc_auc_score refuses NaN, so fill with the median; a column that
    ranks backwards leaks as much
    """
    rng = check_rng()
    n = 1000
    y = (rng.random(n) < 0.25).astype(int)
    X = pd.DataFrame({
        "dep_hour": rng.uniform(5, 23, n) + 2 * y,
        "dep_delay": np.where(y == 1, rng.exponential(60, n), rng.normal(-3, 8, n)),
        "minus_delay": -(y * rng.uniform(20, 60) + rng.normal(0, 5, n)),
        "temp": rng.normal(50, 10, n),
        "carrier": rng.choice(["UA", "AA"], n),
    })  # fmt: skip
    for i in rng.choice(100, int(rng.integers(2, 6)), replace=False):
        strength = rng.uniform(0, 3) * rng.choice([1, -1])  # some rank backwards
        X[f"x{i}"] = strength * y + rng.normal(0, 1, n)
    X = X[list(rng.permutation(X.columns))]
    X.loc[rng.random(n) < 0.15, "dep_delay"] = np.nan
    aucs = leakage.single_feature_auc(X, y)
    expected = aucs[aucs > 0.8].index.tolist()
    got = list(fn(X, y))
    assert got == expected, f"expected {expected} (ROC AUC alone {aucs.round(3).to_dict()})"
    limit = float(aucs[aucs.between(0.55, 0.8)].min() - 0.01)  # dep_hour's is about 0.65
    assert list(fn(X, y, max_auc=limit)) == aucs[aucs > limit].index.tolist(), (
        f"max_auc={limit:.3f}: expected {aucs[aucs > limit].index.tolist()}, highest first"
    )


@CHECKS.exercise(forbidden=("module04_ml_fundamentals.tuning.monthly_folds",))
def check_monthly_folds(fn: Callable[..., object]) -> None:
    """the validation months are the last n_splits distinct months; a fold trains on strictly
    earlier months only; check n_splits first
    """
    rng = check_rng()
    distinct = np.sort(rng.choice(np.arange(1, 13), int(rng.integers(5, 10)), replace=False))
    months = rng.choice(distinct, 300)
    months[: len(distinct)] = distinct  # every month present
    for n_splits in (1, int(rng.integers(2, len(distinct)))):
        expected = tuning.monthly_folds(months, n_splits)
        got = list(fn(months, n_splits))
        assert len(got) == n_splits, f"n_splits={n_splits}: expected {n_splits} folds"
        for i, ((t, v), (et, ev)) in enumerate(zip(got, expected, strict=True)):
            want = f"validation month {months[ev][0]}, training months {sorted(set(months[et]))}"
            assert sorted(t) == sorted(et) and sorted(v) == sorted(ev), (
                f"months {distinct.tolist()}, fold {i}: expected {want}; got validation "
                f"{sorted(set(months[v]))}, training {sorted(set(months[t]))}"
            )
    try:
        fn(months, len(distinct))
    except ValueError:
        return
    raise AssertionError(
        f"{len(distinct)} months allow at most {len(distinct) - 1} folds: "
        f"n_splits={len(distinct)} must raise ValueError"
    )


@CHECKS.exercise(forbidden=("module04_ml_fundamentals.tuning.halving_schedule",))
def check_halving_schedule(fn: Callable[..., object]) -> None:
    """the number of rounds is limited both by the candidates and by the rows; resources never
    exceed max_resources; candidates are rounded up
    """
    rng = check_rng()
    X, y = rng.normal(size=(2000, 2)), rng.integers(0, 2, 2000)
    step = int(rng.integers(2, 4))
    uneven = step * int(rng.integers(2, 13)) + int(rng.integers(1, step))  # n % step > 0
    cases = [
        (9, 3, 100),
        (30, 3, 300),  # the rows limit the rounds
        (uneven, step, int(rng.integers(10, 400))),  # does not divide: candidates rounded up
        (int(rng.integers(5, 40)), int(rng.integers(2, 4)), int(rng.integers(10, 400))),
    ]
    for n, factor, min_resources in cases:
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


@CHECKS.exercise(forbidden=("module04_ml_fundamentals.selection.worst_month",))
def check_worst_month_auc(fn: Callable[..., object]) -> None:
    """one roc_auc_score per distinct month, on that month's rows only; return the month as an
    int
    """
    y, proba, months = _scores(check_rng())
    aucs = {m: roc_auc_score(y[months == m], proba[months == m]) for m in np.unique(months)}
    month = min(aucs, key=aucs.get)
    got = fn(y, proba, months)
    assert int(got[0]) == month and np.isclose(got[1], aucs[month]), (
        f"expected month {month} with ROC AUC {aucs[month]:.4f}, got {got}"
    )


@CHECKS.exercise
def check_calibration_gap(fn: Callable[..., object]) -> None:
    """compare the average prediction with the observed rate; keep the sign"""
    rng = check_rng()
    y, proba, _ = _scores(rng)
    expected = float(proba.mean() - y.mean())
    got = fn(y, proba)
    assert np.isclose(got, expected), f"on random scores expected {expected:.4f}, got {got}"
    low = proba * rng.uniform(0.1, 0.3)  # a model that expects far fewer delays than happen
    assert np.isclose(fn(y, low), low.mean() - y.mean()), (
        "keep the sign: mean probability minus observed rate, negative when the model expects "
        "fewer delays than happen"
    )

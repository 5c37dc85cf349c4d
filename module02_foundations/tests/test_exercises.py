"""The exercise checks of module 02 catch typical wrong answers with a helpful message.

That the solutions pass and untouched starters fail is tested for every module at once in
``tests/test_exercises.py`` at the repository root.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from module02_foundations.exercises import checks


def _normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.solve(X.T @ X, X.T @ y)


def _uncentred_ratio(X: np.ndarray) -> np.ndarray:
    s = np.linalg.svd(X, compute_uv=False)
    return s**2 / np.sum(s**2)


def _wald_ci(values: np.ndarray, confidence: float = 0.95, **_: object) -> tuple[float, float]:
    mean, se = np.mean(values), np.std(values, ddof=1) / np.sqrt(len(values))
    z = stats.norm.ppf(0.5 + confidence / 2)
    return mean - z * se, mean + z * se


def _rate_counting_cancelled(df: pd.DataFrame, column: str, value: object, late_minutes=15):
    return float(df.loc[df[column] == value, "arr_delay"].gt(late_minutes).mean())


def _zero_p_value(a: np.ndarray, b: np.ndarray, n_resamples: int = 5000, seed: int = 0) -> float:
    rng, pooled = np.random.default_rng(seed), np.concatenate([a, b])
    observed = abs(np.mean(a) - np.mean(b))
    gaps = [abs(np.diff([p[len(a) :].mean(), p[: len(a)].mean()])[0])
            for p in (rng.permutation(pooled) for _ in range(n_resamples))]  # fmt: skip
    return float(np.mean(np.array(gaps) >= observed))


@pytest.mark.parametrize(
    ("name", "wrong", "match"),
    [
        ("least_squares_qr", _normal_equations, "normal equations"),
        ("explained_variance_ratio", _uncentred_ratio, "centre the columns|expected"),
        ("bootstrap_mean_ci", _wald_ci, "quantiles of the resampled means"),
        ("late_rate_given", _rate_counting_cancelled, "one cancelled"),
        ("permutation_p_value", _zero_p_value, "never 0"),
        ("hash_join_count", lambda left, right: len(set(left) & set(right)), "4 pairs"),
        ("logistic_gradient", lambda w, X1, y: X1.T @ (1 / (1 + np.exp(-X1 @ w)) - y), "w = 0"),
    ],
    ids=["normal-eq", "uncentred-pca", "wald", "cancelled", "p-zero", "set-join", "sum-grad"],
)
def test_checks_reject_typical_mistakes(name: str, wrong: object, match: str) -> None:
    check = checks.CHECKS.named(name).check
    with pytest.raises(AssertionError, match=match):
        check(wrong)

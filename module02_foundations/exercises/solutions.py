"""Reference answers to module 02's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.linalg import solve_triangular


def tailnums_without_plane(flights: pd.DataFrame, planes: pd.DataFrame) -> set[str]:
    """Distinct tail numbers flown that have no row in ``planes`` (missing ones left out)."""
    return set(flights["tailnum"].dropna().astype(str)) - set(planes["tailnum"].astype(str))


def airport_degrees(flights: pd.DataFrame) -> pd.Series:
    """Number of distinct airports each airport is linked to, routes taken both ways."""
    pairs = flights[["origin", "dest"]].astype(str).drop_duplicates()
    both = pd.concat(
        [pairs, pairs.rename(columns={"origin": "dest", "dest": "origin"})], ignore_index=True
    ).drop_duplicates()
    return both.groupby("origin").size()


def least_squares_qr(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares coefficients through X = QR, then R b = Qᵀy."""
    Q, R = np.linalg.qr(X)
    return solve_triangular(R, Q.T @ y)


def explained_variance_ratio(X: np.ndarray) -> np.ndarray:
    """Share of the total variance along each principal axis, largest first."""
    singular = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return singular**2 / np.sum(singular**2)


def late_rate_given(
    flights: pd.DataFrame, column: str, value: object, late_minutes: int = 15
) -> float:
    """P(late | column == value) over the arrived flights."""
    arrived = flights.dropna(subset=["arr_delay"])
    chosen = arrived[arrived[column] == value]
    return float(chosen["arr_delay"].gt(late_minutes).mean())


def bootstrap_mean_ci(
    values: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean."""
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = np.array([rng.choice(values, size=len(values)).mean() for _ in range(n_resamples)])
    alpha = (1 - confidence) / 2
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def permutation_p_value(
    a: np.ndarray, b: np.ndarray, n_resamples: int = 5000, seed: int = 0
) -> float:
    """Two-sided permutation p-value of mean(a) - mean(b)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    pooled, rng = np.concatenate([a, b]), np.random.default_rng(seed)
    observed = abs(a.mean() - b.mean())
    extreme = 0
    for _ in range(n_resamples):
        shuffled = rng.permutation(pooled)
        gap = abs(shuffled[: len(a)].mean() - shuffled[len(a) :].mean())
        extreme += gap >= observed - 1e-12
    return (1 + extreme) / (1 + n_resamples)


def hash_join_count(left: list[str], right: list[str]) -> int:
    """Number of (left, right) pairs with equal keys, using a dict of right-side counts."""
    counts: dict[str, int] = {}
    for key in right:
        counts[key] = counts.get(key, 0) + 1
    return sum(counts.get(key, 0) for key in left)


def loglog_slope(sizes: np.ndarray, values: np.ndarray) -> float:
    """Slope k of the least-squares line log(value) = k log(size) + c."""
    return float(np.polyfit(np.log(sizes), np.log(values), 1)[0])


def logistic_gradient(w: np.ndarray, X1: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of the mean log loss of a logistic regression with weights ``w``."""
    p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
    return X1.T @ (p - y) / len(y)


def dfa_accepts(table: list[dict[str, int]], start: int, accepting: set[int], text: str) -> bool:
    """Run the DFA: one table look-up per character; a missing entry rejects."""
    state = start
    for char in text:
        if char not in table[state]:
            return False
        state = table[state][char]
    return state in accepting


def gates_needed(start: np.ndarray, end: np.ndarray) -> int:
    """The most flights present at once (a sweep over sorted events, ends first on ties)."""
    events = sorted([(int(t), 1) for t in start] + [(int(t), -1) for t in end])
    present = most = 0
    for _, change in events:  # (t, -1) sorts before (t, +1): a gate freed at t is reusable
        present += change
        most = max(most, present)
    return most


def collatz_steps(n: int, budget: int) -> int | None:
    """Steps of the Collatz map until 1, or None once ``budget`` steps did not reach it."""
    steps = 0
    while n != 1:
        if steps == budget:
            return None
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

"""Wrong answers to module 02's exercises, each a small change of the reference answer."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy import stats
from scipy.linalg import solve_triangular

from module02_foundations.tests.test_exercises import (
    _normal_equations,
    _rate_counting_cancelled,
    _uncentred_ratio,
    _wald_ci,
    _zero_p_value,
)


def _degrees_directed(flights: pd.DataFrame) -> pd.Series:
    pairs = flights[["origin", "dest"]].astype(str).drop_duplicates()
    return pairs.groupby("origin").size()


def _degrees_counting_flights(flights: pd.DataFrame) -> pd.Series:
    pairs = flights[["origin", "dest"]].astype(str)
    both = pd.concat([pairs, pairs.rename(columns={"origin": "dest", "dest": "origin"})])
    return both.groupby("origin").size()


def _degrees_no_dedup_after_swap(flights: pd.DataFrame) -> pd.Series:
    pairs = flights[["origin", "dest"]].astype(str).drop_duplicates()
    both = pd.concat([pairs, pairs.rename(columns={"origin": "dest", "dest": "origin"})])
    return both.groupby("origin").size()


def _qr_lower(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    Q, R = np.linalg.qr(X)
    return solve_triangular(R.T, Q.T @ y, lower=True)


def _qr_drop_last(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    Q, R = np.linalg.qr(X[:, :-1])
    return np.append(solve_triangular(R, Q.T @ y), 0.0)


def _ratio_not_squared(X: np.ndarray) -> np.ndarray:
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return s / s.sum()


def _ratio_ascending(X: np.ndarray) -> np.ndarray:
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return np.sort(s**2 / np.sum(s**2))


def _rate(flights, column, value, late_minutes=15, *, ge=False, fixed=False) -> float:
    arrived = flights.dropna(subset=["arr_delay"])
    chosen = arrived.loc[arrived[column] == value, "arr_delay"]
    limit = 15 if fixed else late_minutes
    return float((chosen >= limit).mean() if ge else (chosen > limit).mean())


def _boot(values, n_resamples=2000, confidence=0.95, seed=0, *, fixed=False, half=False):
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    size = len(values) // 2 if half else len(values)
    means = np.array([rng.choice(values, size=size).mean() for _ in range(n_resamples)])
    alpha = (1 - (0.95 if fixed else confidence)) / 2
    return float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def _perm(a, b, n_resamples=5000, seed=0, *, one_sided=False, strict=False) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    pooled, rng = np.concatenate([a, b]), np.random.default_rng(seed)
    observed = a.mean() - b.mean()
    extreme = 0
    for _ in range(n_resamples):
        s = rng.permutation(pooled)
        gap = s[: len(a)].mean() - s[len(a) :].mean()
        if one_sided:
            extreme += gap >= observed - 1e-12
        elif strict:
            extreme += abs(gap) > abs(observed) + 1e-12
        else:
            extreme += abs(gap) >= abs(observed) - 1e-12
    return (1 + extreme) / (1 + n_resamples)


def _grad(w, X1, y, *, sign=1.0, no_mean=False):
    p = 1.0 / (1.0 + np.exp(-(X1 @ w)))
    g = sign * X1.T @ (p - y)
    return g if no_mean else g / len(y)


def _dfa(table, state, accepting, text, *, skip=False, early=False) -> bool:
    for char in text:
        if char not in table[state]:
            if skip:
                continue
            return False
        state = table[state][char]
        if early and state in accepting:
            return True
    return state in accepting


def _gates(start, end, *, ends_first=True, ordered=True) -> int:
    events = [(int(t), 1) for t in start] + [(int(t), -1) for t in end]
    if ordered:
        events.sort(key=lambda e: (e[0], e[1] if ends_first else -e[1]))
    present = most = 0
    for _, change in events:
        present += change
        most = max(most, present)
    return most


def _collatz(n, budget, *, slack=0, late=False, visited=False):
    steps = 0
    while n != 1:
        if not late and steps >= budget + slack:
            return None
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
        if late and steps >= budget:
            return None
    return steps + visited


MUTANTS = {
    "tailnums_without_plane": {
        "missing tailnum kept as 'nan'": lambda f, p: (
            set(f["tailnum"].astype(str)) - set(p["tailnum"].astype(str))
        ),
        "planes minus flights": lambda f, p: (
            set(p["tailnum"].astype(str)) - set(f["tailnum"].dropna().astype(str))
        ),
        "a sorted list": lambda f, p: sorted(
            set(f["tailnum"].dropna().astype(str)) - set(p["tailnum"].astype(str))
        ),
    },
    "airport_degrees": {
        "directed (destinations only)": _degrees_directed,
        "counts flights, not neighbours": _degrees_counting_flights,
        "no distinct after adding reversed pairs": _degrees_no_dedup_after_swap,
    },
    "least_squares_qr": {
        "normal equations": _normal_equations,
        "R transposed": _qr_lower,
        "last column dropped": _qr_drop_last,
    },
    "explained_variance_ratio": {
        "not centred": _uncentred_ratio,
        "singular values not squared": _ratio_not_squared,
        "smallest first": _ratio_ascending,
    },
    "late_rate_given": {
        "cancelled counted as on time": _rate_counting_cancelled,
        ">= instead of >": lambda f, c, v, late_minutes=15: _rate(f, c, v, late_minutes, ge=True),
        "late_minutes ignored": lambda f, c, v, late_minutes=15: _rate(
            f, c, v, late_minutes, fixed=True
        ),
    },
    "bootstrap_mean_ci": {
        "mean ± z se (Wald)": _wald_ci,
        "confidence ignored": lambda v, n_resamples=2000, confidence=0.95, seed=0: _boot(
            v, n_resamples, confidence, seed, fixed=True
        ),
        "resamples of half the size": lambda v, n_resamples=2000, confidence=0.95, seed=0: _boot(
            v, n_resamples, confidence, seed, half=True
        ),
    },
    "permutation_p_value": {
        "p-value can be 0": _zero_p_value,
        "one-sided": lambda a, b, n_resamples=5000, seed=0: _perm(
            a, b, n_resamples, seed, one_sided=True
        ),
        "Welch t-test instead": lambda a, b, n_resamples=5000, seed=0: float(
            stats.ttest_ind(a, b, equal_var=False).pvalue
        ),
    },
    "hash_join_count": {
        "distinct common keys": lambda left, right: len(set(left) & set(right)),
        "left keys found": lambda left, right: sum(k in set(right) for k in left),
        "off by one per key": lambda left, right: sum(
            1 + sum(1 for r in right if r == k) for k in set(left) if k in right
        ),
    },
    "loglog_slope": {
        "intercept instead": lambda s, v: float(np.polyfit(np.log(s), np.log(v), 1)[1]),
        "log of values only": lambda s, v: float(np.polyfit(s, np.log(v), 1)[0]),
        "two end points only": lambda s, v: float(
            (np.log(v[-1]) - np.log(v[0])) / (np.log(s[-1]) - np.log(s[0]))
        ),
    },
    "logistic_gradient": {
        "summed, not averaged": lambda w, X1, y: _grad(w, X1, y, no_mean=True),
        "sign flipped (y - p)": lambda w, X1, y: _grad(w, X1, y, sign=-1.0),
        "linear p (no sigmoid)": lambda w, X1, y: X1.T @ (X1 @ w - y) / len(y),
    },
    "dfa_accepts": {
        "a missing character is skipped": lambda t, s, acc, text: _dfa(t, s, acc, text, skip=True),
        "accepts once it passes an accepting state": lambda t, s, acc, text: _dfa(
            t, s, acc, text, early=True
        ),
        "last character not read": lambda t, s, acc, text: _dfa(t, s, acc, text[:-1]),
        "starts in state 0": lambda t, s, acc, text: _dfa(t, 0, acc, text),
    },
    "gates_needed": {
        "arrivals before departures at equal times": lambda s, e: _gates(s, e, ends_first=False),
        "events not sorted": lambda s, e: _gates(s, e, ordered=False),
        "most arrivals in one minute": lambda s, e: max(Counter(np.asarray(s).tolist()).values()),
    },
    "collatz_steps": {
        "budget off by one": lambda n, budget: _collatz(n, budget, slack=1),
        "gives up on the step that reaches 1": lambda n, budget: _collatz(n, budget, late=True),
        "budget ignored": lambda n, budget: _collatz(n, 10**9),
        "counts the numbers visited": lambda n, budget: _collatz(n, budget, visited=True),
    },
}

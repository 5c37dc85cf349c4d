"""Checks of module 02's exercises; ``labs check 2`` runs them against ``starter.py``.

Expectations are computed with numpy, scipy, scikit-learn, pandas or the module's own
package, never typed in, so they stay right if the data changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import approx_fprime
from scipy.special import expit
from sklearn.decomposition import PCA
from sklearn.metrics import log_loss

from labs_common.data import load_table
from labs_common.exercises import Exercise
from module02_foundations import discrete, linalg, optimize, probability


@lru_cache(maxsize=4)
def _table(name: str) -> pd.DataFrame:
    return load_table(name)


def _flights() -> pd.DataFrame:
    return _table("flights").copy()


@lru_cache(maxsize=1)
def _late_sample() -> np.ndarray:
    return probability.late_labels(_flights().sample(3000, random_state=7)).to_numpy(float)


def check_tailnums_without_plane(fn: Callable[..., object]) -> None:
    tiny_f = pd.DataFrame({"tailnum": ["N1", "N2", None, "N2", "N9"]})
    got = fn(tiny_f, pd.DataFrame({"tailnum": ["N1", "N5"]}))
    assert got == {"N2", "N9"}, f"flights N1 N2 N2 N9 (+ a missing one), planes N1 N5: got {got}"
    flights, planes = _flights(), _table("planes")
    flown = flights["tailnum"].dropna().astype(str).unique()
    expected = set(np.setdiff1d(flown, planes["tailnum"].astype(str).to_numpy()).tolist())
    got = fn(flights, planes)
    assert isinstance(got, set), f"return a set, got {type(got).__name__}"
    assert got == expected, (
        f"expected {len(expected)} tail numbers, got {len(got)}; "
        f"e.g. missing {sorted(expected - got)[:3]}, extra {sorted(got - expected)[:3]}"
    )


def check_airport_degrees(fn: Callable[..., object]) -> None:
    tiny = pd.DataFrame({"origin": ["EWR", "JFK", "EWR", "EWR"],
                         "dest": ["ATL", "ATL", "ATL", "JFK"]})  # fmt: skip
    got = pd.Series(fn(tiny)).sort_index()
    assert got.to_dict() == {"ATL": 2, "EWR": 2, "JFK": 2}, (
        f"EWR-ATL (twice), JFK-ATL, EWR-JFK: every airport has 2 neighbours, got {got.to_dict()}"
    )
    flights = _flights()
    expected = discrete.compute_degrees(discrete.build_route_graph(flights)).sort_index()
    got = pd.Series(fn(flights))
    got.index = got.index.astype(str)
    got = got.sort_index()
    assert list(got.index) == list(expected.index), (
        f"expected {len(expected)} airports, got {len(got)}"
    )
    assert np.array_equal(got.to_numpy(), expected.to_numpy()), (
        f"degrees differ, e.g. expected {expected.nlargest(3).to_dict()}, "
        f"got {got.nlargest(3).to_dict()}"
    )


def check_least_squares_qr(fn: Callable[..., object]) -> None:
    X, y = linalg.make_design(_flights().sample(5000, random_state=0))
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    got = np.asarray(fn(X, y))
    assert np.allclose(got, expected), f"on flights expected {expected.round(5)}, got {got}"
    rng = np.random.default_rng(0)
    t = rng.uniform(0, 1000, 500)
    X = np.column_stack([np.ones(500), t, t + 1e-4 * rng.normal(size=500)])
    y = X @ np.array([1.0, 2.0, -1.0]) + rng.normal(scale=0.1, size=500)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    got = np.asarray(fn(X, y))
    gap = np.abs(got - expected).max() / np.abs(expected).max()
    assert gap < 1e-6, (
        f"on nearly collinear columns (cond {np.linalg.cond(X):.1e}) your answer is off by "
        f"{gap:.1e} (relative); did you use the normal equations? they square cond(X)"
    )


def check_explained_variance_ratio(fn: Callable[..., object]) -> None:
    X = linalg.weather_matrix(_table("weather"))
    expected = PCA().fit(X).explained_variance_ratio_
    got = np.asarray(fn(X))
    assert got.shape == expected.shape, f"expected {len(expected)} ratios, got shape {got.shape}"
    assert np.allclose(got, expected), f"expected {expected.round(4)}, got {got.round(4)}"
    shifted = np.random.default_rng(1).normal(size=(200, 3)) * [5.0, 2.0, 1.0] + 100.0
    expected = PCA().fit(shifted).explained_variance_ratio_
    assert np.allclose(fn(shifted), expected), (
        "on data whose columns have mean 100 the ratios are wrong: centre the columns first"
    )


def check_late_rate_given(fn: Callable[..., object]) -> None:
    tiny = pd.DataFrame({"hour": [7, 7, 7, 9], "arr_delay": [30.0, np.nan, 0.0, 60.0]})
    got = fn(tiny, "hour", 7)
    assert np.isclose(got, 0.5), (
        f"hour 7: one late, one on time, one cancelled -> expected 0.5, got {got}"
    )
    flights = _flights()
    for column, value, minutes in [("hour", 19, 15), ("origin", "EWR", 15), ("carrier", "UA", 60)]:
        rates = probability.conditional_rates(flights, column, late_minutes=minutes)
        expected = rates.loc[value, "p_late_given"]
        got = fn(flights, column, value, late_minutes=minutes)
        assert np.isclose(got, expected), (
            f"P(late | {column} = {value}, late_minutes={minutes}): expected {expected:.4f}, "
            f"got {got}"
        )


def check_bootstrap_mean_ci(fn: Callable[..., object]) -> None:
    x = _late_sample()
    low, high = fn(x, seed=1)
    assert (low, high) == tuple(fn(x, seed=1)), "the same seed must give the same interval"
    ref = stats.bootstrap((x,), np.mean, method="percentile", n_resamples=4000, rng=0)
    ref_low, ref_high = ref.confidence_interval
    width = ref_high - ref_low
    assert abs(low - ref_low) < 0.1 * width and abs(high - ref_high) < 0.1 * width, (
        f"scipy's percentile interval is ({ref_low:.4f}, {ref_high:.4f}), got ({low:.4f}, "
        f"{high:.4f})"
    )
    n_low, n_high = fn(x, confidence=0.5)
    assert high - low > n_high - n_low, "a 50 % interval must be narrower than a 95 % one"
    skewed = np.random.default_rng(3).lognormal(3.0, 1.2, size=30)
    s_low, s_high = fn(skewed)
    ref = stats.bootstrap((skewed,), np.mean, method="percentile", rng=0).confidence_interval
    assert abs(s_low - ref.low) < 0.08 * (ref.high - ref.low), (
        f"on 30 skewed delays scipy gives ({ref.low:.2f}, {ref.high:.2f}), got "
        f"({s_low:.2f}, {s_high:.2f}): take quantiles of the resampled means, not mean ± 2 se"
    )


def check_permutation_p_value(fn: Callable[..., object]) -> None:
    a = np.array([12.0, 30.0, 45.0, 8.0, 60.0, 25.0])
    b = np.array([2.0, -5.0, 10.0, 0.0, 15.0, 4.0])
    exact = stats.permutation_test(
        (a, b), lambda x, y, axis: x.mean(axis) - y.mean(axis), vectorized=True
    ).pvalue
    got = fn(a, b)
    assert abs(got - exact) < 0.015, f"scipy's exact p-value is {exact:.4f}, got {got}"
    rng = np.random.default_rng(4)
    same = rng.normal(size=60)
    got = fn(same[:30], same[30:], n_resamples=2000)
    exact = probability.permutation_test(same[:30], same[30:], 20_000, seed=5).p_value
    assert abs(got - exact) < 0.04, (
        f"two groups from one distribution: expected ~{exact:.3f}, got {got}"
    )
    far = fn(np.arange(20.0), np.arange(20.0) + 100, n_resamples=999)
    assert far >= 1 / 1000, f"a p-value is never 0: count the observed split too, got {far}"


def check_hash_join_count(fn: Callable[..., object]) -> None:
    left, right = ["a", "b", "b", "c", "d"], ["b", "b", "c", "e"]
    expected = len(pd.DataFrame({"k": left}).merge(pd.DataFrame({"k": right}), on="k"))
    got = fn(left, right)
    assert got == expected, (
        f"b twice on each side makes 4 pairs, plus c: expected {expected}, got {got}"
    )
    flights = _flights().sample(20_000, random_state=0)
    lk = flights["tailnum"].dropna().astype(str).tolist()
    rk = _table("planes")["tailnum"].astype(str).tolist()
    expected = len(pd.DataFrame({"k": lk}).merge(pd.DataFrame({"k": rk}), on="k"))
    got = fn(lk, rk)
    assert got == expected, f"flights x planes: expected {expected} pairs, got {got}"


def check_loglog_slope(fn: Callable[..., object]) -> None:
    sizes = np.array([250.0, 500.0, 1000.0, 2000.0, 4000.0])
    for exponent in (1.0, 2.0):
        noise = np.random.default_rng(int(exponent)).lognormal(0.0, 0.05, len(sizes))
        times = 2e-7 * sizes**exponent * noise
        expected = stats.linregress(np.log(sizes), np.log(times)).slope
        got = fn(sizes, times)
        assert np.isclose(got, expected), f"expected slope {expected:.4f}, got {got}"


def check_logistic_gradient(fn: Callable[..., object]) -> None:
    X, y = optimize.make_classification_data(_flights().sample(3000, random_state=1))
    X1 = optimize.add_intercept(optimize.standardize(X)[0])
    zero = np.zeros(X1.shape[1])
    expected = X1.T @ (0.5 - y) / len(y)
    got = np.asarray(fn(zero, X1, y))
    assert np.allclose(got, expected), (
        f"at w = 0 every p is 0.5: expected {expected.round(4)}, got {np.round(got, 4)}"
    )
    w = np.array([-1.0, 0.4, -0.1, 0.05, -0.1])
    numeric = approx_fprime(w, lambda v: log_loss(y, expit(X1 @ v)), 1e-6)
    got = np.asarray(fn(w, X1, y))
    assert np.allclose(got, numeric, atol=1e-5), (
        f"finite differences of sklearn's log_loss give {numeric.round(4)}, got {np.round(got, 4)}"
        " (divide by n: the loss is a mean)"
    )


CHECKS = [
    Exercise("tailnums_without_plane", check_tailnums_without_plane,
             "set(flights['tailnum'].dropna()) - set(planes['tailnum'])"),
    Exercise("airport_degrees", check_airport_degrees,
             "drop_duplicates on (origin, dest), concat with the swapped pairs, groupby().size()"),
    Exercise("least_squares_qr", check_least_squares_qr,
             "Q, R = np.linalg.qr(X); scipy.linalg.solve_triangular(R, Q.T @ y)"),
    Exercise("explained_variance_ratio", check_explained_variance_ratio,
             "s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False); s**2 / (s**2).sum()"),
    Exercise("late_rate_given", check_late_rate_given,
             "arrived = flights.dropna(subset=['arr_delay']); then filter on column == value"),
    Exercise("bootstrap_mean_ci", check_bootstrap_mean_ci,
             "means of rng.choice(values, size=len(values)); np.quantile at alpha/2 and 1-alpha/2"),
    Exercise("permutation_p_value", check_permutation_p_value,
             "compare abs(gap) >= abs(observed) for each shuffle; (1 + count) / (1 + n_resamples)"),
    Exercise("hash_join_count", check_hash_join_count,
             "a dict: counts.get(k, 0) + 1 for each right key k; sum counts.get(k, 0) over left"),
    Exercise("loglog_slope", check_loglog_slope,
             "np.polyfit(np.log(sizes), np.log(values), deg=1)[0] is the slope"),
    Exercise("logistic_gradient", check_logistic_gradient,
             "p = 1 / (1 + np.exp(-(X1 @ w))); X1.T @ (p - y) / len(y)"),
]  # fmt: skip


# Notebook 05 (theory of computation). Appended: every input is generated, so a function
# that returns one fixed answer fails.


def check_dfa_accepts(fn: Callable[..., object]) -> None:
    import random
    import re

    from module02_foundations import automata

    rng = random.Random(5)
    for pattern in (r"^[A-Z0-9]{4,6}$", r"^([01][0-9]|2[0-3])[0-5][0-9]$", r"(ab|a)*c+"):
        dfa = automata.compile_regex(pattern)
        table = [dict(row) for row in dfa.table]
        chars = sorted({c for c in pattern if c.isalnum()}) * 3 + list("N9xb_-")
        for _ in range(400):
            text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
            expected = bool(re.fullmatch(pattern, text))
            got = fn(table, dfa.start, set(dfa.accepting), text)
            assert got == expected, (
                f"the DFA of {pattern!r} on {text!r}: expected {expected}, got {got}"
            )
    table = [{"a": 1}, {"a": 1}]  # only 'a' is known: any other character rejects
    assert fn(table, 0, {1}, "ab") is False, "a character missing from the row must reject"
    assert fn(table, 0, {0}, "") is True, "the empty text is accepted when start accepts"


def check_gates_needed(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(11)
    for n in (1, 5, 40, 300):
        start = rng.integers(0, 24 * 60, n)
        end = start + rng.integers(1, 120, n)
        present = [int(((start <= t) & (t < end)).sum()) for t in start]  # at each start
        expected = max(present)
        got = fn(start, end)
        assert got == expected, f"{n} random flights: expected {expected} gates, got {got}"
    got = fn(np.array([0, 30]), np.array([30, 60]))
    assert got == 1, f"a flight leaving at 30 frees its gate for one at 30: expected 1, got {got}"


def check_collatz_steps(fn: Callable[..., object]) -> None:
    from module02_foundations.decidability import collatz_steps

    rng = np.random.default_rng(3)
    for n in [*rng.integers(1, 10**6, 50).tolist(), 1, 2, 27]:
        expected = collatz_steps(int(n))
        got = fn(int(n), 10_000)
        assert got == expected, f"collatz_steps({n}, 10000): expected {expected}, got {got}"
        if expected:
            short = fn(int(n), expected - 1)
            assert short is None, (
                f"collatz_steps({n}, {expected - 1}) needs {expected} steps: expected None, "
                f"got {short}"
            )


CHECKS += [
    Exercise("dfa_accepts", check_dfa_accepts,
             "state = start; for c in text: if c not in table[state]: return False; ..."),
    Exercise("gates_needed", check_gates_needed,
             "sorted events (t, +1) per start and (t, -1) per end; the max running sum"),
    Exercise("collatz_steps", check_collatz_steps,
             "while n != 1: if steps == budget: return None; then one step and steps += 1"),
]  # fmt: skip

"""Checks of module 02's exercises; ``labs check 2`` runs them against ``starter.py``.

Expectations are computed with numpy, scipy, scikit-learn, pandas or brute force, never
typed in, on inputs drawn at random for each run (random samples of the real tables and
synthetic data), so an answer that returns what it saw last time does not pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import approx_fprime
from scipy.special import expit
from sklearn.decomposition import PCA
from sklearn.metrics import log_loss

from labs_common.exercises import Checks, check_rng, course_table
from module02_foundations import automata, decidability, linalg, optimize, probability

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


def _sample(rng: np.random.Generator, low: int = 5_000, high: int = 30_000) -> pd.DataFrame:
    """A random sample of the real flights, of a random size."""
    flights = course_table("flights")
    return flights.sample(int(rng.integers(low, high)), random_state=rng).reset_index(drop=True)


@CHECKS.exercise(forbidden=("module02_foundations.discrete.anti_join",))
def check_tailnums_without_plane(fn: Callable[..., object]) -> None:
    """Python sets subtract; a missing tailnum is not a tail number (mind what str() makes of it);
    compare plain str on both sides
    """
    tiny_f = pd.DataFrame({"tailnum": ["N1", "N2", None, "N2", "N9"]})
    got = fn(tiny_f, pd.DataFrame({"tailnum": ["N1", "N5"]}))
    assert got == {"N2", "N9"}, f"flights N1 N2 N2 N9 (+ a missing one), planes N1 N5: got {got}"
    rng = check_rng()
    flights = _sample(rng)
    planes = course_table("planes").sample(frac=rng.uniform(0.3, 0.9), random_state=rng)
    flown = flights["tailnum"].dropna().astype(str).unique()
    expected = set(np.setdiff1d(flown, planes["tailnum"].astype(str).to_numpy()).tolist())
    got = fn(flights, planes)
    assert isinstance(got, set), f"return a set, got {type(got).__name__}"
    assert got == expected, (
        f"{len(flights)} random flights, {len(planes)} random planes: expected {len(expected)} "
        f"tail numbers, got {len(got)}; e.g. missing {sorted(expected - got)[:3]}, "
        f"extra {sorted(got - expected)[:3]}"
    )


def _degrees(origin: np.ndarray, dest: np.ndarray) -> pd.Series:
    """Distinct neighbours per airport by brute force over a set of undirected edges."""
    edges = {frozenset((a, b)) for a, b in zip(origin, dest, strict=True) if a != b}
    neighbours: dict[str, set[str]] = {}
    for edge in edges:
        a, b = tuple(edge)
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    return pd.Series({k: len(v) for k, v in neighbours.items()}).sort_index()


@CHECKS.exercise(
    forbidden=(
        "module02_foundations.discrete.compute_degrees",
        "module02_foundations.discrete.build_route_graph",
    )
)
def check_airport_degrees(fn: Callable[..., object]) -> None:
    """a neighbour counts once however many flights fly the route, and in both directions: think of
    distinct pairs, then of the reversed pairs
    """
    tiny = pd.DataFrame({"origin": ["EWR", "JFK", "EWR", "EWR"],
                         "dest": ["ATL", "ATL", "ATL", "JFK"]})  # fmt: skip
    got = pd.Series(fn(tiny)).sort_index()
    assert got.to_dict() == {"ATL": 2, "EWR": 2, "JFK": 2}, (
        f"EWR-ATL (twice), JFK-ATL, EWR-JFK: every airport has 2 neighbours, got {got.to_dict()}"
    )
    rng = check_rng()
    codes = [f"A{i:02d}" for i in range(12)]
    pairs = rng.choice(codes, size=(int(rng.integers(30, 80)), 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    both = pairs[rng.random(len(pairs)) < 0.3][:, ::-1]  # some routes flown both ways
    synthetic = pd.DataFrame(np.vstack([pairs, both, pairs[:5]]), columns=["origin", "dest"])
    for flights in (synthetic, _sample(rng)):
        expected = _degrees(flights["origin"].astype(str).to_numpy(),
                            flights["dest"].astype(str).to_numpy())  # fmt: skip
        got = pd.Series(fn(flights))
        got.index = got.index.astype(str)
        got = got.sort_index()
        assert list(got.index) == list(expected.index), (
            f"expected {len(expected)} airports, got {len(got)}"
        )
        assert np.array_equal(got.to_numpy(), expected.to_numpy()), (
            f"on {len(flights)} flights degrees differ, e.g. expected "
            f"{expected.nlargest(3).to_dict()}, got {got.nlargest(3).to_dict()}"
        )


@CHECKS.exercise(forbidden=("numpy.linalg.lstsq", "module02_foundations.linalg.solve_qr"))
def check_least_squares_qr(fn: Callable[..., object]) -> None:
    """np.linalg.qr gives Q and R; R is upper triangular, so scipy.linalg has a solver made for it;
    never form X.T @ X
    """
    rng = check_rng()
    X, y = linalg.make_design(_sample(rng, 2_000, 6_000))
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    got = np.asarray(fn(X, y))
    assert np.allclose(got, expected), f"on flights expected {expected.round(5)}, got {got}"
    n, p = int(rng.integers(40, 300)), int(rng.integers(2, 7))
    X, y = rng.normal(size=(n, p)) * rng.uniform(0.1, 10, p), rng.normal(size=n)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    got = np.asarray(fn(X, y))
    assert got.shape == expected.shape and np.allclose(got, expected), (
        f"on a random {n} x {p} design expected {expected.round(4)}, got {np.round(got, 4)}"
    )
    t = rng.uniform(0, 1000, 500)
    X = np.column_stack([np.ones(500), t, t + 1e-4 * rng.normal(size=500)])
    y = X @ rng.uniform(-3, 3, 3) + rng.normal(scale=0.1, size=500)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    got = np.asarray(fn(X, y))
    gap = np.abs(got - expected).max() / np.abs(expected).max()
    assert gap < 1e-6, (
        f"on nearly collinear columns (cond {np.linalg.cond(X):.1e}) your answer is off by "
        f"{gap:.1e} (relative); did you use the normal equations? they square cond(X)"
    )


@CHECKS.exercise(forbidden=("module02_foundations.linalg.pca_svd",))
def check_explained_variance_ratio(fn: Callable[..., object]) -> None:
    """PCA works on centred columns; np.linalg.svd can skip U and V; a variance is a squared
    quantity
    """
    rng = check_rng()
    X = linalg.weather_matrix(course_table("weather").sample(3_000, random_state=rng))
    expected = PCA().fit(X).explained_variance_ratio_
    got = np.asarray(fn(X))
    assert got.shape == expected.shape, f"expected {len(expected)} ratios, got shape {got.shape}"
    assert np.allclose(got, expected), f"expected {expected.round(4)}, got {got.round(4)}"
    p = int(rng.integers(3, 6))
    shifted = rng.normal(size=(200, p)) * rng.uniform(0.5, 5, p) + rng.uniform(50, 150, p)
    expected = PCA().fit(shifted).explained_variance_ratio_
    assert np.allclose(fn(shifted), expected), (
        f"on random data whose columns have means near 100 expected {expected.round(4)}: "
        "centre the columns first"
    )


@CHECKS.exercise(forbidden=("module02_foundations.probability.conditional_rates",))
def check_late_rate_given(fn: Callable[..., object]) -> None:
    """leave out the flights without arr_delay, then keep the rows of that value; 'late' is strictly
    more than late_minutes
    """
    tiny = pd.DataFrame({"hour": [7, 7, 7, 9], "arr_delay": [30.0, np.nan, 0.0, 60.0]})
    got = fn(tiny, "hour", 7)
    assert np.isclose(got, 0.5), (
        f"hour 7: one late, one on time, one cancelled -> expected 0.5, got {got}"
    )
    rng = check_rng()
    flights = _sample(rng)
    for column, minutes in zip(
        ("hour", "origin", "carrier"), rng.permutation([15, 30, 60]), strict=True
    ):
        minutes = int(minutes)
        flights["arr_delay"] = flights["arr_delay"].mask(rng.random(len(flights)) < 0.03, minutes)
        arrived = flights.loc[flights["arr_delay"].notna(), column]
        value = rng.choice(arrived.astype(object).unique())  # a value with arrived flights
        chosen = flights[(flights[column] == value) & flights["arr_delay"].notna()]
        expected = float((chosen["arr_delay"].to_numpy() > minutes).mean())
        got = fn(flights, column, value, late_minutes=minutes)
        assert np.isclose(got, expected), (
            f"P(late | {column} = {value}, late_minutes={minutes}) on {len(flights)} random "
            f"flights (some exactly {minutes} minutes late): expected {expected:.4f}, got {got}"
        )


@CHECKS.exercise(
    forbidden=(
        "module02_foundations.probability.bootstrap_ci",
        "module02_foundations.probability.bootstrap_distribution",
    )
)
def check_bootstrap_mean_ci(fn: Callable[..., object]) -> None:
    """resample with replacement at the original size from a default_rng(seed); the interval is two
    quantiles of the resampled means, not mean ± 2 standard errors
    """
    rng = check_rng()
    x = probability.late_labels(_sample(rng, 400, 900)).to_numpy(float)
    seed = int(rng.integers(1_000))
    low, high = fn(x, seed=seed)
    assert (low, high) == tuple(fn(x, seed=seed)), "the same seed must give the same interval"
    ref = stats.bootstrap((x,), np.mean, method="percentile", n_resamples=4000, rng=rng)
    ref_low, ref_high = ref.confidence_interval
    width = ref_high - ref_low
    assert abs(low - ref_low) < 0.12 * width and abs(high - ref_high) < 0.12 * width, (
        f"scipy's percentile interval is ({ref_low:.4f}, {ref_high:.4f}), got ({low:.4f}, "
        f"{high:.4f})"
    )
    n_low, n_high = fn(x, seed=seed, confidence=0.5)
    assert high - low > n_high - n_low, "a 50 % interval must be narrower than a 95 % one"
    level = float(rng.uniform(0.6, 0.9))
    ref = stats.bootstrap((x,), np.mean, method="percentile", confidence_level=level,
                          n_resamples=4000, rng=rng).confidence_interval  # fmt: skip
    m_low, m_high = fn(x, seed=seed, confidence=level)
    width = ref.high - ref.low
    assert abs(m_low - ref.low) < 0.12 * width and abs(m_high - ref.high) < 0.12 * width, (
        f"at confidence {level:.2f} scipy's interval is ({ref.low:.4f}, {ref.high:.4f}), got "
        f"({m_low:.4f}, {m_high:.4f})"
    )
    skewed = np.zeros(int(rng.integers(15, 30)))
    skewed[rng.integers(len(skewed))] = rng.uniform(50, 500)  # one long delay, the rest 0
    s_low, s_high = fn(skewed)
    ref = stats.bootstrap((skewed,), np.mean, method="percentile", rng=rng).confidence_interval
    assert s_low >= 0 and abs(s_low - ref.low) < 0.08 * (ref.high - ref.low), (
        f"on {len(skewed)} delays, all 0 but one of {skewed.max():.0f} minutes, scipy gives "
        f"({ref.low:.2f}, {ref.high:.2f}), got ({s_low:.2f}, {s_high:.2f}): a resampled mean "
        "is never below 0 here; take quantiles of the resampled means, not mean ± 2 se"
    )
    # Values far from 0 at a random place: an interval remembered from another run is off.
    shifted = rng.gamma(2.0, 15.0, int(rng.integers(80, 200))) + rng.uniform(-1e5, 1e5)
    f_low, f_high = fn(shifted, seed=seed)
    ref = stats.bootstrap((shifted,), np.mean, method="percentile", n_resamples=4000,
                          rng=rng).confidence_interval  # fmt: skip
    width = ref.high - ref.low
    assert abs(f_low - ref.low) < 0.12 * width and abs(f_high - ref.high) < 0.12 * width, (
        f"on {len(shifted)} skewed values around {shifted.mean():.1f}, scipy's interval is "
        f"({ref.low:.2f}, {ref.high:.2f}), got ({f_low:.2f}, {f_high:.2f})"
    )


@CHECKS.exercise(forbidden=("module02_foundations.probability.permutation_test",))
def check_permutation_p_value(fn: Callable[..., object]) -> None:
    """two-sided: compare absolute gaps, and a shuffle that ties the observed gap counts as extreme;
    the observed split is one of the possible shuffles, so the p-value can never be 0
    """
    rng = check_rng()
    a = np.round(rng.normal(30, 20, 6))
    b = np.round(rng.normal(5, 10, 6)) * rng.choice([1, -1])
    exact = stats.permutation_test(
        (a, b), lambda x, y, axis: x.mean(axis) - y.mean(axis), vectorized=True
    ).pvalue
    got = fn(a, b)
    assert abs(got - exact) < 0.015, (
        f"a={a.tolist()}, b={b.tolist()}: scipy's exact p-value is {exact:.4f}, got {got}"
    )
    swapped = fn(b, a)
    assert abs(swapped - got) < 0.015, (
        f"two-sided: swapping the groups must not change the p-value, got {got} and {swapped}"
    )
    same = rng.normal(size=60)
    got = fn(same[:30], same[30:], n_resamples=2000)
    exact = probability.permutation_test(same[:30], same[30:], 20_000, seed=5).p_value
    assert abs(got - exact) < 0.04, (
        f"two groups from one distribution: expected ~{exact:.3f}, got {got}"
    )
    # Two edge cases whose p-values are known exactly, so no single number passes both.
    tied = np.round(rng.normal(10, 30, int(rng.integers(8, 20))))  # whole minutes
    got = fn(tied, rng.permutation(tied), n_resamples=500)
    assert abs(got - 1) < 1e-9, (
        f"both groups hold the same {len(tied)} values (gap 0): every shuffle is at least as "
        f"extreme as the observed split, so the p-value is 1 (count ties), got {got}"
    )
    n = int(rng.integers(20, 40))  # so no shuffle is as extreme as the observed split
    far = fn(np.arange(float(n)), np.arange(float(n)) + 100, n_resamples=999)
    assert far >= 1 / 1000, f"a p-value is never 0: count the observed split too, got {far}"
    assert far <= 2 / 1000, (
        f"groups 100 apart: only the observed split is as extreme, so with 999 shuffles the "
        f"p-value is 1/1000, got {far}"
    )


@CHECKS.exercise(forbidden=("module02_foundations.complexity.hash_join",))
def check_hash_join_count(fn: Callable[..., object]) -> None:
    """a dict of counts built from one side; repeated keys multiply (2 x 2 = 4 pairs), so a set is
    not enough
    """
    left, right = ["a", "b", "b", "c", "d"], ["b", "b", "c", "e"]
    expected = len(pd.DataFrame({"k": left}).merge(pd.DataFrame({"k": right}), on="k"))
    got = fn(left, right)
    assert got == expected, (
        f"b twice on each side makes 4 pairs, plus c: expected {expected}, got {got}"
    )
    rng = check_rng()
    keys = [f"k{i}" for i in range(int(rng.integers(5, 40)))]
    left = rng.choice(keys, int(rng.integers(20, 200))).tolist()
    right = rng.choice(keys, int(rng.integers(20, 200))).tolist()
    flights = _sample(rng, 5_000, 20_000)
    cases = [(left, right), (flights["tailnum"].dropna().astype(str).tolist(),
                             course_table("planes")["tailnum"].astype(str).tolist())]  # fmt: skip
    for lk, rk in cases:
        expected = len(pd.DataFrame({"k": lk}).merge(pd.DataFrame({"k": rk}), on="k"))
        got = fn(lk, rk)
        assert got == expected, (
            f"{len(lk)} x {len(rk)} random keys: expected {expected} pairs, got {got}"
        )


@CHECKS.exercise(forbidden=("module02_foundations.complexity.fit_loglog_slope",))
def check_loglog_slope(fn: Callable[..., object]) -> None:
    """a power law is a straight line once both axes are logarithms; np.polyfit returns the highest
    power first
    """
    rng = check_rng()
    for _ in range(3):
        sizes = np.sort(rng.uniform(100, 10_000, int(rng.integers(4, 9))))
        exponent, scale = rng.uniform(0.5, 2.5), rng.uniform(1e-8, 1e-5)
        times = scale * sizes**exponent * rng.lognormal(0.0, 0.05, len(sizes))
        expected = stats.linregress(np.log(sizes), np.log(times)).slope
        got = fn(sizes, times)
        assert np.isclose(got, expected), (
            f"random sizes, time ~ size^{exponent:.2f}: expected slope {expected:.4f}, got {got}"
        )


@CHECKS.exercise(forbidden=("module02_foundations.optimize.loss_and_gradient",))
def check_logistic_gradient(fn: Callable[..., object]) -> None:
    """differentiate the mean log loss: the sigmoid's derivative cancels nicely; mind the sign of (p
    - y) and the 1/n
    """
    rng = check_rng()
    X, y = optimize.make_classification_data(_sample(rng, 2_000, 4_000))
    X1 = optimize.add_intercept(optimize.standardize(X)[0])
    zero = np.zeros(X1.shape[1])
    expected = X1.T @ (0.5 - y) / len(y)
    got = np.asarray(fn(zero, X1, y))
    assert np.allclose(got, expected), (
        f"at w = 0 every p is 0.5: expected {expected.round(4)}, got {np.round(got, 4)}"
    )
    w = rng.uniform(-1, 1, X1.shape[1])
    numeric = approx_fprime(w, lambda v: log_loss(y, expit(X1 @ v)), 1e-6)
    got = np.asarray(fn(w, X1, y))
    assert np.allclose(got, numeric, atol=1e-5), (
        f"at random w, finite differences of sklearn's log_loss give {numeric.round(4)}, got "
        f"{np.round(got, 4)} (divide by n: the loss is a mean)"
    )


# Notebook 05 (theory of computation). Every input is drawn from check_rng(), so a function
# that returns a fixed answer, or replays another run's, fails.


def _random_dfa(rng: np.random.Generator) -> automata.DFA:
    """A small DFA over "abc" whose rows miss some characters, with a random start state."""
    n = int(rng.integers(2, 7))
    table = tuple({c: int(rng.integers(n)) for c in "abc" if rng.random() < 0.8} for _ in range(n))
    accepting = frozenset(int(s) for s in np.flatnonzero(rng.random(n) < 0.4))
    return automata.DFA(int(rng.integers(n)), accepting, table)


def _texts(rng: np.random.Generator, chars: list[str], longest: int, count: int) -> list[str]:
    return ["".join(rng.choice(chars, int(rng.integers(0, longest + 1)))) for _ in range(count)]


@CHECKS.exercise(forbidden=("module02_foundations.automata.DFA.accepts",))
def check_dfa_accepts(fn: Callable[..., object]) -> None:
    """keep one current state: each character moves it along that state's row, and a character the
    row lacks rejects at once; at the end only the last state counts
    """
    rng = check_rng()
    low = int(rng.integers(2, 6))
    high = low + int(rng.integers(0, 4))
    patterns = (rf"^[A-Z0-9]{{{low},{high}}}$", r"^([01][0-9]|2[0-3])[0-5][0-9]$", r"(ab|a)*c+")
    for pattern in patterns:
        dfa = automata.compile_regex(pattern)
        chars = sorted({c for c in pattern if c.isalnum()}) * 3 + list("N9xb_-")
        for text in _texts(rng, chars, high + 2, 300):
            expected = bool(re.fullmatch(pattern, text))
            got = fn([dict(row) for row in dfa.table], dfa.start, set(dfa.accepting), text)
            assert got == expected, (
                f"the DFA of {pattern!r} on {text!r}: expected {expected}, got {got}"
            )
    table = [{"a": 1}, {"a": 1}]  # only 'a' is known: any other character rejects
    got = fn(table, 0, {1}, "ab")
    assert got is False, f"a character missing from the row must reject: expected False, got {got}"
    got = fn(table, 0, {0}, "")
    assert got is True, f"the empty text is accepted when start accepts: expected True, got {got}"
    for _ in range(20):
        dfa = _random_dfa(rng)
        table = [dict(row) for row in dfa.table]
        for text in _texts(rng, list("abc"), 6, 30):
            expected = dfa.accepts(text)
            got = fn(table, dfa.start, set(dfa.accepting), text)
            assert got == expected, (
                f"random DFA {table}, start {dfa.start}, accepting {set(dfa.accepting)} on "
                f"{text!r}: expected {expected}, got {got}"
            )


def _most_present(start: np.ndarray, end: np.ndarray) -> int:
    """The most flights holding a gate at once, by brute force at every start time."""
    return max(int(((start <= t) & (t < end)).sum()) for t in start)


@CHECKS.exercise(
    forbidden=(
        "module02_foundations.gates._colour_intervals",
        "module02_foundations.gates.solve_greedy",
        "module02_foundations.gates.solve_milp",
        "module02_foundations.gates.solve_exhaustive",
    )
)
def check_gates_needed(fn: Callable[..., object]) -> None:
    """turn each flight into an arrival event and a departure event; sweep them in time order,
    departures first at equal times (a gate freed at t serves a flight at t), and keep the highest
    count of flights present
    """
    rng = check_rng()
    sizes = (1, int(rng.integers(2, 10)), int(rng.integers(20, 60)), int(rng.integers(200, 400)))
    for n in sizes:
        span = int(rng.choice([90, 24 * 60]))  # a short span makes equal times common
        start = rng.integers(0, span, n)
        end = start + rng.integers(1, 120, n)
        expected = _most_present(start, end)
        got = fn(start, end)
        assert got == expected, (
            f"{n} random flights over {span} minutes: expected {expected} gates, got {got}"
        )
    got = fn(np.array([0, 30]), np.array([30, 60]))
    assert got == 1, f"a flight leaving at 30 frees its gate for one at 30: expected 1, got {got}"
    k = int(rng.integers(3, 9))  # a chain: each flight arrives the minute the previous leaves
    bounds = np.cumsum(rng.integers(5, 90, k + 1)) + int(rng.integers(0, 600))
    got = fn(bounds[:-1], bounds[1:])
    assert got == 1, (
        f"{k} flights, each arriving the minute the previous one leaves ({bounds.tolist()}): "
        f"one gate serves them all, expected 1, got {got}"
    )


@CHECKS.exercise(
    forbidden=(
        "module02_foundations.decidability.collatz_steps",
        "module02_foundations.decidability.collatz_program",
        "module02_foundations.decidability.halts_within",
    )
)
def check_collatz_steps(fn: Callable[..., object]) -> None:
    """count the steps as you take them and ask before each one whether the budget is spent; n = 1
    needs no step at all, whatever the budget
    """
    got = fn(1, 0)
    assert got == 0, (
        f"collatz_steps(1, 0): 1 needs no step, even with no budget: expected 0, got {got}"
    )
    rng = check_rng()
    for n in [2, 27, *rng.integers(3, 10**6, 40).tolist()]:
        expected = decidability.collatz_steps(int(n))
        budgets = {expected: expected, expected + int(rng.integers(1, 50)): expected,
                   expected - 1: None, int(rng.integers(0, expected)): None}  # fmt: skip
        for budget, want in budgets.items():
            got = fn(int(n), budget)
            assert got == want, (
                f"collatz_steps({n}, {budget}): {n} needs {expected} steps, so expected "
                f"{want}, got {got}"
            )

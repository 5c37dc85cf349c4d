"""Module 02 exercises: fill in each function, then run ``labs check 2``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 2`` (or ``show_results(2)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def tailnums_without_plane(flights: pd.DataFrame, planes: pd.DataFrame) -> set[str]:
    """Return the set of distinct tail numbers in ``flights`` that are absent from ``planes``.

    Notebook 01. A set difference: flights' tail numbers minus planes' tail numbers.
    Leave missing tail numbers out (a missing value is not a plane). Plain ``str`` items.
    """
    # TODO: two sets of plain strings (leave missing tail numbers out), then subtract
    raise NotImplementedError


def airport_degrees(flights: pd.DataFrame) -> pd.Series:
    """Return, for every airport, how many distinct airports it is linked to by a route.

    Notebook 01. Treat a route as an undirected edge (EWR-ATL links ATL to EWR too) and
    count each neighbour once, however many flights fly the route. Index: airport codes.
    """
    # TODO: distinct (origin, dest) pairs, add the reversed pairs, count per airport
    raise NotImplementedError


def least_squares_qr(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the least-squares coefficients b minimising ||X b - y|| using a QR factorisation.

    Notebook 02. Factor X = QR (``np.linalg.qr``), then solve the triangular system
    R b = Qᵀ y (``scipy.linalg.solve_triangular``). Do not call ``lstsq``: that is the check.
    """
    # TODO: Q, R = np.linalg.qr(X); then solve R b = Q.T @ y
    raise NotImplementedError


def explained_variance_ratio(X: np.ndarray) -> np.ndarray:
    """Return the share of variance along each principal component of ``X``, largest first.

    Notebook 02. Centre the columns, take the singular values s (``np.linalg.svd``);
    the variance along component i is proportional to s_i squared.
    """
    # TODO: centre the columns, take the singular values, turn them into shares of variance
    raise NotImplementedError


def late_rate_given(
    flights: pd.DataFrame, column: str, value: object, late_minutes: int = 15
) -> float:
    """Return P(late | ``column`` == ``value``): the late share among such arrived flights.

    Notebook 03. Leave flights with a missing ``arr_delay`` out; late means
    ``arr_delay > late_minutes``.
    """
    # TODO: keep arrived flights, keep rows where column == value, mean of arr_delay > late
    raise NotImplementedError


def bootstrap_mean_ci(
    values: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Return a percentile bootstrap confidence interval ``(low, high)`` for the mean.

    Notebook 03. Draw ``n_resamples`` samples with replacement, of the same size as
    ``values``, from ``np.random.default_rng(seed)``; take the mean of each; return the
    (1 - confidence) / 2 and 1 - (1 - confidence) / 2 quantiles of those means.
    """
    # TODO: resample with the seeded generator in a loop, keep each mean, then two quantiles
    raise NotImplementedError


def permutation_p_value(
    a: np.ndarray, b: np.ndarray, n_resamples: int = 5000, seed: int = 0
) -> float:
    """Return the two-sided permutation-test p-value for a difference of means.

    Notebook 03. Shuffle the pooled values ``n_resamples`` times, split them into groups
    of the original sizes, and count shuffles whose |mean gap| is at least the observed
    one; return (1 + count) / (1 + n_resamples).
    """
    # TODO: pool the two groups, shuffle and split them in a loop, count extreme gaps
    raise NotImplementedError


def hash_join_count(left: list[str], right: list[str]) -> int:
    """Return how many (left, right) pairs have equal keys, in O(len(left) + len(right)).

    Notebook 04. Build a dict key -> number of times it appears in ``right``, then add
    up the counts of the left keys. Keys repeated on both sides multiply, as in SQL.
    """
    # TODO: counts = {}; one loop over right, one loop over left
    raise NotImplementedError


def loglog_slope(sizes: np.ndarray, values: np.ndarray) -> float:
    """Return the exponent k of a power law value ≈ c · size^k fitted on log-log axes.

    Notebook 04. Take logs of both, fit a straight line by least squares, return its slope.
    """
    # TODO: take logs of both axes and fit a straight line (np.polyfit); return its slope
    raise NotImplementedError


def logistic_gradient(w: np.ndarray, X1: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Return the gradient of the mean log loss of logistic regression at weights ``w``.

    Notebook 04. ``X1`` already has a column of ones; p = sigmoid(X1 @ w); the gradient
    is X1ᵀ (p - y) / n.
    """
    # TODO: the predicted probabilities first, then the formula of the docstring
    raise NotImplementedError


def dfa_accepts(table: list[dict[str, int]], start: int, accepting: set[int], text: str) -> bool:
    """Return True when the DFA ``(table, start, accepting)`` accepts ``text``.

    Notebook 05. ``table[state][char]`` is the next state; a character missing from a
    state's row rejects the text at once. One look-up per character, nothing else kept.
    """
    # TODO: keep one current state; each character moves it along that state's row (a
    # character the row lacks rejects at once); the last state decides
    raise NotImplementedError


def gates_needed(start: np.ndarray, end: np.ndarray) -> int:
    """Return the fewest identical gates that serve every flight: the most present at once.

    Notebook 05. Flight ``i`` holds a gate over ``[start[i], end[i])``: a flight leaving at
    minute 600 frees its gate for one arriving at 600. Sort the events and sweep.
    """
    # TODO: one event per arrival, one per departure; sweep them in time order (departures
    # first at equal times) counting the flights present; return the highest count
    raise NotImplementedError


def collatz_steps(n: int, budget: int) -> int | None:
    """Return how many Collatz steps take ``n`` to 1, or None when ``budget`` steps are not enough.

    Notebook 05. One step: n // 2 if n is even, 3 * n + 1 if odd. ``collatz_steps(1, b)``
    is 0 for any budget; with ``budget`` b, return None if 1 is not reached after b steps.
    """
    # TODO: count the steps until n reaches 1; before each step, give up (None) if the
    # budget is spent
    raise NotImplementedError

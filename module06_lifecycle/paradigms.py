"""Lesson 01, programming paradigms: one question about late flights, written four ways.

Why it matters: ML code starts as notebook cells (a script: statements over global
variables), and most of it should not stay there. A *function* names the question and its
parameters and can be tested; a *class* keeps state that must survive between calls (what a
model learned in ``fit``, a count kept over a stream); a *pipeline* composes small steps so
the same chain runs in training and in serving. This file holds the lesson's examples of
each, small enough to read in one sitting.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import FunctionTransformer, Pipeline

from labs_common.label import is_late, resolve_minutes

#: A notebook's cells, as text, to show hidden state: run them in another order and the
#: answer changes, although no cell did.
CELLS = [
    "late_minutes = 15",
    "late = [d > late_minutes for d in delays]",
    "late_minutes = 60",
    "share = sum(late) / len(late)",
]


def run_cells(cells: Sequence[str], order: Sequence[int], **inputs: object) -> dict:
    """Execute ``cells`` in ``order`` in one fresh namespace (as a kernel does); return it.

    Why it matters: a notebook's result depends on the order its cells *ran*, which the
    saved file does not record. A function has no such history: same inputs, same answer.

    Example:
        >>> run_cells(CELLS, [0, 1, 2, 3], delays=[10, 30, 90])["share"]
        0.6666666666666666
        >>> run_cells(CELLS, [0, 2, 1, 3], delays=[10, 30, 90])["share"]
        0.3333333333333333
    """
    namespace: dict = dict(inputs)
    for i in order:
        exec(cells[i], namespace)  # a teaching device: this is what a kernel does
    namespace.pop("__builtins__", None)
    return namespace


def daily_late_share(
    flights: pd.DataFrame, late_minutes: int | None = None, window: int = 7
) -> pd.DataFrame:
    """Return, per day, the flights, the share of arrived flights that were late, and its
    rolling mean over ``window`` days: the notebook cell of lesson 01, refactored.

    Why it matters: the cell it replaces hard-coded 15 minutes and 7 days, read a global
    frame and could not be tested. As a function it states its inputs, leaves ``flights``
    untouched, and has a test (``tests/test_paradigms.py``).

    Args:
        flights: raw flights with ``year``, ``month``, ``day`` and ``arr_delay``.
        late_minutes: a flight is late when it arrives more than this many minutes late
            (None: ``features.late_minutes`` of params.yaml).
        window: days in the centred rolling mean (1 = no smoothing).

    Returns:
        One row per date (index ``date``): ``flights`` (scheduled), ``late_share``
        (late / arrived) and ``rolling_late_share``.

    Raises:
        ValueError: ``window`` below 1.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 day, got {window}")
    date = pd.to_datetime(flights[["year", "month", "day"]].astype("int64"))
    delay = flights["arr_delay"]
    frame = pd.DataFrame(
        {"date": date, "arrived": delay.notna(), "late": is_late(delay, late_minutes)}
    )
    out = frame.groupby("date").agg(
        flights=("arrived", "size"), arrived=("arrived", "sum"), late=("late", "sum")
    )
    share = out["late"] / out["arrived"]
    return pd.DataFrame(
        {
            "flights": out["flights"],
            "late_share": share,
            "rolling_late_share": share.rolling(window, center=True, min_periods=1).mean(),
        }
    )


class RateClassifier(ClassifierMixin, BaseEstimator):
    """Predict the late share of each value of one column, learned in ``fit``.

    Why it matters: this is why ML code has classes. ``fit`` learns state (a rate per
    carrier, say) that ``predict_proba`` must reuse later, on other flights, perhaps in
    another process. Following scikit-learn's API (parameters in ``__init__``, learned
    attributes ending in ``_``) makes it work with ``clone``, ``Pipeline`` and search.

    Args:
        column: the column whose values get a rate (``carrier``, ``origin``, ``dep_hour``).
        smoothing: pseudo-count pulling rare values toward the overall rate.
    """

    def __init__(self, column: str = "carrier", smoothing: float = 20.0) -> None:
        self.column = column
        self.smoothing = smoothing

    def fit(self, X: pd.DataFrame, y: Sequence[int]) -> RateClassifier:
        """Learn ``prior_`` (the overall rate) and ``rates_`` (smoothed, per value)."""
        if self.smoothing < 0:
            raise ValueError(f"smoothing must be >= 0, got {self.smoothing}")
        target = pd.Series(np.asarray(y, dtype=float), index=X.index)
        self.classes_ = np.array([0, 1])
        self.prior_ = float(target.mean())
        stats = target.groupby(X[self.column].astype(str)).agg(["sum", "size"])
        self.rates_ = (stats["sum"] + self.smoothing * self.prior_) / (
            stats["size"] + self.smoothing
        )
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Return ``[P(on time), P(late)]`` per row; an unseen value gets ``prior_``."""
        late = X[self.column].astype(str).map(self.rates_).fillna(self.prior_).to_numpy()
        return np.column_stack([1 - late, late])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """Return 1 where the late probability is at least 0.5."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def add_dep_hour(flights: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with ``dep_hour``, the scheduled departure hour (0-23).

    Example:
        >>> add_dep_hour(pd.DataFrame({"sched_dep_time": [545, 1730]}))["dep_hour"].tolist()
        [5, 17]
    """
    return flights.assign(dep_hour=flights["sched_dep_time"] // 100)


def build_rate_pipeline(column: str = "dep_hour", smoothing: float = 20.0) -> Pipeline:
    """Chain a feature step and a :class:`RateClassifier` into one scikit-learn Pipeline.

    Why it matters: the pipeline *is* the model that gets saved and served, so the feature
    step cannot be forgotten or done differently at prediction time.
    """
    return Pipeline(
        [
            ("features", FunctionTransformer(add_dep_hour)),
            ("rate", RateClassifier(column, smoothing)),
        ]
    )


def late_share_loop(delays: Sequence[float], late_minutes: int | None = None) -> float:
    """Late share of arrived flights, written as an explicit Python loop (imperative).

    A lesson: this and :func:`late_share_vectorised` write the label rule out on purpose;
    ``tests/test_label_rule.py`` pins both to :mod:`labs_common.label`.
    """
    late_minutes = resolve_minutes(late_minutes)
    late = arrived = 0
    for d in delays:
        if d == d:  # NaN is the only value not equal to itself: a cancelled flight
            arrived += 1
            late += d > late_minutes
    return late / arrived if arrived else float("nan")


def late_share_vectorised(delays: np.ndarray, late_minutes: int | None = None) -> float:
    """The same late share as whole-array operations (NumPy runs the loop in C)."""
    late_minutes = resolve_minutes(late_minutes)
    delays = np.asarray(delays, dtype=float)
    arrived = ~np.isnan(delays)
    return float((delays[arrived] > late_minutes).mean()) if arrived.any() else float("nan")


def time_loop_vs_array(delays: np.ndarray, sizes: Sequence[int], repeats: int = 3) -> pd.DataFrame:
    """Time :func:`late_share_loop` against :func:`late_share_vectorised` on growing slices.

    Returns:
        One row per size: ``flights``, ``loop_s``, ``array_s`` (best of ``repeats``) and
        ``speedup`` (loop / array).
    """
    from module06_lifecycle.benchmark import best_time

    rows = []
    for n in sizes:
        part = np.asarray(delays[:n], dtype=float)
        as_list = part.tolist()
        loop_s = best_time(lambda as_list=as_list: late_share_loop(as_list), repeats)
        array_s = best_time(lambda part=part: late_share_vectorised(part), repeats)
        rows.append({"flights": len(part), "loop_s": loop_s, "array_s": array_s})
    table = pd.DataFrame(rows)
    return table.assign(speedup=table["loop_s"] / table["array_s"])

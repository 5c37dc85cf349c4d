"""Theory of computation, measured: the cost of a join grows as O(n·m) or O(n + m).

Lesson: module 02, notebook 04. Joining flights to planes by ``tailnum`` can compare every
pair (nested loop: n·m comparisons) or build a hash table on one side and probe it with the
other (n + m operations); DuckDB runs a parallel hash join in C++ (timed on tables already
inside it, or including the copy from Python). We count operations exactly, time each
method on growing sizes, and read the exponent off a log-log plot: time ≈ c·n^k is a
straight line of slope k. Tests assert on results and counts, never on wall time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

DuckDB = duckdb.DuckDBPyConnection

METHODS = ("nested_loop", "hash", "duckdb")
TIMED_METHODS = (*METHODS, "duckdb_with_copy")


@dataclass(frozen=True)
class JoinCount:
    """How many (left, right) pairs matched, and how many basic operations it took."""

    matches: int
    operations: int


def nested_loop_join(left: Sequence[object], right: Sequence[object]) -> JoinCount:
    """Count matching pairs by comparing every left key with every right key.

    Why it matters: two nested loops are the obvious algorithm and need exactly
    len(left)·len(right) comparisons: double both tables and it is four times slower.
    """
    matches = operations = 0
    for a in left:
        for b in right:
            operations += 1
            if a == b:
                matches += 1
    return JoinCount(matches, operations)


def hash_join(left: Sequence[object], right: Sequence[object]) -> JoinCount:
    """Count matching pairs with a hash table: build on ``right``, probe with ``left``.

    Why it matters: a dict lookup costs O(1) on average, so the join costs one insert per
    right row plus one lookup per left row, n + m; databases do this for equality joins.
    """
    counts: dict[object, int] = {}
    for b in right:
        counts[b] = counts.get(b, 0) + 1
    matches = 0
    for a in left:
        matches += counts.get(a, 0)
    return JoinCount(matches, len(right) + len(left))


@contextmanager
def duckdb_tables(left: Sequence[object], right: Sequence[object]) -> Iterator[DuckDB]:
    """Open an in-memory DuckDB holding the keys as tables ``l(k)`` and ``r(k)``.

    Why it matters: copying data into a database costs time too; timing the query on
    tables already inside (as in the warehouse of module 03) separates the two costs.
    """
    with duckdb.connect() as con:
        for name, keys in (("l", left), ("r", right)):
            con.register("keys_frame", pd.DataFrame({"k": pd.Series(list(keys), dtype="string")}))
            con.execute(f"CREATE TABLE {name} AS SELECT k FROM keys_frame")
            con.unregister("keys_frame")
        yield con


def count_in_duckdb(con: DuckDB) -> JoinCount:
    """Count matching pairs of tables ``l`` and ``r`` with DuckDB (operations hidden: -1)."""
    (matches,) = con.execute("SELECT count(*) FROM l JOIN r USING (k)").fetchone()
    return JoinCount(int(matches), -1)


def duckdb_join(left: Sequence[object], right: Sequence[object]) -> JoinCount:
    """Copy the keys into DuckDB and count matching pairs with its hash join.

    Why it matters: the same algorithm as :func:`hash_join`, compiled and parallel; it
    pays a fixed start-up cost per query, so it wins only once tables are big enough.
    """
    with duckdb_tables(left, right) as con:
        return count_in_duckdb(con)


JOINS: dict[str, Callable[[Sequence[object], Sequence[object]], JoinCount]] = {
    "nested_loop": nested_loop_join,
    "hash": hash_join,
    "duckdb": duckdb_join,
}


def time_best(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Run ``fn`` ``repeat`` times; return the fastest wall time (s) and the last result.

    Why it matters: other programs steal the CPU now and then; the minimum of a few runs
    is the least noisy estimate of what the code itself costs.
    """
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return float(best), result


def sample_keys(values: pd.Series, n: int, seed: int = 0) -> list[str]:
    """Return ``n`` non-missing keys drawn without replacement, as plain Python strings."""
    pool = values.dropna().astype(str).to_numpy()
    if n > len(pool):
        raise ValueError(f"asked for {n} keys but only {len(pool)} are available")
    return np.random.default_rng(seed).choice(pool, size=n, replace=False).tolist()


def time_join(
    method: str, left: Sequence[object], right: Sequence[object], repeat: int = 3
) -> tuple[float, JoinCount]:
    """Return the best time of one join method and its result.

    ``"duckdb"`` times the query alone, on tables already loaded into the database;
    ``"duckdb_with_copy"`` also times copying the Python keys into DuckDB.
    """
    if method not in TIMED_METHODS:
        raise ValueError(f"unknown method {method!r}; possible values are: {TIMED_METHODS}")
    if method == "duckdb":
        with duckdb_tables(left, right) as con:
            return time_best(lambda: count_in_duckdb(con), repeat)  # type: ignore[return-value]
    fn = duckdb_join if method == "duckdb_with_copy" else JOINS[method]
    return time_best(lambda: fn(left, right), repeat)  # type: ignore[return-value]


def measure_joins(
    left: pd.Series,
    right: pd.Series,
    sizes: Sequence[int],
    methods: Sequence[str] = METHODS,
    right_size: int | None = None,
    repeat: int = 3,
) -> pd.DataFrame:
    """Time each join method on samples of ``n`` left keys and ``n`` (or ``right_size``) right keys.

    Why it matters: a table of (n, method, seconds, operations, matches) is the raw
    material of a complexity claim; every method must find the same number of matches.
    """
    unknown = set(methods) - set(TIMED_METHODS)
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}; possible values are: {TIMED_METHODS}")
    rows = []
    for n in sizes:
        lk, rk = sample_keys(left, n, seed=n), sample_keys(right, right_size or n, seed=n + 1)
        for method in methods:
            seconds, count = time_join(method, lk, rk, repeat)
            rows.append({"n": n, "method": method, "seconds": seconds,
                         "operations": count.operations, "matches": count.matches})  # fmt: skip
        log.info("n=%d: %d matches", n, rows[-1]["matches"])
    return pd.DataFrame(rows)


def fit_loglog_slope(sizes: Sequence[float], values: Sequence[float]) -> float:
    """Fit log(value) = k·log(size) + c by least squares and return the exponent k.

    Example:
        >>> round(fit_loglog_slope([10, 100, 1000], [3e2, 3e4, 3e6]), 6)
        2.0
    """
    x, y = np.asarray(sizes, float), np.asarray(values, float)
    if len(x) < 2 or not (np.all(x > 0) and np.all(y > 0)):
        raise ValueError(f"need at least two positive sizes and values, got {x} and {y}")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def slopes_by_method(table: pd.DataFrame, column: str = "seconds") -> pd.Series:
    """Return the log-log slope of ``column`` against n for each method in ``table``."""
    usable = table[table[column] > 0]
    return usable.groupby("method", sort=False).apply(
        lambda g: fit_loglog_slope(g["n"], g[column]), include_groups=False
    )


def plot_join_timings(
    table: pd.DataFrame, ax: plt.Axes | None = None, xlabel: str = "rows on each side (n)"
) -> plt.Axes:
    """Plot seconds against n on log-log axes, one line per method, slope in the legend."""
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    slopes = slopes_by_method(table)
    for method, group in table.groupby("method", sort=False):
        ax.loglog(group["n"], group["seconds"], marker="o",
                  label=f"{method} (slope {slopes[method]:.2f})")  # fmt: skip
    ax.set(xlabel=xlabel, ylabel="best time (s)", title="Join time vs size")
    ax.legend()
    return ax

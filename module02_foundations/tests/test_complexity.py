"""Tests of module02_foundations.complexity: results and operation counts, never wall time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from module02_foundations import complexity as cx

LEFT = ["a", "b", "b", "c", "d"]
RIGHT = ["b", "b", "c", "e"]  # b twice on both sides: 2 x 2 = 4 pairs, plus c: 5 matches


@pytest.mark.parametrize("method", cx.METHODS)
def test_join_counts_duplicates_like_pandas_merge(method: str) -> None:
    expected = len(pd.DataFrame({"k": LEFT}).merge(pd.DataFrame({"k": RIGHT}), on="k"))
    assert cx.JOINS[method](LEFT, RIGHT).matches == expected == 5


def test_join_operation_counts_are_exact() -> None:
    assert cx.nested_loop_join(LEFT, RIGHT).operations == len(LEFT) * len(RIGHT)
    assert cx.hash_join(LEFT, RIGHT).operations == len(LEFT) + len(RIGHT)
    assert cx.nested_loop_join([], RIGHT) == cx.JoinCount(0, 0)


def test_joins_agree_on_real_tailnums(flights: pd.DataFrame, planes: pd.DataFrame) -> None:
    left = cx.sample_keys(flights["tailnum"], 300, seed=1)
    right = cx.sample_keys(planes["tailnum"], 300, seed=2)
    expected = int(pd.Series(left).isin(set(right)).sum())  # planes.tailnum is a key
    got = {m: cx.JOINS[m](left, right).matches for m in cx.METHODS}
    assert set(got.values()) == {expected}


def test_sample_keys_is_seeded_and_rejects_too_many(planes: pd.DataFrame) -> None:
    first = cx.sample_keys(planes["tailnum"], 50, seed=3)
    assert first == cx.sample_keys(planes["tailnum"], 50, seed=3)
    assert len(set(first)) == 50 and all(type(k) is str for k in first)
    with pytest.raises(ValueError, match="only 3 are available"):
        cx.sample_keys(pd.Series(["a", None, "b", "c"]), 4)


def test_time_best_returns_result_and_minimum() -> None:
    calls: list[int] = []
    seconds, result = cx.time_best(lambda: calls.append(1) or len(calls), repeat=4)
    assert result == 4 and len(calls) == 4
    assert seconds >= 0.0


@pytest.mark.parametrize("exponent", [0.5, 1.0, 2.0, 3.0])
def test_fit_loglog_slope_recovers_power_law(exponent: float) -> None:
    sizes = np.array([100, 200, 400, 800, 1600])
    noise = np.random.default_rng(0).lognormal(0, 0.01, len(sizes))
    values = 3e-7 * sizes**exponent * noise
    got = cx.fit_loglog_slope(sizes, values)
    assert got == pytest.approx(stats.linregress(np.log(sizes), np.log(values)).slope)
    assert got == pytest.approx(exponent, abs=0.05)


def test_fit_loglog_slope_rejects_zero() -> None:
    with pytest.raises(ValueError, match="positive sizes and values"):
        cx.fit_loglog_slope([1, 2], [0.0, 1.0])


@pytest.fixture(scope="module")
def timings(flights: pd.DataFrame, planes: pd.DataFrame) -> pd.DataFrame:
    return cx.measure_joins(flights["tailnum"], planes["tailnum"], [50, 100, 200, 400], repeat=1)


def test_measure_joins_operations_grow_quadratic_and_linear(timings: pd.DataFrame) -> None:
    slopes = cx.slopes_by_method(timings, "operations")
    assert set(slopes.index) == {"nested_loop", "hash"}  # duckdb hides its count (-1)
    assert slopes["nested_loop"] == pytest.approx(2.0)
    assert slopes["hash"] == pytest.approx(1.0)


def test_measure_joins_methods_find_same_matches(timings: pd.DataFrame) -> None:
    assert timings.groupby("n")["matches"].nunique().eq(1).all()
    assert (timings["seconds"] > 0).all()
    assert len(timings) == 4 * len(cx.METHODS)


def test_measure_joins_with_fixed_right_side(flights: pd.DataFrame, planes: pd.DataFrame) -> None:
    table = cx.measure_joins(
        flights["tailnum"], planes["tailnum"], [100, 1000], ["hash"], right_size=20, repeat=1
    )
    assert table["operations"].tolist() == [120, 1020]


def test_measure_joins_rejects_unknown_method(flights: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="unknown methods \\['merge'\\]"):
        cx.measure_joins(flights["tailnum"], flights["tailnum"], [10], ["merge"])


@pytest.mark.parametrize("method", cx.TIMED_METHODS)
def test_time_join_every_method_gives_same_count(method: str) -> None:
    seconds, count = cx.time_join(method, LEFT, RIGHT, repeat=2)
    assert count.matches == 5
    assert seconds > 0


def test_time_join_rejects_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown method 'sort_merge'"):
        cx.time_join("sort_merge", LEFT, RIGHT)


def test_duckdb_tables_hold_the_keys() -> None:
    with cx.duckdb_tables(LEFT, RIGHT) as con:
        assert con.execute("SELECT count(*) FROM l").fetchone() == (len(LEFT),)
        assert con.execute("SELECT count(DISTINCT k) FROM r").fetchone() == (len(set(RIGHT)),)


def test_plot_join_timings_one_line_per_method(timings: pd.DataFrame) -> None:
    ax = cx.plot_join_timings(timings)
    assert len(ax.get_lines()) == len(cx.METHODS)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"

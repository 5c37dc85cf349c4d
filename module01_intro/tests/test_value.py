"""Tests of lesson 01's helpers: column timing, the pipeline table and the cost arithmetic."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from labs_common.config import load_params
from module01_intro import value


def test_column_timing_covers_every_raw_column(raw_tables: dict[str, pd.DataFrame]) -> None:
    got = value.column_timing(list(raw_tables["flights"].columns))
    assert list(got.index) == list(raw_tables["flights"].columns)
    assert set(got["known"]) == {value.SCHEDULING, value.AFTER, value.LABEL}


@pytest.mark.parametrize("column", ["dep_time", "dep_delay", "arr_time", "air_time", "arr_delay"])
def test_column_timing_after_departure_is_never_a_feature(column: str) -> None:
    assert not value.column_timing([column]).loc[column, "feature"]


def test_column_timing_schedule_is_a_feature() -> None:
    got = value.column_timing(["carrier", "sched_dep_time", "origin"])
    assert got["feature"].all()


def test_column_timing_unknown_column_raises() -> None:
    with pytest.raises(KeyError, match=r"no timing for column\(s\) \['gate'\]"):
        value.column_timing(["carrier", "gate"])


def test_pipeline_stages_in_capstone_order() -> None:
    got = value.pipeline_stages()
    order = ["ingest", "validate", "features", "split", "train", "evaluate", "register", "monitor"]
    assert got["stage"].tolist() == order
    assert got["module"].str.match(r"^module0[1-9]_").all()


def test_plot_pipeline_draws_every_stage() -> None:
    ax = value.plot_pipeline()
    texts = [t.get_text() for t in ax.texts]
    assert all(stage in texts for stage in value.pipeline_stages()["stage"])


@pytest.mark.parametrize(("missed", "false", "expected"), [(4, 1, 0.2), (1, 1, 0.5), (1, 3, 0.75)])
def test_break_even_probability_equalises_costs(
    missed: float, false: float, expected: float
) -> None:
    p = value.break_even_probability(missed, false)
    assert p == pytest.approx(expected)
    assert p * missed == pytest.approx((1 - p) * false)  # alert and silence cost the same


def test_break_even_probability_rejects_non_positive_cost() -> None:
    with pytest.raises(ValueError, match="costs must be positive"):
        value.break_even_probability(0, 1)


def test_strategy_costs_by_hand() -> None:
    got = value.strategy_costs(
        20, 80, missed_delay=4, false_alert=1, recall=0.5, false_alarm_rate=0.25
    )
    assert got["cost"].tolist() == [80.0, 80.0, 10 * 4 + 20 * 1, 0.0]
    assert np.allclose(got["cost_per_flight"], got["cost"] / 100)


def test_strategy_costs_with_course_params() -> None:
    cost = load_params().cost
    got = value.strategy_costs(
        1, 3, cost.missed_delay, cost.false_alert, recall=1.0, false_alarm_rate=0.0
    )
    assert got.iloc[2]["cost"] == 0  # a model that flags all late and nothing else is perfect
    assert got.iloc[0]["cost"] == cost.missed_delay


def test_strategy_costs_rejects_bad_rates() -> None:
    with pytest.raises(ValueError, match=r"recall and false_alarm_rate must be in 0\.\.1"):
        value.strategy_costs(1, 1, 4, 1, recall=1.5)

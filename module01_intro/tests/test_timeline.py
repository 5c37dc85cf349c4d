"""Tests of the temporal-split helpers on the seeded ``tiny_flights`` fixture."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from labs_common.config import SplitParams
from module01_intro import timeline

SPLIT = SplitParams(train_months=[1, 2, 3, 4, 5, 6], valid_months=[7, 8, 9], test_months=[10, 11])


def test_label_periods_follows_split() -> None:
    got = timeline.label_periods(pd.Series([1, 6, 7, 11, 12]), SPLIT)
    assert got.tolist() == ["train", "train", "valid", "test", "unused"]
    assert list(got.cat.categories) == ["train", "valid", "test", "unused"]


def test_base_rate_by_period_matches_numpy(tiny_flights: pd.DataFrame) -> None:
    got = timeline.base_rate_by_period(tiny_flights, SPLIT)
    for period, months in [("train", SPLIT.train_months), ("test", SPLIT.test_months)]:
        delay = tiny_flights.loc[tiny_flights["month"].isin(months), "arr_delay"].to_numpy()
        arrived = delay[~np.isnan(delay)]
        assert got.loc[period, "late_share"] == pytest.approx(np.mean(arrived > 15))
    assert got["flights"].sum() == len(tiny_flights)


def test_random_vs_temporal_same_sizes_and_seeded(tiny_flights: pd.DataFrame) -> None:
    got = timeline.random_vs_temporal(tiny_flights, SPLIT, seed=3)
    assert list(got.index) == ["train", "valid", "test"]
    assert list(got.columns) == ["temporal", "random"]
    pd.testing.assert_frame_equal(got, timeline.random_vs_temporal(tiny_flights, SPLIT, seed=3))
    assert got.notna().all().all()


def test_random_vs_temporal_random_parts_near_overall(raw_tables: dict[str, pd.DataFrame]) -> None:
    flights = raw_tables["flights"]
    split = SplitParams(train_months=list(range(1, 9)), valid_months=[9, 10], test_months=[11, 12])
    got = timeline.random_vs_temporal(flights, split)
    overall = (flights["arr_delay"].dropna() > 15).mean()
    assert np.allclose(got["random"], overall, atol=0.01)
    assert (
        got["temporal"] - overall
    ).abs().max() > 0.05  # autumn is calmer than the rest of the year


def test_plot_monthly_split_one_bar_per_month(tiny_flights: pd.DataFrame) -> None:
    ax = timeline.plot_monthly_split(tiny_flights, SPLIT)
    assert len(ax.patches) == tiny_flights["month"].nunique()
    assert any(t.get_text().startswith("valid") for t in ax.texts)

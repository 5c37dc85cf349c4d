"""The benchmarks' own logic: the lookups the feature benchmark scores, the reports' tables.

The benchmarks themselves take minutes (`make bench`); these tests check, on a schedule of
a few rows, that what they measure is what their tables say.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from benchmarks import features as bench_features
from benchmarks import pipeline as bench_pipeline
from benchmarks import save_results


@pytest.fixture
def schedule() -> pd.DataFrame:
    """Four departures on 1 Jan 2013: one plane flies twice from JFK, once at 06:00."""
    return pd.DataFrame(
        {
            "year": 2013,
            "month": 1,
            "day": 1,
            "sched_dep_time": [600, 615, 1400, 630],
            "sched_arr_time": [900, 915, 1700, 930],
            "carrier": ["AA", "B6", "AA", "UA"],
            "flight": [1, 2, 3, 4],
            "tailnum": ["N1", "N2", "N1", None],
            "origin": ["JFK", "JFK", "JFK", "EWR"],
            "dest": ["MIA", "BOS", "MIA", "ORD"],
            "distance": [1089, 187, 1089, 719],
        }
    )


def test_congestion_counts_departures_by_origin_hour_and_day(schedule):
    counts = bench_features.congestion(bench_features._schedule(schedule))(schedule)
    assert counts["dep_same_hour"].tolist() == [2, 2, 1, 1]
    assert counts["dep_same_day"].tolist() == [3, 3, 3, 1]
    assert counts["carrier_dep_day"].tolist() == [2, 1, 2, 1]


def test_rotation_numbers_the_legs_of_a_planes_day(schedule):
    legs = bench_features.rotation(bench_features._schedule(schedule))(schedule)
    assert legs["leg"].tolist()[:3] == [1, 1, 2]
    assert legs["legs_day"].tolist()[:3] == [2, 1, 2]
    assert legs.iloc[3].isna().all()  # no tail number: unknown, not a guess


def test_feature_table_marks_the_best_test_score():
    result = {
        "goal_test_roc_auc": 0.72,
        "machine": {"cpus": 2, "python": "3.11"},
        "candidates": [
            {"candidate": "base", "valid_roc_auc": 0.69, "test_roc_auc": 0.70, "seconds": 9},
            {"candidate": "more", "valid_roc_auc": None, "test_roc_auc": 0.71, "seconds": 12},
        ],
    }
    result["recent_shares_backtest"] = [
        {"month": 5, "base_roc_auc": 0.74, "recent_roc_auc": 0.73, "gain": -0.01},
        {"month": 6, "base_roc_auc": 0.73, "recent_roc_auc": 0.76, "gain": 0.03},
    ]
    table = bench_features.to_markdown(result)
    assert "| more | - | 0.7100 (best) | 12 |" in table
    assert "0.7000 (best)" not in table
    assert "| 5 | 0.7400 | 0.7300 | -0.0100 |" in table
    assert "| mean | | | +0.0100 |" in table


def test_pipeline_table_reports_both_ratios():
    result = {
        "machine": {"cpus": 2, "python": "3.11"},
        "seconds": {
            "clean_repro": 46.0,
            "noop_repro": 1.0,
            "bare_fit_and_load": 10.0,
            "bare_search_and_load": 20.0,
        },
        "stage_seconds": {"train": 29.0},
        "grid_candidates": 2,
        "ratio_clean_to_bare": 4.6,
        "ratio_clean_to_bare_search": 2.3,
        "targets": {
            "clean_under_90s": True,
            "noop_under_3s": True,
            "clean_within_3x_bare": False,
            "clean_within_3x_bare_search": True,
        },
    }
    table = bench_pipeline.to_markdown(result)
    assert "| bare load + the same search | 20.0 | clean <= 3x this (2.3x) | True |" in table
    assert "(4.6x) | False |" in table


def test_save_results_writes_json_and_markdown_side_by_side(tmp_path, capsys):
    save_results({"seconds": 1.5}, "| a |\n", tmp_path / "out" / "bench")
    assert json.loads((tmp_path / "out" / "bench.json").read_text()) == {"seconds": 1.5}
    assert (tmp_path / "out" / "bench.md").read_text() == "| a |\n"
    assert "| a |" in capsys.readouterr().out


def test_recent_late_shares_use_only_the_days_before(schedule):
    day1 = schedule.assign(late=[1, 0, 0, 1])
    day2 = schedule.assign(day=2, late=[1, 1, 1, 1])
    labelled = pd.concat([day1, day2], ignore_index=True)
    shares = bench_features.recent_late_shares(labelled, prior=0.5, weight=2.0)(labelled)
    assert shares.iloc[:4].isna().all().all()  # nothing is known before the first day
    # Day 2 sees day 1 only: 2 late of 4, pulled toward 0.5 by 2 flights -> 0.5.
    assert shares.loc[4, "late_nyc_1d"] == pytest.approx((2 + 1) / (4 + 2))
    # JFK on day 1: 1 late of 3 -> (1 + 1) / (3 + 2).
    assert shares.loc[4, "late_origin_7d"] == pytest.approx(2 / 5)
    flipped = labelled.assign(late=labelled["late"].where(labelled["day"] == 1, 0))
    again = bench_features.recent_late_shares(flipped, prior=0.5, weight=2.0)(flipped)
    pd.testing.assert_frame_equal(shares, again)  # a day's own outcomes never leak into it

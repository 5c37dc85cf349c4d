from __future__ import annotations

import time

import pytest

from module06_lifecycle.benchmark import GOAL_RATIO, benchmark_batch, best_time
from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import ModelInfo, Predictor


def test_best_time_returns_the_fastest_call() -> None:
    delays = iter([0.05, 0.0, 0.03])
    assert best_time(lambda: time.sleep(next(delays)), 3) < 0.02


@pytest.mark.slow
def test_benchmark_batch_reports_both_times_and_their_ratio(tiny_setup: TinySetup) -> None:
    predictor = Predictor(tiny_setup.pipe, ModelInfo("m", "1", None, "t", 0.2, "test"))
    result = benchmark_batch(predictor, tiny_setup.flights.head(500), repeats=1)
    assert result["rows"] == 500
    assert result["ratio"] == pytest.approx(
        result["predictor_s"] / result["bare_predict_proba_s"],
        rel=0.05,  # the times are rounded to ms
    )
    assert result["meets_goal"] == (result["ratio"] <= GOAL_RATIO)

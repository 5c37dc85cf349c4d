from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module06_lifecycle.predictor import ModelInfo, Predictor
from module06_lifecycle.stream import (
    BATCH_COLUMNS,
    day_requests,
    modelled,
    request_latencies,
    run_stream,
    simulate_stream,
    summarize_run,
    sweep,
)

ARRIVALS = np.array([0.0, 0.1, 0.2, 5.0, 5.1, 20.0])


def instant(start: int, stop: int) -> float:
    return 0.0


def test_day_requests_orders_one_day_by_arrival(tiny_flights: pd.DataFrame) -> None:
    month, day = tiny_flights.loc[0, ["month", "day"]]
    requests = day_requests(tiny_flights, month, day, lead_minutes=60)
    same_day = (tiny_flights["month"] == month) & (tiny_flights["day"] == day)
    assert len(requests) == same_day.sum()
    assert requests["arrival_s"].is_monotonic_increasing
    dep = requests["sched_dep_time"]
    minute = (dep // 100) * 60 + dep % 100 - 60
    assert ((requests["arrival_s"] - minute * 60).between(0, 60)).all()


def test_day_requests_is_seeded_and_rejects_an_empty_day(tiny_flights: pd.DataFrame) -> None:
    month, day = tiny_flights.loc[0, ["month", "day"]]
    a, b = (day_requests(tiny_flights, month, day, seed=3) for _ in range(2))
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="no flights on month=2 day=30"):
        day_requests(tiny_flights, 2, 30)


def test_simulate_stream_closes_on_size_or_timeout() -> None:
    batches = simulate_stream(ARRIVALS, max_batch=2, max_wait_s=1.0, serve=instant)
    assert list(batches.columns) == BATCH_COLUMNS
    assert batches["size"].tolist() == [2, 1, 2, 1]
    assert batches["close_s"].tolist() == [0.1, 1.2, 5.1, 21.0]  # full, timer, full, timer


def test_simulate_stream_one_at_a_time_queues_behind_a_slow_worker() -> None:
    batches = simulate_stream(ARRIVALS[:3], max_batch=1, max_wait_s=10.0, serve=lambda a, b: 1.0)
    assert batches["begin_s"].tolist() == [0.0, 1.0, 2.0]
    assert request_latencies(ARRIVALS[:3], batches).tolist() == pytest.approx([1.0, 1.9, 2.8])


def test_simulate_stream_takes_the_backlog_when_the_worker_frees() -> None:
    batches = simulate_stream(ARRIVALS[:3], max_batch=8, max_wait_s=0.0, serve=lambda a, b: 1.0)
    assert batches["size"].tolist() == [1, 2]  # the second call takes both waiting requests
    assert batches["begin_s"].tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("arrivals", "max_batch", "max_wait", "match"),
    [
        (ARRIVALS, 0, 1.0, "need max_batch >= 1"),
        (ARRIVALS, 1, -1.0, "max_wait_s >= 0"),
        (ARRIVALS[::-1], 1, 1.0, "must be sorted"),
    ],
    ids=["no-batch", "negative-wait", "unsorted"],
)
def test_simulate_stream_rejects_bad_input(
    arrivals: np.ndarray, max_batch: int, max_wait: float, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        simulate_stream(arrivals, max_batch, max_wait, instant)


def test_summarize_run_and_sweep_show_the_trade_off() -> None:
    service = lambda n: 0.5 + 0.01 * n  # noqa: E731 - a service model in one line
    batches = simulate_stream(ARRIVALS, 1, 0.0, modelled(service))
    summary = summarize_run(ARRIVALS, batches)
    assert (summary["calls"], summary["mean_batch"]) == (6, 1.0)
    assert summary["busy_s"] == pytest.approx(6 * 0.51)
    table = sweep(ARRIVALS, service, [(1, 0.0), (8, 1.0)])
    assert table[["max_batch", "max_wait_s"]].values.tolist() == [[1, 0.0], [8, 1.0]]
    assert table["ms_compute_per_request"].is_monotonic_decreasing  # batching saves compute


class _Constant:
    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        p = (X["distance"].to_numpy() % 7) / 10
        return np.column_stack([1 - p, p])


def test_run_stream_scores_like_one_batch(tiny_flights: pd.DataFrame) -> None:
    predictor = Predictor(_Constant(), ModelInfo("m", "1", None, "test", 0.3, "test"))
    requests = tiny_flights.assign(arrival_s=np.arange(len(tiny_flights)) * 2.0)
    scores, batches = run_stream(predictor, requests, max_batch=4, max_wait_s=3.0, speedup=2.0)
    pd.testing.assert_frame_equal(scores, predictor.predict(requests))
    assert batches["size"].sum() == len(requests)
    assert (batches["size"] <= 4).all() and (batches["end_s"] >= batches["begin_s"]).all()

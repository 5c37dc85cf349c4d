"""Lesson 03, streaming inference: a micro-batch stream simulator over the flights of one day.

Why it matters: a stream delivers requests one by one, at the pace of the world. Scoring
each on arrival gives the lowest latency while the scorer keeps up, and an exploding
queue once arrivals outpace it. Collecting them into micro-batches ("up to ``max_batch``
requests, waiting at most ``max_wait_s`` for the first one", the size-or-timeout rule of
model servers' dynamic batching) pays the fixed cost of a call once per batch: more
throughput, at the price of waiting. The simulator replays a real day on a simulated
clock, so a whole day takes a second; a service function says how long each call takes
(a fitted :class:`~module06_lifecycle.inference.ServiceModel`, or a real, timed call).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from module06_lifecycle.predictor import Predictor

#: ``serve(start, stop)`` scores requests ``start:stop`` and returns the seconds it took.
Serve = Callable[[int, int], float]
BATCH_COLUMNS = ["start", "stop", "size", "close_s", "begin_s", "end_s"]


def day_requests(
    flights: pd.DataFrame, month: int, day: int, lead_minutes: int = 60, seed: int = 0
) -> pd.DataFrame:
    """Return the flights of one day as a stream of scoring requests, in arrival order.

    Each flight is scored ``lead_minutes`` before its scheduled departure (the operations
    desk opens its file), at a seeded random second of that minute, never before
    midnight. ``arrival_s`` counts seconds since midnight.

    Raises:
        ValueError: no flight on that day.
    """
    rows = flights.loc[(flights["month"] == month) & (flights["day"] == day)]
    if rows.empty:
        raise ValueError(f"no flights on month={month} day={day}")
    dep = rows["sched_dep_time"].to_numpy()
    minute = (dep // 100) * 60 + dep % 100 - lead_minutes
    second = np.random.default_rng(seed).uniform(0, 60, len(rows))
    arrival = np.clip(minute * 60 + second, 0, None)
    order = np.argsort(arrival, kind="stable")
    return rows.iloc[order].assign(arrival_s=arrival[order]).reset_index(drop=True)


def simulate_stream(
    arrival_s: np.ndarray, max_batch: int, max_wait_s: float, serve: Serve
) -> pd.DataFrame:
    """Replay sorted arrivals through one worker with the size-or-timeout batching rule.

    A batch opens with its first waiting request and closes when ``max_batch`` requests
    are waiting or ``max_wait_s`` has passed, whichever comes first. It starts when it is
    closed and the worker is free, taking every waiting request up to ``max_batch``.

    Args:
        arrival_s: request times, sorted, in seconds.
        max_batch: most requests per call (1 = score each request alone).
        max_wait_s: longest wait of a batch's first request before the batch closes.
        serve: scores requests ``start:stop`` and returns the seconds it took.

    Returns:
        One row per call: ``start``, ``stop`` (request indices), ``size``, ``close_s``,
        ``begin_s``, ``end_s``.
    """
    arrival = np.asarray(arrival_s, dtype=float)
    if max_batch < 1 or max_wait_s < 0:
        raise ValueError(f"need max_batch >= 1 and max_wait_s >= 0, got {max_batch}, {max_wait_s}")
    if np.any(np.diff(arrival) < 0):
        raise ValueError("arrival_s must be sorted; sort the requests by arrival first")
    rows, free_at, i = [], 0.0, 0
    while i < len(arrival):
        full = i + max_batch - 1
        close = min(arrival[i] + max_wait_s, arrival[full] if full < len(arrival) else np.inf)
        begin = max(close, free_at)
        stop = min(i + max_batch, int(np.searchsorted(arrival, begin, side="right")))
        free_at = begin + serve(i, stop)
        rows.append((i, stop, stop - i, close, begin, free_at))
        i = stop
    return pd.DataFrame(rows, columns=BATCH_COLUMNS)


def modelled(service: Callable[[int], float]) -> Serve:
    """A :data:`Serve` that takes ``service(n)`` seconds for ``n`` requests (no model call)."""
    return lambda start, stop: service(stop - start)


def request_latencies(arrival_s: np.ndarray, batches: pd.DataFrame) -> np.ndarray:
    """Seconds from each request's arrival to the end of the call that scored it."""
    end = np.repeat(batches["end_s"].to_numpy(), batches["size"].to_numpy())
    return end - np.asarray(arrival_s, dtype=float)


def summarize_run(arrival_s: np.ndarray, batches: pd.DataFrame) -> dict[str, float]:
    """Latency percentiles, calls, mean batch size, busy seconds and compute per request."""
    latency = request_latencies(arrival_s, batches)
    busy = float((batches["end_s"] - batches["begin_s"]).sum())
    return {
        "requests": len(latency),
        "calls": len(batches),
        "mean_batch": round(len(latency) / len(batches), 2),
        "p50_latency_s": float(np.percentile(latency, 50)),
        "p95_latency_s": float(np.percentile(latency, 95)),
        "max_latency_s": float(latency.max()),
        "busy_s": busy,
        "ms_compute_per_request": 1000 * busy / len(latency),
    }


def sweep(
    arrival_s: np.ndarray,
    service: Callable[[int], float],
    policies: Iterable[tuple[int, float]],
) -> pd.DataFrame:
    """Simulate each ``(max_batch, max_wait_s)`` policy with a modelled service time.

    Returns:
        One row per policy: ``max_batch``, ``max_wait_s`` and :func:`summarize_run`'s keys.
    """
    rows = []
    for max_batch, max_wait_s in policies:
        batches = simulate_stream(arrival_s, max_batch, max_wait_s, modelled(service))
        summary = summarize_run(arrival_s, batches)
        rows.append({"max_batch": max_batch, "max_wait_s": max_wait_s, **summary})
    return pd.DataFrame(rows)


def run_stream(
    predictor: Predictor,
    requests: pd.DataFrame,
    max_batch: int,
    max_wait_s: float,
    speedup: float = 1.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replay ``requests`` ``speedup`` times faster, scoring each batch with the predictor.

    The clock is simulated, the service times are real: each call is timed as it runs.

    Returns:
        ``(scores, batches)``: the predictor's output for every request, in arrival order
        (the same as one batch call would give), and the calls of :func:`simulate_stream`.
    """
    parts: list[pd.DataFrame] = []

    def serve(start: int, stop: int) -> float:
        begin = time.perf_counter()
        parts.append(predictor.predict(requests.iloc[start:stop]))
        return time.perf_counter() - begin

    arrival = requests["arrival_s"].to_numpy() / speedup
    batches = simulate_stream(arrival, max_batch, max_wait_s, serve)
    return pd.concat(parts, ignore_index=True), batches

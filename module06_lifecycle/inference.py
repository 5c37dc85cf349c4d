"""Lesson 03, types of inference: what one call of the predictor costs, measured.

Why it matters: batch, online and streaming inference call the *same* predictor; they
differ in how many flights each call carries and how long a flight waits for its call.
Every call pays a fixed price (validation, pandas, the pipeline's steps) plus a price per
flight. Measuring the two prices, then fitting ``seconds = overhead + per_row * n``,
explains the whole latency/throughput trade-off in one line, and lets the stream
simulator (:mod:`module06_lifecycle.stream`) replay a day without calling the model
for every what-if.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from module06_lifecycle.benchmark import best_time
from module06_lifecycle.predictor import ModelInfo, Predictor, load_from_dir

log = logging.getLogger(__name__)


def load_lesson_predictor(
    model_dir: Path | None = None, flights: pd.DataFrame | None = None
) -> Predictor:
    """Return the model in ``model_dir`` (``models/model`` after ``dvc repro``) when given
    and present, else the tests' tiny model: the course pipeline (logistic baseline) fitted
    on 3,000 real flights, in a few seconds, without MLflow.

    Why it matters: a lesson about latency must itself run in seconds, on a fresh clone
    too. The tiny model has the same inputs, feature step and predictor as the pipeline's
    model; its calls cost a little less, and every conclusion of the lesson holds for both.

    Args:
        model_dir: an MLflow model folder; ``None`` (or a folder without ``MLmodel``)
            gives the tiny model.
        flights: raw flights to sample the tiny model's 3,000 training flights from
            (default: the package's table).
    """
    if model_dir is not None and (Path(model_dir) / "MLmodel").is_file():
        return load_from_dir(Path(model_dir))
    from module06_lifecycle.fixtures import (
        TINY_NAME,
        TINY_THRESHOLD,
        fit_tiny_model,
        sample_flights,
    )

    if model_dir is not None:
        log.warning("%s has no model (run `dvc repro`); fitting the tiny model", model_dir)
    sample = sample_flights() if flights is None else flights.sample(3000, random_state=0)
    with tempfile.TemporaryDirectory() as tmp:  # lookups are copied into the model in fit
        pipe = fit_tiny_model(Path(tmp), sample.reset_index(drop=True))
    info = ModelInfo(TINY_NAME, "tiny", None, "fitted in memory", TINY_THRESHOLD, "fixture")
    return Predictor(pipe, info)


def online_latencies(
    predictor: Predictor, flights: pd.DataFrame, n: int = 30, validate: bool = True
) -> np.ndarray:
    """Score the first ``n`` flights one request at a time; return each call's seconds.

    Why it matters: an online request carries one flight, so it pays the whole fixed
    price of a call alone. The distribution (not the mean) is what users feel: p95 is
    the wait of one request in twenty.
    """
    seconds = []
    for i in range(min(n, len(flights))):
        row = flights.iloc[[i]]
        start = time.perf_counter()
        predictor.predict(row, validate=validate)
        seconds.append(time.perf_counter() - start)
    return np.array(seconds)


def batch_timings(
    predictor: Predictor, flights: pd.DataFrame, sizes: Iterable[int], repeats: int = 2
) -> pd.DataFrame:
    """Time one call on the first ``size`` flights for each size (best of ``repeats``).

    Returns:
        One row per size: ``size``, ``seconds`` (per call), ``ms_per_flight`` and
        ``flights_per_s`` (the throughput of back-to-back calls of that size).
    """
    rows = []
    for size in sizes:
        if not 1 <= size <= len(flights):
            raise ValueError(f"batch size must be in 1..{len(flights)}, got {size}")
        part = flights.iloc[:size]
        seconds = best_time(lambda part=part: predictor.predict(part), repeats)
        rows.append({"size": size, "seconds": seconds})
    table = pd.DataFrame(rows)
    return table.assign(
        ms_per_flight=1000 * table["seconds"] / table["size"],
        flights_per_s=table["size"] / table["seconds"],
    )


@dataclass(frozen=True)
class ServiceModel:
    """``seconds(n) = overhead_s + per_row_s * n``: the time of one call scoring ``n`` flights."""

    overhead_s: float
    per_row_s: float

    def __call__(self, n: int) -> float:
        return self.overhead_s + self.per_row_s * n

    def capacity(self, batch_size: int) -> float:
        """Flights per second when calls of ``batch_size`` run back to back."""
        return batch_size / self(batch_size)


def fit_service_model(timings: pd.DataFrame) -> ServiceModel:
    """Fit :class:`ServiceModel` to :func:`batch_timings` by least squares (both terms >= 0).

    Example:
        >>> fit_service_model(pd.DataFrame({"size": [1, 11], "seconds": [0.05, 0.07]}))
        ServiceModel(overhead_s=0.048, per_row_s=0.002)
    """
    per_row, overhead = np.polyfit(timings["size"], timings["seconds"], 1)
    return ServiceModel(round(max(float(overhead), 0.0), 6), round(max(float(per_row), 0.0), 9))


def percentiles(seconds: np.ndarray, qs: Iterable[int] = (50, 95, 99)) -> dict[str, float]:
    """Latency percentiles in milliseconds, e.g. ``{"p50_ms": 41.2, "p95_ms": 60.3, ...}``."""
    seconds = np.asarray(seconds, dtype=float)
    return {f"p{q}_ms": round(float(np.percentile(seconds, q)) * 1000, 2) for q in qs}

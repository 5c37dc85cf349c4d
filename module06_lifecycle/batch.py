"""Batch scoring: a month of scheduled flights (or any file of them) in, decisions out.

Why it matters: most predictions in most companies are made in batch, overnight, for the
next day's schedule. It is the same model and the same decision rule as the online API
(:class:`~module06_lifecycle.predictor.Predictor`), only called on a whole frame at once,
which is much cheaper per flight than one request each.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labs_common import paths
from labs_common.data import load_table, read_table, write_table
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import OUTPUT_COLUMNS, Predictor

log = logging.getLogger(__name__)

PREDICTIONS_DIR = paths.DATA / "predictions"


@dataclass(frozen=True)
class BatchSummary:
    """What a batch run did, for the CLI's summary table."""

    rows: int
    flagged: int
    model_version: str
    threshold: float
    seconds: float
    output: Path


def load_flights(month: int | None = None, source: Path | None = None) -> pd.DataFrame:
    """Return the scheduled flights of ``month`` (all months when ``None``).

    Reads ``data/raw/flights.parquet`` when the pipeline made it, else the package's copy:
    every scheduled flight, cancelled ones included, because at the decision time nobody
    knows which flights will be cancelled.
    """
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    source = source or paths.RAW / "flights.parquet"
    flights = load_table("flights", source if Path(source).exists() else None)
    if month is not None:
        flights = flights.loc[flights["month"] == month]
    return flights.reset_index(drop=True)


def score_frame(predictor: Predictor, flights: pd.DataFrame) -> pd.DataFrame:
    """Return the schedule columns of ``flights`` with probability, decision and version.

    Example (needs the trained model, so it is shown, not run)::

        score_frame(load_predictor(), load_flights(11)).columns[-3:].tolist()
        # ['probability', 'delayed', 'model_version']
    """
    scores = predictor.predict(flights)
    schedule = flights[SCHEDULE_COLUMNS].reset_index(drop=True)
    return pd.concat([schedule, scores[OUTPUT_COLUMNS]], axis=1)


def default_output(month: int | None) -> Path:
    """Where ``labs score --month M`` writes: ``data/predictions/batch_month=MM.parquet``."""
    label = f"month={month:02d}" if month is not None else "all"
    return PREDICTIONS_DIR / f"batch_{label}.parquet"


def run_batch(
    predictor: Predictor,
    *,
    month: int | None = None,
    input_path: Path | None = None,
    output_path: Path | None = None,
    score: Callable[[Predictor, pd.DataFrame], pd.DataFrame] = score_frame,
) -> BatchSummary:
    """Load flights (a month or a file), score them, write Parquet; return a summary.

    ``score`` is the scoring step: :func:`score_frame` in this process by default, or a
    function with the same signature that scores elsewhere (module 08's
    ``scheduler_scorer`` sends the partitions to a Dask cluster).
    """
    start = time.perf_counter()
    flights = read_table(input_path) if input_path else load_flights(month)
    log.info("Scoring %s flights with %s", f"{len(flights):,}", predictor.info.version)
    scored = score(predictor, flights)
    output = Path(output_path) if output_path else default_output(month)
    write_table(scored, output)
    return BatchSummary(
        rows=len(scored),
        flagged=int(scored["delayed"].sum()),
        model_version=predictor.info.version,
        threshold=predictor.threshold,
        seconds=round(time.perf_counter() - start, 3),
        output=output,
    )

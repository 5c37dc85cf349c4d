"""How much does the predictor's safety cost? Batch scoring vs a bare ``predict_proba``.

Why it matters: validation and bookkeeping are worth having only if they stay cheap next
to the model itself. This benchmark scores every scheduled flight of 2013 (336,776) both
ways on the same frame and writes the ratio; the goal is at most 1.5x.

Run: ``python -m module06_lifecycle.benchmark`` (writes
``benchmarks/serving/results/batch_scoring.json``).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from labs_common import contract, paths
from labs_common.data import write_text
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import Predictor
from module06_lifecycle.schemas import validate_schedule

log = logging.getLogger(__name__)

RESULTS = paths.ROOT / "benchmarks" / "serving" / "results" / "batch_scoring.json"
GOAL_RATIO = 1.5


def best_time(fn: Callable[[], object], repeats: int) -> float:
    """Return the fastest of ``repeats`` timed calls, in seconds (the least disturbed run)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def benchmark_batch(predictor: Predictor, flights: pd.DataFrame, repeats: int = 2) -> dict:
    """Time the predictor (validate + score + decide) against the model's bare call.

    Both run on the same frame; the two are interleaved so that a busy neighbour on a
    shared machine slows both alike.
    """
    bare_input = flights[SCHEDULE_COLUMNS]
    bare, full = [], []
    for _ in range(repeats):
        bare.append(best_time(lambda: predictor.model.predict_proba(bare_input), 1))
        full.append(best_time(lambda: predictor.predict(flights), 1))
    validate = best_time(lambda: validate_schedule(flights), 1)
    return {
        "rows": len(flights),
        "repeats": repeats,
        "bare_predict_proba_s": round(min(bare), 3),
        "predictor_s": round(min(full), 3),
        "validation_s": round(validate, 3),
        "ratio": round(min(full) / min(bare), 3),
        "goal_ratio": GOAL_RATIO,
        "meets_goal": bool(min(full) / min(bare) <= GOAL_RATIO),
        "model_version": predictor.info.version,
        "threads": os.environ.get("OMP_NUM_THREADS", "default"),
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }


def main(output: Path = RESULTS, repeats: int = 2) -> dict:
    """Load the champion (or models/model), score all flights both ways, write the JSON."""
    from module06_lifecycle.batch import load_flights
    from module06_lifecycle.predictor import ModelNotFoundError, load_predictor

    try:
        predictor = load_predictor()
    except ModelNotFoundError:
        predictor = load_predictor(contract.MODEL_DIR)
    flights = load_flights()
    result = benchmark_batch(predictor, flights, repeats)
    write_text(json.dumps(result, indent=2) + "\n", output)
    log.info(
        "predictor %.1f s vs bare predict_proba %.1f s on %s rows: %.2fx (goal %.1fx)",
        result["predictor_s"],
        result["bare_predict_proba_s"],
        f"{result['rows']:,}",
        result["ratio"],
        GOAL_RATIO,
    )
    return result


if __name__ == "__main__":
    from labs_common.logs import setup_logging

    setup_logging()
    main()

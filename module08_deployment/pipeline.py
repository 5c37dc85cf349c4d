"""Lesson 04, from notebook to pipeline: three cells become three tasks and one flow.

Why it matters: a notebook's cells share hidden state and run in whatever order someone
clicked. A pipeline makes each step a function of its inputs (testable alone), names it,
retries the steps that touch files or stores when they hiccup (and only those: a
computation that failed on bad data fails again), and records every run. The plain
functions here are the cells; the ``*_task`` objects and :func:`month_report` are the
same functions under Prefect 3, as in ``capstone/flows.py``.

Run: ``python -m module08_deployment.pipeline 11`` (no server needed: Prefect starts a
temporary one and stops it at exit).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from labs_common.tooling import configure_offline

# Before Prefect is imported: it reads its settings (PREFECT_HOME, analytics off) once.
configure_offline()

import pandas as pd  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from labs_common import contract  # noqa: E402
from labs_common.data import read_table  # noqa: E402
from module04_ml_fundamentals.features import LABEL  # noqa: E402
from module06_lifecycle.batch import score_frame  # noqa: E402
from module06_lifecycle.predictor import Predictor, load_from_dir  # noqa: E402

IO = {"retries": 2, "retry_delay_seconds": 1, "cache_policy": NONE}  # files, stores
COMPUTE = {"cache_policy": NONE}  # no retries: a computation that failed fails again


def read_month(month: int, source: Path) -> pd.DataFrame:
    """The flights of ``month`` in a Parquet file of flights (the notebook's first cell)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    flights = read_table(Path(source))
    return flights.loc[flights["month"] == month].reset_index(drop=True)


def summarise_scores(scored: pd.DataFrame, labels: pd.Series | None = None) -> dict:
    """Flights, flagged flights, flag rate and mean probability (late share with labels)."""
    summary = {
        "flights": len(scored),
        "flagged": int(scored["delayed"].sum()),
        "flag_rate": round(float(scored["delayed"].mean()), 4),
        "mean_probability": round(float(scored["probability"].mean()), 4),
        "model_version": str(scored["model_version"].iloc[0]) if len(scored) else None,
    }
    if labels is not None:
        summary["late_share"] = round(float(labels.mean()), 4)
    return summary


load_month_task = task(name="load-month", **IO)(read_month)
load_model_task = task(name="load-model", **IO)(load_from_dir)
score_task = task(name="score", **COMPUTE)(score_frame)
summarise_task = task(name="summarise", **COMPUTE)(summarise_scores)


@flow(name="month-report")
def month_report(
    month: int,
    source: str = str(contract.TEST_SPLIT),
    model_dir: str = str(contract.MODEL_DIR),
) -> dict:
    """Load a month, score it with the model folder, summarise: the notebook as a flow."""
    flights = load_month_task(month, Path(source))
    predictor: Predictor = load_model_task(Path(model_dir))
    scored = score_task(predictor, flights)
    labels = flights.get(LABEL)
    return summarise_task(scored, labels)


def start_local_api() -> threading.Thread:
    """Start Prefect's temporary local server in a background thread; ``join()`` it later.

    Why it matters: with no ``PREFECT_API_URL``, the first flow run starts a local server
    in a subprocess and waits for it (tens of seconds on a busy 2-core machine, most of it
    importing the server and creating its database). Started early, it boots on the other
    core while the notebook works; the flow then finds it running.
    """
    from prefect.server.api.server import SubprocessASGIServer

    thread = threading.Thread(target=SubprocessASGIServer().start, daemon=True)
    thread.start()
    return thread


class FlakyReader:
    """A reader that fails ``failures`` times with ``OSError`` before it reads (a demo of
    retries: a network share that drops the first connections)."""

    def __init__(self, read: Callable[..., pd.DataFrame], failures: int) -> None:
        self.read, self.failures, self.calls = read, failures, 0

    def __call__(self, *args: object) -> pd.DataFrame:
        self.calls += 1
        if self.calls <= self.failures:
            raise OSError(f"share not reachable (attempt {self.calls})")
        return self.read(*args)


if __name__ == "__main__":
    import sys

    from labs_common.logs import setup_logging

    setup_logging()
    print(month_report(int(sys.argv[1]) if len(sys.argv) > 1 else 11))  # noqa: T201

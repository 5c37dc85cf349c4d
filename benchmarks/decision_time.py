"""Benchmark: what the decision time costs, on the capstone's full split.

Why it matters: the alert goes out ``features.decision_hours`` before the scheduled
departure, and the model may only use the weather observed by then. This script fits the
capstone's chosen model (the settings ``reports/train.json`` holds) with the weather as it
is known at several decision times, and two bounds: no weather at all, and the "perfect
forecast" that reads the weather of the scheduled hour and the rest of the day (what the
course's model did before it respected its decision time). Module 04, notebook 02, runs
the same comparison on samples; this is the full-size version the README quotes.

Run with ``python -m benchmarks.decision_time`` after ``dvc repro train`` (about three
minutes on 2 cores); results in ``benchmarks/results/decision_time.{json,md}``.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import time

import pandas as pd
from sklearn.metrics import roc_auc_score

from benchmarks import save_results
from labs_common import contract, paths
from labs_common.config import load_params
from labs_common.logs import setup_logging
from module04_ml_fundamentals.encoding import decision_time_settings
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module04_ml_fundamentals.train import build_pipeline

log = logging.getLogger(__name__)

RESULTS = paths.ROOT / "benchmarks" / "results" / "decision_time"
HOURS = (0, 1, 2, 4)


def run() -> dict:
    """Fit one pipeline per weather setting; validation and test ROC AUC of each."""
    params = load_params()
    best = json.loads(contract.TRAIN_REPORT.read_text())["best_params"]
    parts = {
        n: pd.read_parquet(paths.PROCESSED / f"{n}.parquet") for n in ("train", "valid", "test")
    }
    rows = []
    for name, args in decision_time_settings(HOURS).items():
        start = time.perf_counter()
        pipe = build_pipeline(
            params.train.model,
            weather_path=str(paths.RAW / "weather.parquet"),
            planes_path=str(paths.RAW / "planes.parquet"),
            seed=params.train.seed,
            **{"decision_hours": params.features.decision_hours, **args},
            **best,
        ).fit(parts["train"][[*SCHEDULE_COLUMNS, LABEL]], parts["train"][LABEL])
        row = {"setting": name, "seconds": round(time.perf_counter() - start, 1)}
        for part in ("valid", "test"):
            proba = pipe.predict_proba(parts[part][SCHEDULE_COLUMNS])[:, 1]
            row[f"{part}_roc_auc"] = round(float(roc_auc_score(parts[part][LABEL], proba)), 4)
        log.info("%s", row)
        rows.append(row)
    return {
        "model": params.train.model,
        "best_params": best,
        "decision_hours": params.features.decision_hours,
        "settings": {r["setting"]: r for r in rows},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_1min": round(os.getloadavg()[0], 2),
        },
    }


def markdown(result: dict) -> str:
    """The results as a short markdown table."""
    lines = [
        f"Decision time: the alert {result['decision_hours']} h before departure "
        f"(params.yaml); model {result['model']} {result['best_params']}.",
        "",
        "| weather the model sees | validation ROC AUC | test ROC AUC | fit s |",
        "|---|---:|---:|---:|",
    ]
    for name, r in result["settings"].items():
        lines.append(
            f"| {name} | {r['valid_roc_auc']:.4f} | {r['test_roc_auc']:.4f} | {r['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark and save ``benchmarks/results/decision_time.{json,md}``."""
    setup_logging()
    result = run()
    save_results(result, markdown(result), RESULTS)


if __name__ == "__main__":
    main()

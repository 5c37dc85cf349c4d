"""A small replay world for tests and notebooks: a model, its training months, later months.

Why it matters: the monitors and the retraining loop are tested on *real* flights (so the
seasons are real) but on a few thousand of them and a fast model, so a whole replay runs in
seconds and nothing depends on ``dvc repro`` having run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labs_common.data import load_table
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, label_flights
from module04_ml_fundamentals.train import build_pipeline, write_lookups
from module09_monitoring.context import month_flights

TRAIN_MONTHS = list(range(1, 9))
PRODUCTION_MONTHS = [9, 10, 11, 12]


@dataclass
class ReplayWorld:
    """A fitted model, the rows it learned from, and the production months that follow."""

    model: object
    training: pd.DataFrame
    months: list[pd.DataFrame]
    raw_dir: Path


def labelled_sample(rows_per_month: int, seed: int) -> pd.DataFrame:
    """Return ``rows_per_month`` arrived flights of each month, with ``late``, in date order."""
    flights = label_flights(load_table("flights"))
    parts = [
        g.sample(min(rows_per_month, len(g)), random_state=seed)
        for _, g in flights.groupby("month", sort=True)
    ]
    sample = pd.concat(parts).sort_values(["month", "day", "sched_dep_time", "flight"])
    return sample.reset_index(drop=True)


def build_world(folder: Path, rows_per_month: int = 1500, seed: int = 0) -> ReplayWorld:
    """Write weather/planes to ``folder``, fit the logistic pipeline on January-August.

    Example (fits a model for seconds, so it is shown, not run)::

        world = build_world(tmp_path); world.model.predict_proba(world.months[0])
    """
    lookups = write_lookups(folder)
    flights = labelled_sample(rows_per_month, seed)
    training = flights.loc[flights["month"].isin(TRAIN_MONTHS)].reset_index(drop=True)
    model = build_pipeline("logreg", **lookups).fit(training[SCHEDULE_COLUMNS], training[LABEL])
    months = [month_flights(flights, m) for m in PRODUCTION_MONTHS]
    return ReplayWorld(model, training, months, folder)


def quiet_month(label_rate: float, calibration_error: float = 0.0) -> dict:
    """A monthly summary entry on which no rule fires: the baseline the rule tests move.

    Example:
        >>> from module09_monitoring.params import MonitorParams
        >>> from module09_monitoring.rules import decide
        >>> decide(quiet_month(0.2), MonitorParams())["alerts"]
        []
    """
    return {
        "drift_share": 0.0,
        "drifted_features": [],
        "missing_features": [],
        "prediction_drift": False,
        "prediction_psi": 0.01,
        "prediction_psi_limit": 0.1,
        "label_rate": label_rate,
        "reference_label_rate": label_rate,
        "label_shift": 0.0,
        "mean_score": label_rate,
        "calibration_gap": 0.0,
        "calibration_error": calibration_error,
        "roc_auc": 0.75,
    }

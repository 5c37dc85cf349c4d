"""One predictor for batch and online scoring: schedule rows in, score and alert out.

Why one interface: the batch job and the web service (lab 08) call the same ``predict``,
so they cannot disagree on features, model or threshold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import joblib
import pandas as pd

from myflights.features import add_features

#: What a caller must send: the columns of a published schedule.
SCHEDULE = ["year", "month", "day", "sched_dep_time", "sched_arr_time", "carrier",
            "origin", "dest", "distance"]  # fmt: skip


@dataclass(frozen=True)
class Predictor:
    """A trained model and the decision threshold chosen by the evaluate stage."""

    model: object
    threshold: float

    def predict(self, flights: pd.DataFrame) -> pd.DataFrame:
        """Return ``score`` (probability of a late arrival) and ``alert`` for each row."""
        missing = [c for c in SCHEDULE if c not in flights.columns]
        if missing:
            raise ValueError(f"flights lack the schedule column(s) {missing}; send {SCHEDULE}")
        score = self.model.predict_proba(add_features(flights))[:, 1]
        return pd.DataFrame({"score": score, "alert": score >= self.threshold},
                            index=flights.index)  # fmt: skip


def load_predictor(model: Path = Path("models/model.joblib"),
                   metrics: Path = Path("reports/metrics.json")) -> Predictor:  # fmt: skip
    """Load the model and the threshold the pipeline wrote."""
    threshold = json.loads(Path(metrics).read_text())["threshold"]
    return Predictor(joblib.load(model), float(threshold))

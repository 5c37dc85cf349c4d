"""Stage ``evaluate``: turn scores into decisions with a cost model and report the KPIs.

A missed delay costs ``cost.missed_delay``, a false alert ``cost.false_alert``. The decision
threshold is the one with the lowest cost per flight on the validation month; the test
month then says what that threshold costs on flights the choice never saw.
"""

from __future__ import annotations

import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import roc_auc_score

REPORTS = Path("reports")
GRID = np.round(np.arange(0.01, 1.0, 0.01), 2)


def cost_per_flight(late: np.ndarray, proba: np.ndarray, threshold: float, cost: dict) -> float:
    """Average cost of flagging the flights with ``proba >= threshold``."""
    flagged = proba >= threshold
    missed = np.sum(~flagged & (late == 1)) * cost["missed_delay"]
    false_alerts = np.sum(flagged & (late == 0)) * cost["false_alert"]
    return float((missed + false_alerts) / len(late))


def scores(model: object, part: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels and predicted probabilities of one processed split."""
    table = pd.read_parquet(f"data/processed/{part}.parquet")
    proba = model.predict_proba(table.drop(columns=["late"]))[:, 1]
    return table["late"].to_numpy(), proba


def main() -> None:
    cost = yaml.safe_load(Path("params.yaml").read_text())["cost"]
    model = joblib.load("models/model.joblib")
    (y_valid, p_valid), (y_test, p_test) = scores(model, "valid"), scores(model, "test")
    curve = pd.DataFrame({"threshold": GRID,
                          "cost_per_flight": [cost_per_flight(y_valid, p_valid, t, cost)
                                              for t in GRID]})  # fmt: skip
    threshold = float(curve.loc[curve["cost_per_flight"].idxmin(), "threshold"])
    metrics = {
        "roc_auc": float(roc_auc_score(y_test, p_test)),
        "threshold": threshold,
        "cost_per_flight": cost_per_flight(y_test, p_test, threshold, cost),
        "cost_flag_nothing": cost_per_flight(y_test, p_test, 1.01, cost),
        "alert_rate": float(np.mean(p_test >= threshold)),
    }
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    curve.to_csv(REPORTS / "threshold_costs.csv", index=False)


if __name__ == "__main__":
    main()

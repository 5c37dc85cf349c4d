"""What the monitoring replay decided, month by month, and what other rules would have done.

Why it matters: maintaining a deployed model is a string of decisions: alert or not,
retrain or not, promote or not. ``reports/monitoring/summary.json`` records each one with
its numbers. Reading it as a table, and replaying the *rules* (not the models) with other
limits, lets a team argue about the rules with evidence before changing
``params.yaml`` (lesson 04).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from labs_common import contract
from module09_monitoring.params import MonitorParams
from module09_monitoring.rules import decide

SUMMARY = contract.MONITORING_SUMMARY
COLUMNS = ["drift_share", "prediction_psi", "label_rate", "mean_score", "calibration_gap",
           "roc_auc", "alerts", "retrain"]  # fmt: skip


def read_summary(path: Path = SUMMARY) -> list[dict] | None:
    """Return the replay's monthly entries, or None when the replay has not run yet."""
    return json.loads(Path(path).read_text()) if Path(path).is_file() else None


def summary_table(entries: list[dict]) -> pd.DataFrame:
    """One row per month: the monitor's headline numbers, alerts and decisions."""
    table = pd.DataFrame(entries).set_index("period")
    extra = [c for c in ("retrained", "promoted") if c in table]
    return table[[*COLUMNS, *extra]]


def challenger_table(entries: list[dict]) -> pd.DataFrame:
    """One row per retraining: both models on the held-out days, the gates' verdict."""
    rows = {}
    for e in entries:
        outcome = e.get("challenger")
        if not outcome:
            continue
        rows[e["period"]] = {
            "challenger": outcome["name"],
            "train_rows": outcome["train_rows"],
            "holdout_rows": outcome["holdout_rows"],
            "challenger_roc_auc": outcome["challenger"]["test_roc_auc"],
            "champion_roc_auc": outcome["champion"]["test_roc_auc"],
            "challenger_gap": outcome["challenger"]["calibration_gap"],
            "champion_gap": outcome["champion"]["calibration_gap"],
            "promoted": outcome["promoted"],
            "failed": [r for r in outcome["reasons"] if r.startswith("FAIL")],
        }
    return pd.DataFrame(rows).T.rename_axis("period")


def what_if(entries: list[dict], params: MonitorParams) -> pd.DataFrame:
    """Apply other rules to the same monthly numbers: which alerts, would it retrain?

    Example:
        >>> e = {"period": "2013-09", "drift_share": 0.0, "label_rate": 0.13,
        ...      "reference_label_rate": 0.26, "label_shift": -0.13, "mean_score": 0.2,
        ...      "calibration_gap": 0.07, "calibration_error": 0.07, "roc_auc": 0.74}
        >>> what_if([e], MonitorParams(retrain_on=["quality"]))["retrain"].tolist()
        [False]
    """
    decided = {e["period"]: decide(e, params) for e in entries}
    table = pd.DataFrame(decided).T.rename_axis("period")
    return table[["alerts", "retrain"]]

from __future__ import annotations

import json
from pathlib import Path

from module09_monitoring.history import challenger_table, read_summary, summary_table, what_if
from module09_monitoring.params import MonitorParams


def _entry(period: str, gap: float, challenger: dict | None = None) -> dict:
    return {"month": int(period[-2:]), "period": period, "drift_share": 0.0,
            "drifted_features": [], "missing_features": [], "prediction_psi": 0.1,
            "prediction_psi_limit": 0.15, "prediction_drift": False, "mean_score": 0.2,
            "label_rate": 0.2 - gap, "reference_label_rate": 0.25, "label_shift": -0.05 - gap,
            "calibration_gap": gap, "calibration_error": abs(gap), "roc_auc": 0.7,
            "alerts": ["calibration"] if abs(gap) > 0.05 else [], "retrain": abs(gap) > 0.05,
            "retrained": challenger is not None, "promoted": False,
            "challenger": challenger}  # fmt: skip


OUTCOME = {"name": "trained to 2013-09-16", "train_rows": 100, "holdout_rows": 20,
           "challenger": {"test_roc_auc": 0.64, "calibration_gap": 0.07},
           "champion": {"test_roc_auc": 0.63, "calibration_gap": 0.08},
           "reasons": ["FAIL: test ROC AUC 0.64 vs floor 0.70", "pass: slice gap"],
           "promoted": False}  # fmt: skip


def test_read_summary_is_none_before_the_replay(tmp_path: Path) -> None:
    assert read_summary(tmp_path / "summary.json") is None
    (tmp_path / "summary.json").write_text(json.dumps([_entry("2013-09", 0.0)]))
    assert read_summary(tmp_path / "summary.json")[0]["period"] == "2013-09"


def test_summary_table_has_one_row_per_month_with_decisions() -> None:
    table = summary_table([_entry("2013-09", 0.07, OUTCOME), _entry("2013-10", 0.0)])
    assert table.index.tolist() == ["2013-09", "2013-10"]
    assert table["retrain"].tolist() == [True, False]
    assert table["retrained"].tolist() == [True, False]


def test_challenger_table_lists_retrainings_and_failed_gates() -> None:
    table = challenger_table([_entry("2013-09", 0.07, OUTCOME), _entry("2013-10", 0.0)])
    assert table.index.tolist() == ["2013-09"]
    assert table.loc["2013-09", "failed"] == ["FAIL: test ROC AUC 0.64 vs floor 0.70"]
    assert challenger_table([_entry("2013-10", 0.0)]).empty


def test_what_if_replays_the_rules_with_other_thresholds() -> None:
    entries = [_entry("2013-09", 0.07), _entry("2013-10", 0.0)]
    assert what_if(entries, MonitorParams())["retrain"].tolist() == [True, False]
    loose = MonitorParams(max_calibration_gap=0.1, max_calibration_error=0.1)
    assert what_if(entries, loose)["retrain"].tolist() == [False, False]

from __future__ import annotations

import pytest

from module09_monitoring.fixtures import quiet_month
from module09_monitoring.params import MonitorParams
from module09_monitoring.rules import decide

QUIET = quiet_month(0.2, calibration_error=0.01)


def test_decide_is_quiet_on_a_quiet_month() -> None:
    assert decide(QUIET, MonitorParams()) == {"alerts": [], "reasons": [], "retrain": False}


@pytest.mark.parametrize(
    ("change", "alert", "retrain"),
    [
        ({"drift_share": 0.3, "drifted_features": ["a"]}, "data_drift", True),
        ({"drifted_features": ["temp"]}, "feature_drift", False),
        ({"prediction_drift": True}, "prediction_drift", False),
        ({"missing_features": ["plane_age"]}, "missing_values", False),
        ({"label_rate": 0.33, "label_shift": 0.13, "mean_score": 0.33}, "label_shift", False),
        ({"calibration_gap": -0.09}, "calibration", True),
        ({"calibration_error": 0.1}, "calibration", True),
        ({"roc_auc": 0.6}, "quality", True),
    ],
    ids=["share", "one-feature", "score", "missing", "label-shift", "gap", "ece", "auc"],
)
def test_decide_raises_the_alert_and_retrains_only_when_configured(
    change: dict, alert: str, retrain: bool
) -> None:
    out = decide({**QUIET, **change}, MonitorParams())
    assert alert in out["alerts"]
    assert out["retrain"] is retrain
    assert any(r.startswith(f"{alert}:") for r in out["reasons"])


def test_decide_follows_retrain_on() -> None:
    month = {**QUIET, "missing_features": ["plane_age"]}
    assert decide(month, MonitorParams(retrain_on=["missing_values"]))["retrain"] is True


def test_decide_without_labels_judges_drift_only() -> None:
    unlabelled = {
        **QUIET,
        **dict.fromkeys(
            ("label_rate", "label_shift", "calibration_gap", "calibration_error", "roc_auc")
        ),
    }
    assert decide(unlabelled, MonitorParams())["alerts"] == []

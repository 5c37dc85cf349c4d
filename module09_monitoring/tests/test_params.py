from __future__ import annotations

import pytest
from pydantic import ValidationError

from module09_monitoring.params import MonitorParams, monitor_params


def test_monitor_params_defaults_retrain_on_calibration_quality_and_broad_drift() -> None:
    assert MonitorParams().retrain_on == ["data_drift", "calibration", "quality"]


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ({"drift_margin": 0.5}, "drift_margin"),
        ({"retrain_on": ["weather"]}, "retrain_on"),
        ({"treshold": 0.1}, "treshold"),
    ],
    ids=["margin-below-one", "unknown-alert", "typo"],
)
def test_monitor_params_rejects_bad_values(bad: dict, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        MonitorParams(**bad)


def test_monitor_params_reads_the_course_params_or_falls_back() -> None:
    assert isinstance(monitor_params(), MonitorParams)

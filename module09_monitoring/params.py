"""The monitor's rules: drift thresholds and when to retrain (the ``monitor`` section).

Why it matters: "is this drift?" and "should we retrain?" are decisions, and a decision a
team cannot read or change is a superstition. Every threshold the monitors use lives here,
with a default and a range, so it can move to ``params.yaml`` (section ``monitor:``) and be
versioned, diffed and tuned like any other parameter.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: The checks a month can fail. ``retrain_on`` picks which of them trigger retraining;
#: the others only raise an alert for a person to read.
Alert = Literal[
    "data_drift",  # the share of drifted features reaches max_drift_share
    "feature_drift",  # at least one feature drifted
    "prediction_drift",  # the score distribution drifted
    "missing_values",  # a feature lost values (a broken feed, not a new world)
    "label_shift",  # the late rate moved away from the reference rate
    "calibration",  # mean score vs observed rate, or the calibration error, too far off
    "quality",  # ROC AUC below the floor
]


class MonitorParams(BaseModel):
    """Thresholds of the monitors and rules of the retraining loop (``params.monitor``).

    Example:
        >>> MonitorParams().drift_floor
        0.1
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference_rows: int = Field(40_000, ge=1_000, description="training rows kept as reference")
    seed: int = 42
    drift_method: Literal["psi"] = "psi"
    drift_floor: float = Field(0.1, gt=0, description="a PSI below this is never drift")
    drift_margin: float = Field(
        2.0, ge=1.0, description="x the largest month-to-month PSI inside the training window"
    )
    max_drift_share: float = Field(0.25, gt=0, le=1)
    max_missing_increase: float = Field(0.05, gt=0, le=1)
    max_label_shift: float = Field(0.08, gt=0, le=1)
    max_calibration_gap: float = Field(0.05, gt=0, le=1)
    max_calibration_error: float = Field(0.08, gt=0, le=1)
    calibration_bins: int = Field(10, ge=2, le=100)
    min_roc_auc: float = Field(0.65, ge=0.5, le=1)
    min_labelled_rows: int = Field(500, ge=1)
    retrain_on: list[Alert] = Field(
        default_factory=lambda: ["data_drift", "calibration", "quality"]
    )
    holdout_days: int = Field(14, ge=1, le=27, description="last days of a month kept to compare")
    promotion_min_roc_auc: float | None = Field(
        None, ge=0.5, le=1, description="challenger's quality floor; None: register.min_roc_auc"
    )
    html: bool = True


def monitor_params() -> MonitorParams:
    """Return ``params.yaml``'s ``monitor`` section if the course has one, else the defaults.

    Why it matters: the rules are data. Reading them from the one parameters file makes a
    change of threshold a reviewed, versioned change that DVC can re-run.
    """
    from labs_common.config import load_params

    section = getattr(load_params(), "monitor", None)
    return MonitorParams.model_validate(section.model_dump()) if section else MonitorParams()

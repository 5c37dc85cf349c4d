"""Typed, validated parameters (params.yaml), one pydantic model per section.

Why it matters: a typo in params.yaml should stop the pipeline with a message naming the
key, not silently fall back to a default three stages later. Each section of params.yaml
is one pydantic model below; unknown keys are rejected (``extra="forbid"``).
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from labs_common import paths

Month = int


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeaturesParams(_Section):
    late_minutes: int = Field(15, ge=0, le=240)
    use_weather: bool = True
    decision_hours: int = Field(2, ge=0, le=72)


class SplitParams(_Section):
    train_months: list[Month] = Field(min_length=1)
    valid_months: list[Month] = Field(min_length=1)
    test_months: list[Month] = Field(min_length=1)

    @model_validator(mode="after")
    def _months_are_ordered_and_disjoint(self) -> SplitParams:
        parts = {"train_months": self.train_months, "valid_months": self.valid_months,
                 "test_months": self.test_months}  # fmt: skip
        for name, months in parts.items():
            bad = [m for m in months if not 1 <= m <= 12]
            if bad:
                raise ValueError(f"{name} must be in 1..12, got {bad}; edit split.{name}")
        if (
            not max(self.train_months)
            < min(self.valid_months)
            <= max(self.valid_months)
            < min(self.test_months)
        ):
            raise ValueError(
                "split months must follow time: every train month before every validation "
                f"month before every test month, got train={self.train_months} "
                f"valid={self.valid_months} test={self.test_months}"
            )
        return self

    @property
    def production_months(self) -> list[Month]:
        """Months after the training window: replayed as 'production' by the monitor."""
        return sorted(self.valid_months + self.test_months)


class SearchParams(_Section):
    hgb: dict[str, list[float | int]]
    logreg: dict[str, list[float | int]]


class TrainParams(_Section):
    model: Literal["hgb", "logreg"] = "hgb"
    seed: int = 42
    search: SearchParams


class CostParams(_Section):
    missed_delay: float = Field(gt=0)
    false_alert: float = Field(gt=0)
    threshold_rule: Literal["theoretic", "validation_grid", "prior_shift"] = "theoretic"


class RegisterParams(_Section):
    model_name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    min_roc_auc: float = Field(ge=0.5, le=1.0)
    max_slice_gap: float = Field(ge=0, le=1)
    min_slice_rows: int = Field(ge=1)
    tolerance: float = Field(ge=0, le=0.1)


#: The checks a production month can fail (module 09). ``retrain_on`` picks which of them
#: trigger retraining; the others only raise an alert for a person to read.
MonitorAlert = Literal[
    "data_drift", "feature_drift", "prediction_drift", "missing_values", "label_shift",
    "calibration", "quality",
]  # fmt: skip


class MonitorParams(_Section):
    """Thresholds of the drift monitors and rules of the retraining loop (module 09)."""

    reference_rows: int = Field(40_000, ge=1_000)
    seed: int = 42
    drift_floor: float = Field(0.1, gt=0)
    drift_margin: float = Field(2.0, ge=1.0)
    max_drift_share: float = Field(0.25, gt=0, le=1)
    max_missing_increase: float = Field(0.05, gt=0, le=1)
    max_label_shift: float = Field(0.08, gt=0, le=1)
    max_calibration_gap: float = Field(0.05, gt=0, le=1)
    max_calibration_error: float = Field(0.08, gt=0, le=1)
    calibration_bins: int = Field(10, ge=2, le=100)
    min_roc_auc: float = Field(0.65, ge=0.5, le=1)
    min_labelled_rows: int = Field(500, ge=1)
    retrain_on: list[MonitorAlert] = Field(
        default_factory=lambda: ["data_drift", "calibration", "quality"]
    )
    holdout_days: int = Field(14, ge=1, le=27)
    promotion_min_roc_auc: float | None = Field(None, ge=0.5, le=1)
    html: bool = True


# params.yaml names a section "register"; pydantic warns that it shadows a BaseModel method.
# The section is read as data only, so the shadowing is harmless.
warnings.filterwarnings("ignore", message='Field name "register"', category=UserWarning)


class Params(BaseModel):
    """All of params.yaml. One attribute per section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    features: FeaturesParams
    split: SplitParams
    train: TrainParams
    cost: CostParams
    register: RegisterParams
    monitor: MonitorParams = MonitorParams()


class ParamsError(ValueError):
    """params.yaml is missing, not YAML, or breaks a rule; the message says which key."""


@lru_cache(maxsize=8)
def load_params(path: Path = paths.PARAMS_PATH) -> Params:
    """Read and validate params.yaml.

    Why it matters: every stage gets the same typed values, and a wrong value fails here
    with the key's name instead of deep inside scikit-learn.

    Args:
        path: the YAML file; the repository's params.yaml by default.

    Returns:
        The validated, immutable parameters.

    Raises:
        ParamsError: the file is missing or a value breaks a rule.
    """
    path = Path(path)
    if not path.is_file():
        raise ParamsError(f"{path} not found; run from a clone of the course repository")
    try:
        raw = yaml.safe_load(path.read_text())
        return Params.model_validate(raw)
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ParamsError(f"{path} has invalid parameters: {problems}") from exc

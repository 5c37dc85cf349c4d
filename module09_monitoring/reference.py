"""The reference a model is judged against: what its training data looked like, month by month.

Why it matters: "drift" always means "different from something". Here that something is
the data the current champion was trained on, seen through the model's own feature step
(``model[:1]``, module 04's ``FlightFeatures``), so the monitor checks exactly the columns
the model reads, computed exactly as the model computes them. When a new champion is
promoted, its training data becomes the new reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from module04_ml_fundamentals.features import CATEGORICAL_FEATURES, LABEL, SCHEDULE_COLUMNS
from module09_monitoring.drift import (
    calibrate_limits,
    missing_envelope,
    missing_shares,
    month_envelope,
)
from module09_monitoring.params import MonitorParams

log = logging.getLogger(__name__)

SCORE = "score"


def model_features(model: object, flights: pd.DataFrame) -> pd.DataFrame:
    """Return the model's input features for raw schedule rows (the first pipeline step)."""
    return model[:1].transform(flights[SCHEDULE_COLUMNS]).reset_index(drop=True)


def model_scores(model: object, flights: pd.DataFrame) -> np.ndarray:
    """Return the model's probability of a late arrival for each raw schedule row."""
    return model.predict_proba(flights[SCHEDULE_COLUMNS])[:, 1]


def reference_sample(flights: pd.DataFrame, rows: int, seed: int) -> pd.DataFrame:
    """Return up to ``rows`` rows drawn without replacement, in their original order.

    Example:
        >>> len(reference_sample(pd.DataFrame({"a": range(10)}), 4, seed=0))
        4
    """
    if len(flights) <= rows:
        return flights.reset_index(drop=True)
    picked = np.sort(np.random.default_rng(seed).choice(len(flights), rows, replace=False))
    return flights.iloc[picked].reset_index(drop=True)


def reference_positions(training: pd.DataFrame, params: MonitorParams) -> np.ndarray:
    """Return the positions of the training rows the reference sample takes, in order.

    Why it matters: the reference and the checks that must avoid it (false alarms measured
    on held-out training rows) have to agree on which rows it holds; one rule, one place.

    Example:
        >>> rows = MonitorParams(reference_rows=1_000)
        >>> picked = reference_positions(pd.DataFrame({"a": range(5_000)}), rows)
        >>> len(picked), bool((picked[1:] > picked[:-1]).all())
        (1000, True)
    """
    index = pd.DataFrame({"i": range(len(training))})
    return reference_sample(index, params.reference_rows, params.seed)["i"].to_numpy()


@dataclass
class Reference:
    """The reference sample (features, score, label), its monthly PSI and the drift limits."""

    frame: pd.DataFrame
    months: np.ndarray
    envelope: pd.DataFrame
    psi_limits: dict[str, float]
    missing_limits: dict[str, float]
    label_rate: float | None
    categorical: list[str] = field(default_factory=lambda: list(CATEGORICAL_FEATURES))

    @property
    def features(self) -> list[str]:
        """The feature columns (the score and the label left out)."""
        return [c for c in self.frame.columns if c not in (SCORE, LABEL)]

    def to_dict(self) -> dict:
        """A JSON-ready description: rows, months, label rate, limits and envelope."""
        return {
            "rows": len(self.frame),
            "months": sorted(int(m) for m in np.unique(self.months)),
            "label_rate": self.label_rate,
            "psi_limits": self.psi_limits,
            "missing_limits": self.missing_limits,
            "missing": missing_shares(self.frame[self.features]).round(6).to_dict(),
            "envelope_max": self.envelope.max(axis=0).round(6).to_dict(),
        }


def build_reference(model: object, training: pd.DataFrame, params: MonitorParams) -> Reference:
    """Sample the training rows, compute features and scores, learn per-column drift limits.

    The reference is a seeded sample (``reference_rows``); the limits come from every
    whole training month compared with that sample, as a production month will be.

    Args:
        model: the fitted pipeline (schedule columns in, probability out).
        training: the rows it was trained on (schedule columns, ``late`` if known).
        params: the monitor's rules (sample size, seed, floor, margin).
    """
    training = training.reset_index(drop=True)
    picked = reference_positions(training, params)
    features = model_features(model, training)
    frame = features.iloc[picked].reset_index(drop=True)
    frame[SCORE] = model_scores(model, training.iloc[picked])
    months = training["month"].to_numpy()
    whole = {int(m): features[months == m] for m in np.unique(months)}
    envelope = month_envelope(frame[features.columns], whole, list(CATEGORICAL_FEATURES))
    envelope[SCORE] = month_envelope(frame[[SCORE]], _by_month(frame, months[picked]), [])[SCORE]
    missing = missing_envelope(frame[features.columns], whole)
    label_rate = None
    if LABEL in training:
        frame[LABEL] = training[LABEL].to_numpy()[picked]
        label_rate = float(training[LABEL].mean())
    log.info(
        "Reference: %s of %s rows, months %s",
        f"{len(frame):,}",
        f"{len(training):,}",
        sorted(whole),
    )
    return Reference(
        frame,
        months[picked],
        envelope,
        calibrate_limits(envelope, params.drift_floor, params.drift_margin),
        calibrate_limits(missing, params.max_missing_increase, params.drift_margin),
        label_rate,
    )


def _by_month(frame: pd.DataFrame, months: np.ndarray) -> dict[int, pd.DataFrame]:
    return {int(m): frame[months == m] for m in np.unique(months)}

"""Drift scores per feature, and limits learned from the training window's own seasons.

Why it matters: in these flights, weather drifts every month (July is hot, December is
cold) while the schedule barely moves. One fixed limit either cries wolf every month on
temperature or sleeps through a real change in the schedule. So each feature gets its own
limit, learned from how much that feature moved *between the training months*: a
feature is drifted only when it moves more than ``drift_margin`` times its largest
month-to-month swing seen in training, and never below ``drift_floor``.

The score is the PSI (population stability index) computed on Evidently's bins with
Evidently's rule for empty bins, so the numbers here and in the Evidently HTML report are
the same numbers (a test compares them with the report's).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from module09_monitoring.stats import binned_shares, fill_empty_bins

log = logging.getLogger(__name__)


def psi(reference: pd.Series, current: pd.Series, categorical: bool) -> float:
    """Return the PSI of ``current`` against ``reference`` (NaN when either side is empty).

    Why it matters: PSI sums, over bins, (current share - reference share) x log of their
    ratio. Rules of thumb: below 0.1 nothing happened, above 0.25 the population changed.
    Missing values are left out here and watched separately (:func:`drift_table`).

    Example:
        >>> ref = pd.Series(["a"] * 50 + ["b"] * 50)
        >>> round(psi(ref, pd.Series(["a"] * 90 + ["b"] * 10), categorical=True), 3)
        0.879
    """
    ref, cur = _finite(reference), _finite(current)
    if ref.empty or cur.empty:
        return float("nan")
    shares = binned_shares(ref, cur, categorical)  # Evidently's bins for PSI
    r, c = fill_empty_bins(shares["reference"]), fill_empty_bins(shares["current"])
    return float(np.sum((r - c) * np.log(r / c)))


def _finite(values: pd.Series) -> pd.Series:
    return values.replace([np.inf, -np.inf], np.nan).dropna()


def drift_scores(
    reference: pd.DataFrame, current: pd.DataFrame, categorical: list[str]
) -> pd.Series:
    """Return the PSI of every column of ``reference`` (current against reference)."""
    return pd.Series(
        {c: psi(reference[c], current[c], c in categorical) for c in reference.columns},
        dtype=float,
    )


def month_envelope(
    reference: pd.DataFrame, months: dict[int, pd.DataFrame], categorical: list[str]
) -> pd.DataFrame:
    """Return the PSI of each training month against the reference (month x column).

    Why it matters: this table is the seasonal noise the model was trained with. If
    temperature in January already had a PSI of 3.6 against January-August pooled, a PSI of
    2.6 in September is not news. Pass whole months, as production will send them: a PSI
    depends on sample size, so the envelope must be measured on months of the same size.
    """
    rows = {
        m: drift_scores(reference, frame[reference.columns], categorical)
        for m, frame in sorted(months.items())
    }
    return pd.DataFrame(rows).T.rename_axis("month")


def missing_envelope(reference: pd.DataFrame, months: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Return how far each month's missing share rose above the reference's (month x column).

    Why it matters: some gaps are seasonal too: ``wind_gust`` is recorded only when it is
    gusty, so its missing share moves with the seasons, not with a broken feed.
    """
    base = missing_shares(reference)
    rows = {
        m: missing_shares(frame[reference.columns]) - base for m, frame in sorted(months.items())
    }
    return pd.DataFrame(rows).T.rename_axis("month")


def calibrate_limits(envelope: pd.DataFrame, floor: float, margin: float) -> dict[str, float]:
    """Return one limit per column: ``max(floor, margin x largest monthly PSI)``.

    Example:
        >>> env = pd.DataFrame({"temp": [3.6, 1.8], "distance": [0.01, 0.02]})
        >>> calibrate_limits(env, floor=0.1, margin=2.0)
        {'temp': 7.2, 'distance': 0.1}
    """
    largest = envelope.max(axis=0).fillna(0.0)
    return {str(c): round(max(floor, margin * float(v)), 6) for c, v in largest.items()}


def missing_shares(frame: pd.DataFrame) -> pd.Series:
    """Return the share of missing values of each column (0 for an empty frame)."""
    if frame.empty:
        return pd.Series(0.0, index=frame.columns)
    return frame.isna().mean().astype(float)


def drift_table(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    psi_limits: dict[str, float],
    categorical: list[str],
    missing_limits: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Return one row per column: PSI vs its limit, missing shares, their rise vs its limit.

    Args:
        reference: the reference features (the columns to check).
        current: the same columns for the period being monitored.
        psi_limits: per-column PSI limits (:func:`calibrate_limits`).
        categorical: which columns are categories.
        missing_limits: per-column largest allowed rise of the missing share (default 0.05).

    Raises:
        ValueError: ``current`` lacks columns of ``reference``.
    """
    missing = [c for c in reference.columns if c not in current.columns]
    if missing:
        raise ValueError(f"current data lacks column(s) {missing}; expected {list(reference)}")
    scores = drift_scores(reference, current[reference.columns], categorical)
    table = pd.DataFrame(
        {
            "psi": scores,
            "psi_limit": pd.Series(psi_limits, dtype=float).reindex(scores.index),
            "missing_reference": missing_shares(reference),
            "missing_current": missing_shares(current[reference.columns]),
        }
    ).rename_axis("feature")
    table["drifted"] = table["psi"] >= table["psi_limit"]
    table["missing_increase"] = table["missing_current"] - table["missing_reference"]
    limits = pd.Series(missing_limits or {}, dtype=float).reindex(scores.index).fillna(0.05)
    table["missing_limit"] = limits
    table["missing_flag"] = table["missing_increase"] > limits
    return table

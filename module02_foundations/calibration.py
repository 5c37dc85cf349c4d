"""Calibration: when is a score a probability? Reliability curves on the flights data.

Lesson: module 02, notebook 03 (last part). A naive score that grows with the departure
hour ranks flights sensibly, yet reading it as "the chance of a delay" is badly wrong. The
late rate per hour measured on earlier months is a calibrated score. We draw both
reliability curves with our own binning, identical to
``sklearn.calibration.calibration_curve``, and summarise them with the Brier score and the
expected calibration error (ECE).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from module02_foundations.probability import late_labels

FIRST_HOUR, LAST_HOUR = 5, 23


def naive_hour_score(hours: np.ndarray) -> np.ndarray:
    """Map the scheduled hour linearly onto [0, 1]: 5 h -> 0, 23 h -> 1.

    Why it matters: delays do pile up during the day, so this score ranks flights well;
    but no flight has a 100 % chance of being late, so it is not a probability.
    """
    scaled = (np.asarray(hours, dtype=float) - FIRST_HOUR) / (LAST_HOUR - FIRST_HOUR)
    return np.clip(scaled, 0.0, 1.0)


def fit_rate_table(
    train: pd.DataFrame, column: str = "hour", late_minutes: int | None = None
) -> pd.Series:
    """Learn P(late | column = v) on ``train``: a lookup table, the simplest calibrated model.

    Why it matters: a frequency measured on past flights is, by construction, right on
    average for flights like them; this is histogram-binning calibration.
    """
    late = late_labels(train, late_minutes)
    return late.groupby(train.loc[late.index, column], observed=True).mean().rename("p_late")


def score_with_table(table: pd.Series, values: pd.Series, default: float) -> np.ndarray:
    """Look each value up in ``table``; values never seen in training get ``default``."""
    return values.map(table).astype(float).fillna(default).to_numpy()


def reliability_curve(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10) -> pd.DataFrame:
    """Bin the scores into ``n_bins`` equal-width bins; per bin: mean score, late share, count.

    Why it matters: a calibrated score sits on the diagonal (among flights scored 0.3,
    30 % are late). Same bins as sklearn's ``calibration_curve(strategy="uniform")``;
    empty bins are dropped.
    """
    y_true, y_prob = np.asarray(y_true, dtype=float), np.asarray(y_prob, dtype=float)
    if y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError(f"scores must be in [0, 1], got [{y_prob.min()}, {y_prob.max()}]")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(edges[1:-1], y_prob)
    count = np.bincount(ids, minlength=n_bins)
    keep = count > 0
    return pd.DataFrame(
        {
            "prob_pred": (np.bincount(ids, y_prob, n_bins)[keep] / count[keep]),
            "prob_true": (np.bincount(ids, y_true, n_bins)[keep] / count[keep]),
            "count": count[keep],
        }
    )


def expected_calibration_error(curve: pd.DataFrame) -> float:
    """Return the ECE: the count-weighted mean gap |late share - mean score| over bins.

    Example:
        >>> curve = pd.DataFrame({"prob_pred": [0.2, 0.8], "prob_true": [0.2, 0.6],
        ...                       "count": [1, 1]})
        >>> round(expected_calibration_error(curve), 6)
        0.1
    """
    weights = curve["count"] / curve["count"].sum()
    return float((weights * (curve["prob_true"] - curve["prob_pred"]).abs()).sum())


def brier_score(y_true: np.ndarray, y_prob: np.ndarray) -> float:
    """Return the mean squared gap between the 0/1 outcome and the score (lower is better)."""
    return float(np.mean((np.asarray(y_prob, float) - np.asarray(y_true, float)) ** 2))


def plot_reliability(curves: dict[str, pd.DataFrame], ax: plt.Axes | None = None) -> plt.Axes:
    """Draw reliability curves (one per named score) against the diagonal."""
    ax = ax or plt.subplots(figsize=(5, 5))[1]
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    for name, curve in curves.items():
        ece = expected_calibration_error(curve)
        ax.plot(curve["prob_pred"], curve["prob_true"], marker="o", label=f"{name} (ECE {ece:.3f})")
    ax.set(xlabel="mean score in bin", ylabel="share late in bin", xlim=(0, 1), ylim=(0, 1))
    ax.set_title("Reliability curves")
    ax.legend(loc="upper left")
    return ax

"""Label shift, calibration and ranking quality of a month, once its labels are known.

Why it matters: in autumn 2013 the share of late flights swings from 13% (September) to
33% (December) while the model keeps predicting about 20%. Feature drift cannot see that:
the schedule looks the same. Comparing the mean score with the observed late rate
(calibration in the large) and the calibration error per score bin shows it at once, and
these are the numbers the cost rules of module 05 depend on.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from labs_common.metrics import probability_metrics


def calibration_error(y: npt.ArrayLike, proba: npt.ArrayLike, bins: int = 10) -> float:
    """Return the expected calibration error: mean |observed - predicted| over score bins.

    Why it matters: a model can be right on average yet wrong in every bin (too sure at
    both ends). The bins are equal-width in score; each counts by its share of flights.

    Example:
        >>> calibration_error([0, 0, 1, 1], [0.1, 0.1, 0.9, 0.9], bins=10)
        0.1
    """
    y, proba = np.asarray(y, dtype=float), np.asarray(proba, dtype=float)
    if y.size == 0:
        return float("nan")
    which = np.minimum((proba * bins).astype(int), bins - 1)
    n = np.bincount(which, minlength=bins)
    gap = np.abs(np.bincount(which, y, bins) - np.bincount(which, proba, bins))
    return round(float(gap.sum() / n.sum()), 12)


def calibration_stats(y: npt.ArrayLike, proba: npt.ArrayLike, bins: int = 10) -> dict:
    """Return the late rate, the mean score, their gap (score - rate) and the calibration error.

    Example:
        >>> calibration_stats([0, 1, 0, 0], [0.2, 0.4, 0.2, 0.2])["calibration_gap"]
        0.0
    """
    y, proba = np.asarray(y, dtype=float), np.asarray(proba, dtype=float)
    rate, mean = float(y.mean()), float(proba.mean())
    return {
        "label_rate": rate,
        "mean_score": mean,
        "calibration_gap": round(mean - rate, 12),
        "calibration_error": calibration_error(y, proba, bins),
    }


def ranking_stats(y: npt.ArrayLike, proba: npt.ArrayLike) -> dict:
    """Return ROC AUC (None with one class only), Brier score and log loss."""
    bundle = probability_metrics(y, proba)
    return {name: bundle[name] for name in ("roc_auc", "brier", "log_loss")}


def labelled_part(labels: object) -> np.ndarray:
    """Return a boolean mask of rows whose label is known (0 or 1).

    Why it matters: labels arrive late and not all at once; a month is judged on the rows
    that have one, and the report says how many that was.
    """
    values = np.asarray(labels, dtype=float)
    return np.isin(values, [0.0, 1.0])

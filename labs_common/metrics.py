"""The score metrics of a probabilistic classifier, computed in one place.

Why it matters: the evaluate stage, the model comparisons of module 04 and the monthly
monitor all report ROC AUC, PR AUC, log loss and the Brier score. Computed three times,
they drift apart (one forgets ``labels=[0, 1]`` and crashes on a month with one class,
another returns NumPy floats that JSON refuses). Here they are computed once; callers pick
the keys they report and the names they give them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


def probability_metrics(y: npt.ArrayLike, proba: npt.ArrayLike) -> dict[str, float | None]:
    """Return ``roc_auc``, ``pr_auc`` (average precision), ``log_loss`` and ``brier``.

    ROC AUC and PR AUC judge the ranking (threshold-free) and need both classes: with one
    class only they are None. Log loss and the Brier score judge the probabilities
    themselves, which the cost rules rely on.

    Example:
        >>> probability_metrics([0, 1], [0.2, 0.8])["roc_auc"]
        1.0
        >>> probability_metrics([1, 1], [0.2, 0.8])["roc_auc"] is None
        True
    """
    y, proba = np.asarray(y, dtype=int), np.asarray(proba, dtype=float)
    both = np.unique(y).size == 2
    return {
        "roc_auc": float(roc_auc_score(y, proba)) if both else None,
        "pr_auc": float(average_precision_score(y, proba)) if both else None,
        "log_loss": float(log_loss(y, proba, labels=[0, 1])),
        "brier": float(brier_score_loss(y, proba)),
    }

"""Choosing the model to deploy: more than the best validation score (lesson 04).

Why it matters: the model with the highest ROC AUC on the validation months is a
candidate, not a decision. Before it serves anyone we want to know how it does in its
*worst* month, whether its probabilities can be taken at face value, what it costs to
call, how big it is, what happens when an input feed goes down, and which training
window suits it. Each of these is one small measurement here.
"""

from __future__ import annotations

import pickle
import time

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import log_loss, roc_auc_score

from module04_ml_fundamentals.compare import boosting_on_columns


def worst_month(y: np.ndarray, proba: np.ndarray, months: np.ndarray) -> tuple[int, float]:
    """Return the month with the lowest ROC AUC and that ROC AUC.

    Example:
        >>> worst_month(np.array([0, 1, 0, 1]), np.array([.1, .9, .8, .2]), np.array([1, 1, 2, 2]))
        (2, 0.0)
    """
    y, proba, months = np.asarray(y), np.asarray(proba), np.asarray(months)
    aucs = {int(m): float(roc_auc_score(y[months == m], proba[months == m]))
            for m in np.unique(months)}  # fmt: skip
    month = min(aucs, key=aucs.__getitem__)
    return month, aucs[month]


def predict_ms_per_1000(model: object, X: pd.DataFrame, repeats: int = 3) -> float:
    """Fastest of ``repeats`` timings of ``predict_proba``, in milliseconds per 1,000 rows."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict_proba(X)
        best = min(best, time.perf_counter() - start)
    return 1000 * best / len(X) * 1000


def size_kb(model: object) -> float:
    """Size of the fitted model once serialised (pickle), in kilobytes."""
    return len(pickle.dumps(model)) / 1024


def with_outage(X: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Return a copy of ``X`` where ``columns`` are missing, as when their feed is down."""
    return X.assign(**dict.fromkeys(columns, np.nan))


def compare_finalists(
    models: dict[str, object],
    train: tuple[pd.DataFrame, np.ndarray],
    valid: tuple[pd.DataFrame, np.ndarray],
    months: np.ndarray,
    outage_columns: list[str],
) -> pd.DataFrame:
    """Fit each finalist and measure what a deployment decision needs.

    Columns: ``roc_auc`` and ``log_loss`` on the validation rows; the ``worst_month`` and
    its ROC AUC; ``calibration_gap`` (mean probability minus late share); the ROC AUC
    when ``outage_columns`` are missing (``roc_auc_outage``); prediction time and size.
    """
    rows = {}
    for name, model in models.items():
        fitted = clone(model).fit(*train)
        proba = fitted.predict_proba(valid[0])[:, 1]
        month, month_auc = worst_month(valid[1], proba, months)
        outage = fitted.predict_proba(with_outage(valid[0], outage_columns))[:, 1]
        rows[name] = {
            "roc_auc": roc_auc_score(valid[1], proba), "log_loss": log_loss(valid[1], proba),
            "worst_month": month, "worst_month_roc_auc": month_auc,
            "calibration_gap": proba.mean() - np.mean(valid[1]),
            "roc_auc_outage": roc_auc_score(valid[1], outage),
            "predict_ms_per_1000": predict_ms_per_1000(fitted, valid[0]),
            "size_kb": size_kb(fitted),
        }  # fmt: skip
    return pd.DataFrame(rows).T


def recency_curve(
    train: tuple[pd.DataFrame, np.ndarray],
    months: np.ndarray,
    valid: tuple[pd.DataFrame, np.ndarray],
    windows: list[int],
    seed: int = 0,
) -> pd.DataFrame:
    """Train the same model on the last ``k`` training months, for each ``k``; score later.

    Why it matters: "all the data" is a choice too. Older months add rows, but they may
    describe a world that has changed; the validation months decide.
    """
    months = np.asarray(months)
    last, rows = months.max(), {}
    for k in windows:
        keep = months > last - k
        model = boosting_on_columns(seed).fit(train[0][keep], train[1][keep])
        proba = model.predict_proba(valid[0])[:, 1]
        rows[k] = {"first_month": int(last - k + 1), "rows": int(keep.sum()),
                   "roc_auc": roc_auc_score(valid[1], proba),
                   "log_loss": log_loss(valid[1], proba),
                   "calibration_gap": proba.mean() - np.mean(valid[1])}  # fmt: skip
    return pd.DataFrame(rows).T.rename_axis("last_k_months")

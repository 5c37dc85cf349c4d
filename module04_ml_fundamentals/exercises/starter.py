"""Module 04 exercises: fill in each function, then run ``labs check 4``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 4`` (or ``show_results(4)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def brier_skill_score(y: np.ndarray, proba: np.ndarray) -> float:
    """Return ``1 - Brier(proba) / Brier(constant)``, the constant being the share of 1s in ``y``.

    Notebook 01. 1 is perfect, 0 is no better than always predicting the base rate,
    below 0 is worse than that. The Brier score is the mean of ``(proba - y) ** 2``.
    """
    # TODO: the Brier score of proba, and of np.full(len(y), y.mean()); then 1 - ratio
    raise NotImplementedError


def median_baseline_mae(train_delay: np.ndarray, valid_delay: np.ndarray) -> float:
    """Return the mean absolute error, on the validation flights, of always predicting the
    *training* median delay.

    Notebook 01. The baseline every regressor of the delay must beat.
    """
    # TODO: np.median of the training delays, then the mean of |valid - that median|
    raise NotImplementedError


def cyclical_hour(hours: np.ndarray) -> np.ndarray:
    """Return an array of shape ``(n, 2)``: ``sin`` and ``cos`` of ``2 * pi * hours / 24``.

    Notebook 02. On this circle 23:30 sits next to 00:30, as on a clock.
    """
    # TODO: the angle 2 * np.pi * hours / 24, then np.column_stack of its sin and cos
    raise NotImplementedError


def smoothed_target_mean(
    fit_keys: pd.Series, fit_y: np.ndarray, apply_keys: pd.Series, smoothing: float = 20.0
) -> np.ndarray:
    """Encode each of ``apply_keys`` by the late share of that key in the fitting rows.

    Notebook 02. With ``n`` fitting rows of a key, ``late`` of them late, and ``prior`` the
    late share of all fitting rows, the encoding is
    ``(late + smoothing * prior) / (n + smoothing)``. A key never seen gets ``prior``.
    Return a float array with one value per element of ``apply_keys``.
    """
    # TODO: groupby the fitting keys -> sum and count of y; the formula; .map on apply_keys
    raise NotImplementedError


def suspicious_features(X: pd.DataFrame, y: np.ndarray, max_auc: float = 0.8) -> list[str]:
    """Return the numeric columns of ``X`` that alone separate ``y`` too well: a leakage smell.

    Notebook 02. For each numeric column (skip the others), fill missing values with the
    column's median and compute ``roc_auc_score(y, column)``; a column that ranks
    backwards is as informative, so use ``max(auc, 1 - auc)``. Return the names of the
    columns above ``max_auc``, highest first.
    """
    # TODO: X.select_dtypes("number"), a loop with sklearn.metrics.roc_auc_score, then sort
    raise NotImplementedError


def monthly_folds(months: np.ndarray, n_splits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return expanding-window folds by month: ``(train_rows, valid_rows)`` index arrays.

    Notebook 03. The validation months are the last ``n_splits`` distinct months, in
    order; each fold trains on every row of an earlier month. Raise ``ValueError`` if
    ``n_splits`` is not in ``1..(number of distinct months - 1)``.
    """
    # TODO: check n_splits; the last distinct months validate; each trains on earlier rows
    raise NotImplementedError


def halving_schedule(
    n_candidates: int, factor: int, min_resources: int, max_resources: int
) -> list[tuple[int, int]]:
    """Return ``(candidates, resources)`` for each round of successive halving.

    Notebook 03. Round ``i`` gives ``min_resources * factor**i`` rows (at most
    ``max_resources``) to the candidates still in; then the best ``ceil(candidates /
    factor)`` go on. scikit-learn runs ``min(required, possible)`` rounds, where
    ``required = 1 + floor(log(n_candidates, factor))`` and
    ``possible = 1 + floor(log(max_resources // min_resources, factor))``.
    """
    # TODO: math.log, math.floor, math.ceil; a loop over the rounds
    raise NotImplementedError


def worst_month_auc(y: np.ndarray, proba: np.ndarray, months: np.ndarray) -> tuple[int, float]:
    """Return the month with the lowest ROC AUC, and that ROC AUC, as ``(int, float)``.

    Notebook 04. An average over months can hide a month where the model is poor.
    """
    # TODO: for each month in np.unique(months), roc_auc_score on its rows; keep the lowest
    raise NotImplementedError


def calibration_gap(y: np.ndarray, proba: np.ndarray) -> float:
    """Return the mean predicted probability minus the observed share of late flights.

    Notebook 04. Positive: the model expects more delays than happen; negative: fewer.
    The cost-based threshold of module 05 assumes this gap is close to 0.
    """
    # TODO: one line with np.mean
    raise NotImplementedError

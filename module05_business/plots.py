"""Small curve tables for ``dvc plots``: ROC, precision-recall, calibration and cost.

Why it matters: a curve of 100,000 points in git is noise in every diff; 200 well-chosen
points draw the same picture, and ``dvc plots diff`` can then compare two experiments.
Every table has plain x/y columns (``fpr``/``tpr``, ``recall``/``precision``,
``mean_predicted``/``observed``, ``threshold``/``test_cost``). Used by the DVC stage
``evaluate``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from module05_business.cost import Costs, cost_curve, count_outcomes
from module05_business.threshold import GRID

ArrayLike = npt.ArrayLike
MAX_POINTS = 200


def curve_thresholds(proba: ArrayLike, max_points: int = MAX_POINTS) -> np.ndarray:
    """Return at most ``max_points`` thresholds, spread by quantile, from 1 down to 0.

    Why it matters: quantiles put the points where the flights are, so the curve is
    smooth where it matters; 0 and 1 pin both ends of the ROC curve.
    """
    levels = np.quantile(np.asarray(proba, dtype=float), np.linspace(0, 1, max_points - 2))
    return np.unique(np.concatenate([[0.0, 1.0], levels]))[::-1]


def roc_table(y: ArrayLike, proba: ArrayLike) -> pd.DataFrame:
    """Return the ROC curve (``fpr``, ``tpr``, ``threshold``) at quantile thresholds."""
    thresholds = curve_thresholds(proba)
    c = count_outcomes(y, proba, thresholds)
    return pd.DataFrame(
        {
            "fpr": c["fp"] / max(c["fp"][-1] + c["tn"][-1], 1),
            "tpr": c["tp"] / max(c["tp"][-1] + c["fn"][-1], 1),
            "threshold": thresholds,
        }
    )


def pr_table(y: ArrayLike, proba: ArrayLike) -> pd.DataFrame:
    """Return the precision-recall curve (``recall``, ``precision``, ``threshold``).

    Thresholds that flag no flight are left out: precision is undefined there.
    """
    thresholds = curve_thresholds(proba)
    c = count_outcomes(y, proba, thresholds)
    flagged = c["tp"] + c["fp"]
    keep = flagged > 0
    return pd.DataFrame(
        {
            "recall": c["tp"][keep] / max(c["tp"][0] + c["fn"][0], 1),
            "precision": c["tp"][keep] / flagged[keep],
            "threshold": thresholds[keep],
        }
    )


def calibration_table(y: ArrayLike, proba: ArrayLike, n_bins: int = 20) -> pd.DataFrame:
    """Return, per probability bin of equal width, the mean prediction and the late share.

    Why it matters: the cost-theoretic threshold assumes "p = 0.3" means "30% of such
    flights are late". Points above the diagonal mean the model under-estimates delays
    (as it does when the test months are more often late than the months it learned from).
    """
    proba = np.asarray(proba, dtype=float)
    frame = pd.DataFrame({"y": np.asarray(y, dtype=float), "proba": proba})
    frame["bin"] = np.minimum((proba * n_bins).astype(int), n_bins - 1)
    table = frame.groupby("bin", sort=True).agg(
        mean_predicted=("proba", "mean"), observed=("y", "mean"), n=("y", "size")
    )
    return table.reset_index()[["mean_predicted", "observed", "n", "bin"]]


def cost_table(
    y_valid: ArrayLike,
    p_valid: ArrayLike,
    y_test: ArrayLike,
    p_test: ArrayLike,
    costs: Costs,
) -> pd.DataFrame:
    """Return the cost per flight at every grid threshold, on test and on validation.

    Why it matters: two curves with their minimum in different places are the whole
    module-05 lesson in one picture: the best threshold moved between the two periods.
    """
    return pd.DataFrame(
        {
            "threshold": GRID,
            "test_cost": cost_curve(y_test, p_test, GRID, costs),
            "valid_cost": cost_curve(y_valid, p_valid, GRID, costs),
        }
    )


def plot_tables(valid: pd.DataFrame, test: pd.DataFrame, costs: Costs) -> dict[str, pd.DataFrame]:
    """Return the four tables the stage writes: ``roc``, ``pr``, ``calibration``, ``cost_curve``."""
    y, p = test["y"], test["proba"]
    return {
        "roc": roc_table(y, p),
        "pr": pr_table(y, p),
        "calibration": calibration_table(y, p),
        "cost_curve": cost_table(valid["y"], valid["proba"], y, p, costs),
    }

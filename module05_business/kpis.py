"""KPIs of a scored period: how well the model ranks, and what its decisions cost.

Why it matters: a KPI is a number a stakeholder has agreed to be judged by. The DVC stage
``evaluate`` reports two kinds side by side: model metrics (ROC AUC, PR AUC, log loss,
Brier score), which data scientists use to compare models, and decision metrics (cost per
flight, saving, precision, recall, share of flights flagged), which the operations team
feels every day.
"""

from __future__ import annotations

import pandas as pd

from labs_common.metrics import probability_metrics
from module05_business.cost import (
    Costs,
    cost_at_threshold,
    cost_saving,
    count_outcomes,
    trivial_costs,
)


def ranking_metrics(y: pd.Series, proba: pd.Series, prefix: str) -> dict[str, float]:
    """Return ROC AUC, PR AUC (average precision), log loss and Brier score, as
    ``{prefix}_roc_auc`` and so on (the bundle is :func:`labs_common.metrics.probability_metrics`).

    Why it matters: ROC AUC and PR AUC judge the ranking (threshold-free); log loss and the
    Brier score judge the probabilities themselves, which the cost rules rely on.
    """
    return {f"{prefix}_{name}": value for name, value in probability_metrics(y, proba).items()}


def decision_metrics(y: pd.Series, proba: pd.Series, threshold: float, costs: Costs) -> dict:
    """Return the test KPIs of one threshold: cost, saving, precision, recall, confusion."""
    c = {k: int(v[0]) for k, v in count_outcomes(y, proba, [threshold]).items()}
    trivial = trivial_costs(y, costs)
    cost = cost_at_threshold(y, proba, threshold, costs)
    return {
        "test_cost": cost,
        "cost_flag_none": trivial["flag_none"],
        "cost_flag_all": trivial["flag_all"],
        "cost_saving_vs_best_trivial": cost_saving(cost, trivial),
        "test_precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0,
        "test_recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0,
        "test_flag_rate": (c["tp"] + c["fp"]) / len(y),
        "confusion": {k: c[k] for k in ("tp", "fp", "tn", "fn")},
    }


def price_threshold(
    valid: pd.DataFrame, test: pd.DataFrame, threshold: float, costs: Costs
) -> dict:
    """Return a threshold's cost per flight on both splits and its saving on test."""
    test_cost = cost_at_threshold(test["y"], test["proba"], threshold, costs)
    return {
        "test_cost": test_cost,
        "valid_cost": cost_at_threshold(valid["y"], valid["proba"], threshold, costs),
        "cost_saving_vs_best_trivial": cost_saving(test_cost, trivial_costs(test["y"], costs)),
    }


def kpis_by_threshold(
    y: pd.Series, proba: pd.Series, thresholds: list[float], costs: Costs
) -> pd.DataFrame:
    """Return one row of decision KPIs per threshold (cost, saving, precision, recall, flags).

    Why it matters: the model metrics stay the same whatever the threshold; every KPI the
    operations team sees moves with it. One table makes that trade-off visible.
    """
    rows = []
    for t in thresholds:
        kpis = decision_metrics(y, proba, t, costs)
        rows.append({"threshold": t, **{k: v for k, v in kpis.items() if k != "confusion"}})
    return pd.DataFrame(rows).set_index("threshold")

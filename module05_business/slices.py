"""Metrics by group (carrier, origin airport): is the model as good for everyone?

Why it matters: one overall ROC AUC can hide a group the model serves badly. Reporting
each carrier and each New York airport separately, and the gap between the best and the
worst, is the simplest fairness audit; the register stage refuses a model whose gap is too
large (``register.max_slice_gap``). Small groups are reported but not judged: a ROC AUC on
a few hundred flights is mostly noise, so only slices with at least
``register.min_slice_rows`` rows get one. Used by the DVC stage ``evaluate``.
"""

from __future__ import annotations

import pandas as pd
from sklearn.metrics import roc_auc_score

from module05_business.cost import Costs, cost_at_threshold, cost_saving, trivial_costs

DIMENSIONS = ("carrier", "origin")


def metrics_for_group(
    y: pd.Series, proba: pd.Series, threshold: float, costs: Costs, min_rows: int
) -> dict[str, float | int | None]:
    """Return size, late share, cost (and ROC AUC when big enough) for one group.

    Why it matters: the cost per flight and the saving show who pays for the model's
    mistakes; the ROC AUC shows whom it ranks well. A group with one class only has no ROC
    AUC (there is nothing to rank).
    """
    cost = cost_at_threshold(y, proba, threshold, costs)
    out: dict[str, float | int | None] = {
        "n": len(y),
        "late_share": float(y.mean()),
        "cost": cost,
        "cost_saving": cost_saving(cost, trivial_costs(y, costs)),
    }
    if len(y) >= min_rows and y.nunique() == 2:
        out["roc_auc"] = float(roc_auc_score(y, proba))
    return out


def slice_metrics(
    scores: pd.DataFrame, by: str, threshold: float, costs: Costs, min_rows: int
) -> dict[str, dict[str, float | int | None]]:
    """Return ``{group: metrics}`` for every value of column ``by``, sorted by group name.

    Args:
        scores: rows with ``y``, ``proba`` and the column ``by``.
        by: the grouping column, e.g. ``"carrier"``.
        threshold: the decision threshold in use.
        costs: the unit costs.
        min_rows: groups smaller than this get no ``roc_auc``.
    """
    if by not in scores:
        raise ValueError(f"cannot slice by {by!r}: the scores have columns {list(scores)}")
    groups = scores.groupby(scores[by].astype(str), observed=True, sort=True)
    return {
        str(name): metrics_for_group(g["y"], g["proba"], threshold, costs, min_rows)
        for name, g in groups
    }


def max_slice_gap(slices: dict[str, dict[str, float | int | None]]) -> float | None:
    """Return the best minus the worst ROC AUC among slices that have one (None if < 2).

    Why it matters: this single number is what the fairness gate compares with
    ``register.max_slice_gap``.

    Example:
        >>> max_slice_gap({"a": {"roc_auc": 0.7}, "b": {"roc_auc": 0.75}, "c": {"n": 3}})
        0.05
    """
    aucs = [s["roc_auc"] for s in slices.values() if s.get("roc_auc") is not None]
    if len(aucs) < 2:
        return None
    return round(max(aucs) - min(aucs), 12)


def slice_report(
    scores: pd.DataFrame, threshold: float, costs: Costs, min_rows: int
) -> tuple[dict[str, dict], dict[str, float | None]]:
    """Return the slices of every dimension in ``DIMENSIONS`` and their ROC AUC gaps.

    Returns:
        ``({"carrier": {...}, "origin": {...}}, {"carrier": gap, "origin": gap,
        "overall": largest gap})``.
    """
    slices = {dim: slice_metrics(scores, dim, threshold, costs, min_rows) for dim in DIMENSIONS}
    gaps: dict[str, float | None] = {dim: max_slice_gap(s) for dim, s in slices.items()}
    known = [g for g in gaps.values() if g is not None]
    gaps["overall"] = max(known) if known else None
    return slices, gaps


def rates_by_group(scores: pd.DataFrame, by: str, threshold: float) -> pd.DataFrame:
    """Return per group: flights, late share, flag rate, recall and false-alert rate.

    Why it matters: fairness has several definitions that cannot all hold at once. Equal
    flag rates (demographic parity) ignore that some groups really are late more often;
    equal recall (equal opportunity: every late flight has the same chance to be caught)
    and equal false-alert rates (with recall: equalised odds) compare like with like.
    """
    frame = scores.assign(
        group=scores[by].astype(str),
        flag=scores["proba"] >= threshold,
        late=scores["y"] == 1,
    )
    frame = frame.assign(caught=frame["flag"] & frame["late"], false=frame["flag"] & ~frame["late"])
    table = frame.groupby("group", sort=True).agg(
        n=("y", "size"), late=("late", "sum"), flagged=("flag", "sum"),
        caught=("caught", "sum"), false=("false", "sum"),
    )  # fmt: skip
    return pd.DataFrame(
        {
            "n": table["n"],
            "late_share": table["late"] / table["n"],
            "flag_rate": table["flagged"] / table["n"],
            "recall": table["caught"] / table["late"].where(table["late"] > 0),
            "false_alert_rate": table["false"]
            / (table["n"] - table["late"]).where(table["n"] > table["late"]),
        }
    ).rename_axis(by)

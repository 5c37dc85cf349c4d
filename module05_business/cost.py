"""The cost model: what a decision on a flight costs, and what doing nothing would cost.

Why it matters: ROC AUC says how well a model ranks flights; it does not say whether using
the model is worth anything. The business question is "how much do we lose per flight?".
A missed delay (a late flight we did not flag) costs ``cost.missed_delay``; a false alert
(a flight flagged that arrived on time) costs ``cost.false_alert``. Every number in the KPI
report of the DVC stage ``evaluate`` is a cost per flight, compared with the two decisions
that need no model at all: flag nothing, or flag everything.

A flight is flagged when its probability of being late is at least the threshold.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike


class Costs(Protocol):
    """Anything with the two unit costs, e.g. ``load_params().cost``."""

    missed_delay: float
    false_alert: float


def count_outcomes(y: ArrayLike, proba: ArrayLike, thresholds: ArrayLike) -> dict[str, np.ndarray]:
    """Count true/false positives and negatives at many thresholds at once.

    Why it matters: a cost curve, a ROC curve and a precision-recall curve are all the same
    four counts read at different thresholds; sorting once and binary-searching is
    O(n log n) instead of one pass over the data per threshold.

    Args:
        y: 0/1 labels (1 = late).
        proba: predicted probability of late, one per label.
        thresholds: where to cut; a flight is flagged when ``proba >= threshold``.

    Returns:
        Arrays ``tp``, ``fp``, ``tn``, ``fn`` with one entry per threshold.

    Example:
        >>> count_outcomes([0, 1, 1], [0.2, 0.4, 0.9], [0.3])["tp"].tolist()
        [2]
    """
    y = np.asarray(y, dtype=bool)
    proba = np.asarray(proba, dtype=float)
    thresholds = np.atleast_1d(np.asarray(thresholds, dtype=float))
    pos, neg = np.sort(proba[y]), np.sort(proba[~y])
    tp = len(pos) - np.searchsorted(pos, thresholds, side="left")
    fp = len(neg) - np.searchsorted(neg, thresholds, side="left")
    return {"tp": tp, "fp": fp, "tn": len(neg) - fp, "fn": len(pos) - tp}


def cost_curve(y: ArrayLike, proba: ArrayLike, thresholds: ArrayLike, costs: Costs) -> np.ndarray:
    """Return the cost per flight at each threshold.

    Why it matters: plotting this curve shows where the cheapest threshold is, and how flat
    (forgiving) or sharp (risky) the bottom of the curve is.
    """
    counts = count_outcomes(y, proba, thresholds)
    n = max(len(np.asarray(y)), 1)
    return (counts["fn"] * costs.missed_delay + counts["fp"] * costs.false_alert) / n


def cost_at_threshold(y: ArrayLike, proba: ArrayLike, threshold: float, costs: Costs) -> float:
    """Return the cost per flight of flagging every flight with ``proba >= threshold``.

    Why it matters: this is the single number the business pays for a decision rule;
    ``(FN * missed_delay + FP * false_alert) / n``.

    Example:
        >>> from labs_common.config import CostParams
        >>> cost_at_threshold([0, 1, 1], [0.2, 0.4, 0.9], 0.5, CostParams(missed_delay=4,
        ...     false_alert=1))
        1.3333333333333333
    """
    return float(cost_curve(y, proba, [threshold], costs)[0])


def trivial_costs(y: ArrayLike, costs: Costs) -> dict[str, float]:
    """Return the cost per flight of the two rules that need no model.

    Why it matters: "flag none" costs ``late_share * missed_delay``, "flag all" costs
    ``(1 - late_share) * false_alert``. A model earns its keep only if it beats the
    cheaper of the two; when late flights become common, "flag all" gets cheap fast.

    Example:
        >>> from labs_common.config import CostParams
        >>> trivial_costs([0, 0, 0, 1], CostParams(missed_delay=4, false_alert=1))
        {'flag_none': 1.0, 'flag_all': 0.75}
    """
    late_share = float(np.mean(np.asarray(y, dtype=float))) if np.size(y) else 0.0
    return {
        "flag_none": late_share * costs.missed_delay,
        "flag_all": (1.0 - late_share) * costs.false_alert,
    }


def cost_saving(cost: float, trivial: dict[str, float]) -> float | None:
    """Return the fraction saved against the best trivial rule: ``1 - cost / best``.

    Why it matters: "we save 9% of the cost of the best rule that needs no model" is a
    figure a manager can weigh against the cost of running the model. Positive is good;
    negative means the model loses money. ``None`` when the best trivial rule costs 0.

    Example:
        >>> cost_saving(0.5, {"flag_none": 1.0, "flag_all": 0.8})
        0.375
    """
    best = min(trivial.values())
    if best <= 0:
        return None
    return 1.0 - cost / best

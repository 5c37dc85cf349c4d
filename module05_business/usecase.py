"""Does this use case suit ML? Compare the model with rules a manager could write.

Why it matters: a model is worth building only if it beats the simplest thing that could
work, by more than it costs to run. Before the flights model earns a place in production
it must beat "flag nothing", "flag everything" and a rule of thumb such as "flag the
carriers that were often late last month". Used by the module-05 lesson notebooks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from labs_common.config import CostParams
from module05_business.cost import Costs, cost_at_threshold, cost_curve, cost_saving, trivial_costs
from module05_business.threshold import theoretic_threshold


def group_rate_flags(
    valid: pd.DataFrame, test: pd.DataFrame, by: str, threshold: float
) -> np.ndarray:
    """Flag test flights whose group (e.g. carrier) was late at least ``threshold`` of the time.

    Why it matters: this is the rule of thumb an operations manager would write without any
    ML: "watch carrier X, it is often late". It uses the validation months' late share per
    group as the probability; a group unseen there gets the overall late share.
    """
    rates = valid.groupby(valid[by].astype(str), observed=True)["y"].mean()
    p = test[by].astype(str).map(rates).fillna(valid["y"].mean())
    return (p >= threshold).to_numpy()


def _row(name: str, flagged: np.ndarray, test: pd.DataFrame, costs: Costs) -> dict:
    y = test["y"].to_numpy().astype(bool)
    missed, false = np.sum(y & ~flagged), np.sum(~y & flagged)
    cost = float((missed * costs.missed_delay + false * costs.false_alert) / len(y))
    return {"rule": name, "cost_per_flight": cost, "flag_rate": float(np.mean(flagged)),
            "saving": cost_saving(cost, trivial_costs(y, costs))}  # fmt: skip


def compare_rules(valid: pd.DataFrame, test: pd.DataFrame, costs: Costs) -> pd.DataFrame:
    """Return the test cost of the model next to the rules that need no model.

    Why it matters: "the model saves X%" means nothing until you see what it is compared
    with. All rules use the cost-theoretic threshold; the model's probability is compared
    with it, the rules of thumb compare a group's past late share with it.
    """
    t = theoretic_threshold(costs)
    rules = {
        "flag none": np.zeros(len(test), dtype=bool),
        "flag all": np.ones(len(test), dtype=bool),
        "rule of thumb: carrier": group_rate_flags(valid, test, "carrier", t),
        "rule of thumb: origin": group_rate_flags(valid, test, "origin", t),
        "model": (test["proba"] >= t).to_numpy(),
    }
    return pd.DataFrame([_row(name, f, test, costs) for name, f in rules.items()]).set_index("rule")


def saving_by_cost_ratio(test: pd.DataFrame, ratios: list[float]) -> pd.DataFrame:
    """Return the model's saving on test for several ``missed_delay / false_alert`` ratios.

    Why it matters: ML pays off most when the two kinds of mistakes cost very different
    amounts *and* neither trivial rule is already cheap. At some ratios "flag all" or "flag
    none" is nearly optimal and the model adds little; this table shows where.
    """
    rows = []
    for ratio in ratios:
        costs = CostParams(missed_delay=ratio, false_alert=1.0)
        t = theoretic_threshold(costs)
        cost = cost_at_threshold(test["y"], test["proba"], t, costs)
        best = float(cost_curve(test["y"], test["proba"], np.linspace(0, 1, 101), costs).min())
        trivial = trivial_costs(test["y"], costs)
        rows.append({"ratio": ratio, "threshold": t, "saving": cost_saving(cost, trivial),
                     "best_possible_saving": cost_saving(best, trivial)})  # fmt: skip
    return pd.DataFrame(rows).set_index("ratio")

"""Lesson 01, deployment patterns: shadow and canary releases, simulated on scored flights.

Why it matters: a new model can be wrong in ways no test set shows. The patterns differ in
how much real traffic it touches before you know: in *shadow* it scores every request but
decides nothing (compare offline, risk zero); in a *canary* it decides for a growing share
of the traffic, and a rule rolls it back at the first stage where it does worse. Routing
uses a hash of a stable key, so the same flight number always meets the same model.

Every function takes a frame with the columns ``late`` (0/1), ``champion`` and
``challenger`` (each model's probability) and a routing key; ``production.py`` builds it
from the replayed months.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from module05_business.cost import Costs, cost_at_threshold

ARMS = ("champion", "challenger")
Baseline = Literal["control", "same_flights"]
#: The columns of :func:`simulate_canary` worth reading first.
STAGE_SUMMARY = ["months", "planned_share", "served_share", "n_challenger", "roc_auc_champion",
                 "roc_auc_challenger", "cost_champion", "cost_challenger", "decision",
                 "reasons"]  # fmt: skip


def flight_key(flights: pd.DataFrame) -> pd.Series:
    """The routing key of each flight: carrier and flight number (``"UA1545"``).

    Why it matters: a key that stays the same from day to day keeps each flight number
    on one model for the whole stage, so a dispatcher never sees flight UA1545 flagged by
    one model on Monday and by the other on Tuesday.
    """
    return flights["carrier"].astype(str) + flights["flight"].astype(str)


def hash_bucket(keys: Iterable[str]) -> np.ndarray:
    """Map each key to a number in [0, 1), the same in every process and on every machine.

    Why it matters: Python's ``hash()`` of a string changes between processes (module 07),
    so two replicas of a service would route the same flight differently. SHA-256 does not.

    Example:
        >>> hash_bucket(["UA1545"]).tolist() == hash_bucket(["UA1545"]).tolist()
        True
    """
    digests = [int(hashlib.sha256(k.encode()).hexdigest()[:13], 16) for k in keys]
    return np.asarray(digests, dtype=float) / 16**13


def route_to_challenger(keys: Iterable[str], share: float) -> np.ndarray:
    """True where the challenger serves the key: its bucket is below ``share``.

    A larger share keeps every key the smaller share routed (buckets do not move), so a
    flight in the 5% canary stays in it at 25%.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in [0, 1], got {share}")
    return hash_bucket(keys) < share


def arm_metrics(y: pd.Series, proba: pd.Series, threshold: float, costs: Costs) -> dict:
    """Flights, late share, ROC AUC (None with one class) and cost per flight of one arm."""
    from sklearn.metrics import roc_auc_score  # here: the exercise checks import this module

    auc = float(roc_auc_score(y, proba)) if y.nunique() == 2 else None
    cost = cost_at_threshold(y, proba, threshold, costs) if len(y) else None
    return {"n": len(y), "late_share": float(y.mean()) if len(y) else None, "roc_auc": auc,
            "cost": cost}  # fmt: skip


def shadow_compare(
    frame: pd.DataFrame, threshold: float, costs: Costs, by: str = "month"
) -> pd.DataFrame:
    """Both models on *all* the traffic, per ``by`` group: quality, cost, agreement.

    Why it matters: in shadow mode the challenger scores the same requests as the
    champion, so the comparison is paired (same flights, same day) and costs nothing:
    only the champion's decisions reach anyone.
    """
    rows = []
    for group, g in frame.groupby(by, observed=True, sort=True):
        champ, chall = (arm_metrics(g["late"], g[a], threshold, costs) for a in ARMS)
        agree = ((g["champion"] >= threshold) == (g["challenger"] >= threshold)).mean()
        rows.append({by: group, "flights": len(g), "auc_champion": champ["roc_auc"],
                     "auc_challenger": chall["roc_auc"], "cost_champion": champ["cost"],
                     "cost_challenger": chall["cost"],
                     "decisions_agree": float(agree)})  # fmt: skip
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RollbackRule:
    """When a canary stage sends the challenger back: worse ranking, dearer decisions.

    Attributes:
        max_auc_drop: the challenger's ROC AUC may be at most this much below the
            champion's on the same stage.
        max_cost_increase: its cost per flight may be at most this much higher.
        min_rows: fewer challenger flights than this: too little evidence, roll back
            (a stage that cannot judge must not promote).
    """

    max_auc_drop: float = 0.01
    max_cost_increase: float = 0.01
    min_rows: int = 500


def rollback_reasons(champion: dict, challenger: dict, rule: RollbackRule) -> list[str]:
    """Why the challenger must go back (empty list: carry on), from two arms' metrics."""
    if challenger["n"] < rule.min_rows:
        return [f"only {challenger['n']} challenger flights (< {rule.min_rows})"]
    reasons = []
    drop = champion["roc_auc"] - challenger["roc_auc"]
    if drop > rule.max_auc_drop:
        reasons.append(f"ROC AUC {drop:.3f} below the champion's (> {rule.max_auc_drop})")
    extra = challenger["cost"] - champion["cost"]
    if extra > rule.max_cost_increase:
        reasons.append(f"cost +{extra:.3f} per flight (> {rule.max_cost_increase})")
    return reasons


def simulate_canary(
    frame: pd.DataFrame,
    stages: Sequence[tuple[float, Sequence[int]]],
    threshold: float,
    costs: Costs,
    rule: RollbackRule,
    baseline: Baseline = "control",
) -> pd.DataFrame:
    """Replay a canary release stage by stage; after a rollback the champion serves all.

    Args:
        frame: ``month``, ``late``, ``champion``, ``challenger`` and ``key`` per flight.
        stages: ``(share, months)`` pairs in time order, e.g. ``[(0.05, [9]), (1.0, [12])]``.
        threshold: the decision threshold both models use.
        costs: the unit costs of a missed delay and a false alert.
        rule: when to roll back.
        baseline: what the challenger is compared with. ``"control"``: the champion on
            the flights it served (other flights: other traffic); ``"same_flights"``: the
            champion's scores of the challenger's own flights (the champion scores them
            too, in shadow), a paired comparison.

    Returns:
        One row per stage: planned and served share, both arms' metrics, the cost per
        flight of the decisions production made (``cost_served``) and of the champion
        deciding alone (``cost_champion_only``), the decision
        (``continue``, ``rollback``, ``promoted``, ``rolled back``) and the reasons.
    """
    rows, rolled_back = [], False
    for share, months in stages:
        g = frame.loc[frame["month"].isin(months)]
        served = 0.0 if rolled_back else share
        routed = route_to_challenger(g["key"], served)
        paired = baseline == "same_flights" and routed.any()
        base = routed if paired else ~routed
        champ = arm_metrics(g.loc[base, "late"], g.loc[base, "champion"], threshold, costs)
        chall = arm_metrics(g.loc[routed, "late"], g.loc[routed, "challenger"], threshold, costs)
        reasons = [] if rolled_back or share >= 1 else rollback_reasons(champ, chall, rule)
        decision = "rolled back" if rolled_back else "promoted" if share >= 1 else "continue"
        if reasons:
            decision, rolled_back = "rollback", True
        rows.append({"months": list(months), "planned_share": share,
                     "served_share": float(routed.mean()),
                     **{f"{k}_{arm}": v for arm, m in zip(ARMS, (champ, chall), strict=True)
                        for k, v in m.items()},
                     "cost_served": served_cost(g, routed, threshold, costs),
                     "cost_champion_only": cost_at_threshold(g["late"], g["champion"],
                                                             threshold, costs),
                     "decision": decision, "reasons": "; ".join(reasons)})  # fmt: skip
    return pd.DataFrame(rows)


def served_cost(frame: pd.DataFrame, routed: np.ndarray, threshold: float, costs: Costs) -> float:
    """Cost per flight of what production actually decided: each flight by its model."""
    proba = np.where(routed, frame["challenger"], frame["champion"])
    return cost_at_threshold(frame["late"], proba, threshold, costs)

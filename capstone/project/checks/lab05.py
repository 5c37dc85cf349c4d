"""Lab 05 (module 05, business): an evaluate stage with a cost model, threshold and reports.

The student writes a stage ``evaluate`` that scores the validation and test months, picks
the decision threshold that costs least on validation (costs from ``cost.*``), and
declares DVC metrics (``roc_auc``, ``threshold``, ``cost_per_flight`` on the test month)
and at least one DVC plot.
"""

from __future__ import annotations

import json

import numpy as np

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import roc_auc, run_pipeline
from capstone.project.checks.lab04 import BLOCKED as BLOCKED_04
from capstone.project.checks.lab04 import SCORE, has_stages
from capstone.project.checks.sandbox import CheckFailed, Sandbox

BLOCKED = (*BLOCKED_04, "module05_business.evaluate", "module05_business.threshold")
METRICS = ("roc_auc", "threshold", "cost_per_flight")
GRID = np.linspace(0.0, 1.0, 201)


#: The costs of a missed delay the checks draw from (a false alert costs about 1).
MISSED_DELAYS = tuple(n / 10 for n in range(20, 91))


def random_costs(box: Sandbox) -> dict[str, float]:
    """Costs the student cannot guess: a missed delay costs 2-9 times a false alert or so."""
    if "costs" not in box.notes:
        box.notes["costs"] = {"cost.missed_delay": box.rng.choice(MISSED_DELAYS),
                              "cost.false_alert": round(box.rng.uniform(0.5, 1.5), 2)}  # fmt: skip
    return box.notes["costs"]


def cost(late: np.ndarray, proba: np.ndarray, threshold: float, costs: dict) -> float:
    flagged = proba >= threshold
    missed = np.sum(~flagged & (late == 1)) * costs["cost.missed_delay"]
    return float((missed + np.sum(flagged & (late == 0)) * costs["cost.false_alert"]) / len(late))


def read_metrics(box: Sandbox) -> dict[str, float]:
    """The workspace's DVC metrics, as ``dvc metrics show`` reads them (leaf keys)."""
    shown = json.loads(box.dvc("metrics", "show", "--json") or "{}")
    found: dict[str, float] = {}
    for rev in shown.values():
        for entry in rev.get("data", {}).values():
            _flatten(entry.get("data", {}), found)
    return found


def _flatten(node: object, into: dict[str, float]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict):
                _flatten(value, into)
            elif isinstance(value, int | float):
                into[key] = float(value)


def metrics_right(box: Sandbox) -> str:
    costs = random_costs(box)
    run_pipeline(box, "evaluate", extra=costs)
    metrics = read_metrics(box)
    missing = [k for k in METRICS if k not in metrics]
    if missing:
        raise CheckFailed(f"`dvc metrics show` has no {missing}; it shows {sorted(metrics)}")
    test = box.python_json(SCORE, "test")
    y, p = np.asarray(test["late"]), np.asarray(test["proba"])
    auc, threshold = roc_auc(y, p), metrics["threshold"]
    if abs(metrics["roc_auc"] - auc) > 1e-3:
        raise CheckFailed(f"roc_auc is {metrics['roc_auc']:.4f}, but your model's test ROC AUC "
                          f"is {auc:.4f}")  # fmt: skip
    want = cost(y, p, threshold, costs)
    if abs(metrics["cost_per_flight"] - want) > 1e-3:
        raise CheckFailed(f"with costs {costs} and threshold {threshold}, the test month costs "
                          f"{want:.4f} per flight; your metric says "
                          f"{metrics['cost_per_flight']:.4f}")  # fmt: skip
    return f"roc_auc {auc:.3f}, cost_per_flight {want:.3f} at threshold {threshold} ({costs})"


def threshold_chosen(box: Sandbox) -> str:
    costs, threshold = random_costs(box), read_metrics(box)["threshold"]
    valid = box.python_json(SCORE, "valid")
    y, p = np.asarray(valid["late"]), np.asarray(valid["proba"])
    best = min(cost(y, p, t, costs) for t in GRID)
    theory = costs["cost.false_alert"] / (costs["cost.false_alert"] + costs["cost.missed_delay"])
    allowed = max(best, cost(y, p, theory, costs)) + 1e-3
    got = cost(y, p, threshold, costs)
    if got > allowed:
        raise CheckFailed(f"threshold {threshold} costs {got:.4f} per flight on the validation "
                          f"month; the best costs {best:.4f} (costs {costs})")  # fmt: skip
    return f"threshold {threshold}: {got:.4f} per validation flight (best {best:.4f})"


def plot_declared(box: Sandbox) -> str:
    shown = json.loads(box.dvc("plots", "show", "--json") or "{}").get("data", {})
    sizes = {name: max((len(p.get("content", {}).get("data", {}).get("values", []))
                        for p in plots), default=0)
             for name, plots in shown.items()}  # fmt: skip
    good = {name: n for name, n in sizes.items() if n >= 2}
    if not good:
        raise CheckFailed(f"`dvc plots show` finds no plot with data (found: {sizes or 'none'})")
    return f"DVC plots: {good} points"


LAB = Lab(
    number=5,
    title="evaluate stage: cost model, threshold, DVC metrics and plots",
    blocked=BLOCKED,
    steps=(
        Step(
            "evaluate stage",
            lambda box: has_stages(box, ("evaluate",)),
            "add a stage 'evaluate' that depends on the model and the valid/test tables",
        ),
        Step(
            "metrics right",
            metrics_right,
            "write roc_auc, threshold and cost_per_flight (the test month, costs from "
            "params.yaml: missed delays and false alerts) to a JSON file declared under "
            "`metrics:`; flag a flight when its probability >= the threshold",
        ),
        Step(
            "threshold chosen",
            threshold_chosen,
            "choose the threshold with the lowest cost per flight on the validation month",
        ),
        Step(
            "DVC plot",
            plot_declared,
            "write a CSV (e.g. threshold, cost per flight) and declare it under `plots:`",
        ),
    ),
)

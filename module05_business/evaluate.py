"""DVC stage ``evaluate``: from scores to KPIs, a decision threshold and fairness slices.

Why it matters: training ends with probabilities; the business needs decisions and their
cost. This stage picks the threshold (``cost.threshold_rule``), prices it on the test
months against the rules that need no model, audits it by carrier and airport, and writes
``reports/metrics.json``, ``reports/threshold.json`` and the curve tables under
``reports/plots/`` for ``dvc metrics show`` and ``dvc plots show``.

Run it: ``python -m module05_business.evaluate`` (or ``dvc repro evaluate``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import typer

from labs_common import contract, paths
from labs_common.config import Params, load_params
from labs_common.data import write_text
from labs_common.logs import setup_logging
from module05_business import plots as curves
from module05_business.cost import Costs, trivial_costs
from module05_business.kpis import decision_metrics, price_threshold, ranking_metrics
from module05_business.slices import slice_report
from module05_business.threshold import grid_threshold, rule_thresholds

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

SCORES_PATH = contract.SCORES
COLUMNS = contract.SCORE_COLUMNS
DECIMALS = 6


def validate_scores(scores: pd.DataFrame) -> None:
    """Raise ``ValueError`` naming the problem if ``scores`` is not what train writes."""
    missing = [c for c in COLUMNS if c not in scores]
    if missing:
        raise ValueError(f"scores lack columns {missing}; expected {list(COLUMNS)}")
    splits = set(scores["split"].astype(str))
    if not {"valid", "test"} <= splits:
        raise ValueError(f"scores need rows of splits 'valid' and 'test', got {sorted(splits)}")
    if not scores["y"].isin([0, 1]).all():
        raise ValueError("column y must hold only 0 and 1 (1 = late)")
    proba = scores["proba"]
    if proba.isna().any() or not proba.between(0, 1).all():
        raise ValueError("column proba must hold probabilities in [0, 1], without NaN")


def read_scores(path: Path = SCORES_PATH) -> pd.DataFrame:
    """Read the scores written by the train stage; say how to make them if missing."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; run `dvc repro train` first")
    return pd.read_parquet(path)


def threshold_report(valid: pd.DataFrame, test: pd.DataFrame, costs: Costs, chosen: str) -> dict:
    """Return every rule's threshold and price, plus the test-label ``oracle`` for reference.

    Why it matters: reporting the rules side by side shows what the choice of rule is worth;
    the oracle (the best grid threshold knowing the test labels) bounds what any rule could
    have achieved, and is never chosen.
    """
    rules = rule_thresholds(valid["y"], valid["proba"], test["proba"], costs)
    rules["oracle"] = {"threshold": grid_threshold(test["y"], test["proba"], costs)}
    for name, rule in rules.items():
        rule["threshold"] = round(rule["threshold"], DECIMALS)
        rule["chosen"] = name == chosen
        rule.update(price_threshold(valid, test, rule["threshold"], costs))
    return {
        "chosen": chosen,
        "costs": {"missed_delay": costs.missed_delay, "false_alert": costs.false_alert},
        "test_trivial": trivial_costs(test["y"], costs),
        "rules": rules,
    }


def collect_metrics(valid: pd.DataFrame, test: pd.DataFrame, report: dict, params: Params) -> dict:
    """Gather the KPIs of the chosen threshold, the ranking metrics and the slices."""
    rule = report["chosen"]
    threshold = report["rules"][rule]["threshold"]
    slices, gaps = slice_report(test, threshold, params.cost, params.register.min_slice_rows)
    return {
        **ranking_metrics(test["y"], test["proba"], "test"),
        **ranking_metrics(valid["y"], valid["proba"], "valid"),
        "threshold": threshold,
        "threshold_rule": rule,
        **decision_metrics(test["y"], test["proba"], threshold, params.cost),
        "n_test": len(test),
        "n_valid": len(valid),
        "test_late_share": float(test["y"].mean()),
        "valid_late_share": float(valid["y"].mean()),
        "estimated_test_late_share": report["rules"]["prior_shift"]["estimated_test_prior"],
        "max_slice_gap": gaps["overall"],
        **{f"max_slice_gap_{dim}": gaps[dim] for dim in slices},
        "slices": slices,
    }


def evaluate_scores(scores: pd.DataFrame, params: Params) -> tuple[dict, dict, dict]:
    """Turn the scores of the valid and test months into metrics, a threshold report, plots.

    Why it matters: one pure function, no file access: the stage, the notebooks and the
    tests all run exactly this.

    Returns:
        ``(metrics, threshold_report, plots)``; floats rounded to 6 decimals, plots as
        ``{name: DataFrame}``. Same input, same output, to the byte.
    """
    validate_scores(scores)
    valid = scores[scores["split"] == "valid"]
    test = scores[scores["split"] == "test"]
    report = threshold_report(valid, test, params.cost, params.cost.threshold_rule)
    metrics = collect_metrics(valid, test, report, params)
    plots = curves.plot_tables(valid, test, params.cost)
    return (
        round_floats(metrics),
        round_floats(report),
        {k: v.round(DECIMALS) for k, v in plots.items()},
    )


def round_floats(obj: Any, decimals: int = DECIMALS) -> Any:
    """Return ``obj`` with every float rounded and numpy scalars made plain Python."""
    if isinstance(obj, dict):
        return {str(k): round_floats(v, decimals) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [round_floats(v, decimals) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float):
        return round(obj, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return obj


def write_reports(metrics: dict, report: dict, plots: dict, out_dir: Path) -> list[Path]:
    """Write the metrics, the threshold report and the plot tables atomically."""
    written = [
        write_text(json.dumps(metrics, indent=2) + "\n", out_dir / "metrics.json"),
        write_text(json.dumps(report, indent=2) + "\n", out_dir / "threshold.json"),
    ]
    for name, frame in plots.items():
        text = frame.to_csv(index=False, lineterminator="\n")
        written.append(write_text(text, out_dir / "plots" / f"{name}.csv"))
    return written


def summary_line(metrics: dict) -> str:
    """Return the one-line verdict the stage logs: rule, threshold, cost and saving."""
    saving = metrics["cost_saving_vs_best_trivial"]
    saving_text = "n/a" if saving is None else f"{saving:.1%}"
    return (
        f"Rule {metrics['threshold_rule']}: threshold {metrics['threshold']:.3f}, test cost "
        f"{metrics['test_cost']:.4f} per flight, saving {saving_text} vs the best trivial rule "
        f"(flag none {metrics['cost_flag_none']:.4f}, flag all {metrics['cost_flag_all']:.4f})"
    )


@app.command()
def main(
    scores_path: Path = SCORES_PATH,
    params_path: Path = paths.PARAMS_PATH,
    out_dir: Path = paths.REPORTS,
) -> None:
    """Evaluate the scores of the train stage and write the KPI reports."""
    setup_logging()
    try:
        scores = read_scores(scores_path)
    except FileNotFoundError as exc:
        log.error("%s", exc)
        raise typer.Exit(code=1) from exc
    metrics, report, plots = evaluate_scores(scores, load_params(params_path))
    write_reports(metrics, report, plots, out_dir)
    log.info("%s", summary_line(metrics))
    if not (metrics["cost_saving_vs_best_trivial"] or 0) > 0:
        log.warning("The model costs more than a rule without a model on the test months")


if __name__ == "__main__":
    app()

"""The demo's closing summary: headline figures read back from the reports the stages wrote.

Why it matters: the numbers on the projector must be the numbers in the files (and on the
report site), so the summary only reads reports; it never recomputes a figure.
"""

from __future__ import annotations

import json
from pathlib import Path

from rich.table import Table

from labs_common import contract
from labs_common.config import load_params
from module04_ml_fundamentals.features import decision_time

NAN = float("nan")


def read_report(path: Path) -> dict | list:
    """A JSON report, or an empty dict when the stage has not written it yet."""
    return json.loads(path.read_text()) if path.exists() else {}


def headline(reports: Path) -> str:
    """One line on the model the pipeline produced: quality, saving, registry decision."""
    metrics, registry = (
        read_report(reports / contract.METRICS.name),
        read_report(reports / contract.REGISTRY_REPORT.name),
    )
    return (
        f"test ROC AUC {metrics.get('test_roc_auc', NAN):.3f}, cost saving "
        f"{metrics.get('cost_saving_vs_best_trivial', NAN):.1%}; "
        f"{registry.get('model_name', '?')} v{registry.get('version', '?')} -> "
        f"{registry.get('alias', '?')}"
    )


def monitoring_line(summary: Path) -> str:
    """One line on the replay: which months alerted, retrained and promoted."""
    entries = read_report(summary)
    if not entries:
        return "no replay summary yet (run `dvc repro monitor`)"

    def months(key: str) -> str:
        return ", ".join(e["period"] for e in entries if e.get(key)) or "none"

    return (
        f"{len(entries)} months replayed; retrained: {months('retrained')}; "
        f"promoted: {months('promoted')}"
    )


def summary_table(reports: Path) -> Table:
    """The headline figures of the last run, read from the reports the stages wrote."""
    metrics, registry = (
        read_report(reports / contract.METRICS.name),
        read_report(reports / contract.REGISTRY_REPORT.name),
    )
    validation, features = (
        read_report(reports / "validation.json"),
        read_report(reports / "features.json"),
    )
    hours = load_params().features.decision_hours
    table = Table(title=f"Capstone: predict arrival delay > 15 min, {decision_time(hours)}")
    table.add_column("what")
    table.add_column("value", justify="right")
    rows = [
        ("data contract", "passed" if validation.get("ok") else "FAILED or not run"),
        ("flights labelled / cancelled", f"{features.get('labelled', 0):,} / "
                                         f"{features.get('cancelled_or_diverted', 0):,}"),
        ("test ROC AUC / PR AUC", f"{metrics.get('test_roc_auc', NAN):.3f} / "
                                  f"{metrics.get('test_pr_auc', NAN):.3f}"),
        ("decision threshold", f"{metrics.get('threshold', NAN):.3f} "
                               f"({metrics.get('threshold_rule', '?')})"),
        ("cost saving vs best rule without a model",
         f"{metrics.get('cost_saving_vs_best_trivial', NAN):.1%}"),
        ("registry", f"{registry.get('model_name', '?')} v{registry.get('version', '?')} "
                     f"-> {registry.get('alias', '?')}"),
        ("monitoring replay", monitoring_line(
            reports / contract.MONITORING_DIR.name / contract.MONITORING_SUMMARY.name
        )),
    ]  # fmt: skip
    for what, value in rows:
        table.add_row(what, value)
    return table


WHERE_TO_LOOK = """[bold]Where to look[/] (from the repository root, as typed)
  reports/index.html: every result on one page, no server needed
  metrics, one a line:
    .venv/bin/dvc metrics diff --all --no-path --targets reports/metrics.json
  params:   .venv/bin/dvc params diff
  plots:    .venv/bin/dvc plots show   (then open dvc_plots/index.html)
  graph:    .venv/bin/dvc dag
  runs:     .venv/bin/mlflow ui --backend-store-uri sqlite:///.mlflow/mlflow.db
  model:    .venv/bin/labs model   (serve it: make serve)
  monitor:  .venv/bin/labs monitor --table   (Evidently: reports/monitoring/)"""

"""What the model part of the site shows: pipeline, data, metrics, plots, registry.

Why it matters: each function turns one report the pipeline wrote into the few numbers a
person should see, already formatted; the template only lays them out. A function raises
``FileNotFoundError`` when its report is missing, and the site says which command makes it.
"""

from __future__ import annotations

from capstone.site.charts import line_chart
from capstone.site.dag import dag_table, draw_dag, read_stages, stage_edges
from capstone.site.inputs import Inputs, read_csv, read_json

#: The metrics shown for the test and the validation months, with their format.
SPLIT_METRICS = {"roc_auc": ".3f", "pr_auc": ".3f", "log_loss": ".3f", "brier": ".3f",
                 "late_share": ".1%"}  # fmt: skip
#: The headline figures, as (label, key in metrics.json, format).
HEADLINE = [
    ("test ROC AUC", "test_roc_auc", ".3f"),
    ("test PR AUC", "test_pr_auc", ".3f"),
    ("decision threshold", "threshold", ".3f"),
    ("cost saving vs no model", "cost_saving_vs_best_trivial", ".1%"),
    ("precision", "test_precision", ".1%"),
    ("recall", "test_recall", ".1%"),
    ("flights flagged", "test_flag_rate", ".1%"),
]


def fmt(value: object, spec: str = ".3f") -> str:
    """Format a number for the page; ``n/a`` when it is missing.

    Example:
        >>> fmt(0.70596), fmt(None), fmt(0.25, ".1%")
        ('0.706', 'n/a', '25.0%')
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(value, spec)
    return "n/a" if value is None else str(value)


def pipeline_section(inputs: Inputs) -> dict:
    """The stages of ``dvc.yaml``: a drawing and a table of commands, inputs and outputs."""
    stages = read_stages(inputs.root / "dvc.yaml")
    edges = stage_edges(inputs.root)
    return {"svg": draw_dag(stages, edges), "rows": dag_table(stages, edges)}


def validation_section(inputs: Inputs) -> dict:
    """The data contract's verdict, each table's rows and problems, and join coverage."""
    report = read_json(inputs.report("validation.json"))
    tables = report.get("tables", {})
    return {
        "ok": bool(report.get("ok")),
        "tables": [
            {
                "name": name,
                "rows": f"{t.get('rows', 0):,}",
                "errors": len(t.get("errors", [])),
                "warnings": len(t.get("warnings", [])),
            }
            for name, t in tables.items()
        ],
        "issues": [i for t in tables.values() for i in t.get("errors", []) + t.get("warnings", [])],
        "joins": [
            {
                "name": name,
                "coverage": fmt(j.get("coverage"), ".1%"),
                "floor": fmt(j.get("floor"), ".0%"),
                "ok": bool(j.get("ok")),
            }
            for name, j in report.get("joins", {}).items()
        ],
    }


def _threshold_rules(inputs: Inputs) -> list[dict]:
    """The candidate threshold rules of ``threshold.json``; empty when it is absent."""
    path = inputs.report("threshold.json")
    rules = read_json(path).get("rules", {}) if path.exists() else {}
    return [
        {"rule": name, "chosen": bool(r.get("chosen")), "threshold": fmt(r.get("threshold")),
         "valid_cost": fmt(r.get("valid_cost"), ".4f"), "test_cost": fmt(r.get("test_cost"), ".4f"),
         "saving": fmt(r.get("cost_saving_vs_best_trivial"), ".1%")}
        for name, r in rules.items()
    ]  # fmt: skip


def metrics_section(inputs: Inputs) -> dict:
    """Headline figures, test vs validation metrics, confusion matrix and threshold rules."""
    m = read_json(inputs.report("metrics.json"))
    return {
        "headline": [
            {"label": label, "key": key, "value": fmt(m.get(key), spec)}
            for label, key, spec in HEADLINE
        ],
        "rule": m.get("threshold_rule", "n/a"),
        "splits": [
            {
                "metric": name.replace("_", " "),
                "test": fmt(m.get(f"test_{name}"), spec),
                "valid": fmt(m.get(f"valid_{name}"), spec),
                "key": name,
            }
            for name, spec in SPLIT_METRICS.items()
        ],
        "confusion": {k: f"{v:,}" for k, v in m.get("confusion", {}).items()},
        "costs": {
            k: fmt(m.get(k), ".4f") for k in ("test_cost", "cost_flag_none", "cost_flag_all")
        },
        "rules": _threshold_rules(inputs),
    }


PLOTS = {
    "roc.csv": {"x": "fpr", "ys": ["tpr"], "title": "ROC curve (test)", "diagonal": True,
                "labels": ("false positive rate", "true positive rate")},
    "pr.csv": {"x": "recall", "ys": ["precision"], "title": "Precision-recall (test)",
               "labels": ("recall", "precision")},
    "calibration.csv": {"x": "mean_predicted", "ys": ["observed"], "title": "Calibration (test)",
                        "diagonal": True, "marker": "o",
                        "labels": ("mean predicted probability", "observed late share")},
    "cost_curve.csv": {"x": "threshold", "ys": ["test_cost", "valid_cost"],
                       "title": "Cost per flight by threshold",
                       "labels": ("threshold", "cost per flight")},
}  # fmt: skip


def plots_section(inputs: Inputs) -> dict:
    """The evaluate stage's curves as inline SVG; the missing ones are named, not drawn."""
    folder = inputs.report("plots")
    present = [name for name in PLOTS if (folder / name).exists()]
    if not present:
        raise FileNotFoundError(folder)
    metrics_path = inputs.report("metrics.json")
    threshold = read_json(metrics_path).get("threshold") if metrics_path.exists() else None
    charts = []
    for name in present:
        spec = dict(PLOTS[name])
        if name == "cost_curve.csv":
            spec["vline"] = threshold
        charts.append({"name": name, "svg": line_chart(read_csv(folder / name), **spec)})
    return {"charts": charts, "missing": [name for name in PLOTS if name not in present]}


def _gate(reason: str) -> dict:
    """Split a gate result such as ``"FAIL: test ROC AUC 0.64 vs floor 0.70"`` into a verdict.

    Example:
        >>> _gate("FAIL: ROC AUC 0.64 vs floor 0.70")
        {'passed': False, 'text': 'ROC AUC 0.64 vs floor 0.70'}
    """
    verdict, sep, rest = reason.partition(":")
    if sep and verdict.strip().lower() in {"pass", "fail"}:
        return {"passed": verdict.strip().lower() == "pass", "text": rest.strip()}
    return {"passed": not reason.lower().startswith("fail"), "text": reason}


def registry_section(inputs: Inputs) -> dict:
    """The register stage's decision and the gate results behind it."""
    r = read_json(inputs.report("registry.json"))
    reasons = [_gate(str(text)) for text in r.get("reasons", [])]
    return {
        "name": r.get("model_name", "n/a"),
        "version": r.get("version", "n/a"),
        "alias": r.get("alias", "n/a"),
        "champion": r.get("alias") == "champion",
        "reasons": reasons,
        "champion_version": r.get("champion_version"),
        "champion_auc": fmt(r.get("champion_test_roc_auc")),
    }

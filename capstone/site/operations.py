"""What the operations part of the site shows: monthly drift and the benchmarks.

Why it matters: after the model ships, two questions remain: is the world still the one it
learned from (the monitor's monthly summary, with Evidently's report for each month), and
is the service fast enough (the measured benchmarks). Each function raises
``FileNotFoundError`` when its input is missing, and the site says which command makes it.
"""

from __future__ import annotations

import pandas as pd

from capstone.site.charts import line_chart
from capstone.site.inputs import BENCHMARKS, Inputs, read_json
from capstone.site.sections import fmt

#: The monitor's output folder inside reports/ (module09_monitoring.replay.OUT_DIR; not
#: imported, because importing the replay loads Evidently, which takes seconds).
MONITORING = "monitoring"


def _month_links(inputs: Inputs, period: str) -> list[dict]:
    """Relative links to the Evidently HTML reports written for one month."""
    folder = inputs.report(MONITORING) / period
    return [
        {"label": path.stem.replace("_", " "), "href": inputs.link(path)}
        for path in sorted(folder.glob("*.html"))
    ]


def _month_row(inputs: Inputs, e: dict) -> dict:
    """One month of the summary, formatted for the drift table."""
    challenger = e.get("challenger") or {}
    return {
        "period": str(e.get("period", e.get("month", "?"))),
        "rows": f"{e.get('rows', 0):,}",
        "drift_share": fmt(e.get("drift_share"), ".0%"),
        "drifted": ", ".join(e.get("drifted_features", [])),
        "missing": ", ".join(e.get("missing_features", [])),
        "psi": fmt(e.get("prediction_psi")),
        "psi_limit": fmt(e.get("prediction_psi_limit")),
        "prediction_drift": bool(e.get("prediction_drift")),
        "late_rate": fmt(e.get("label_rate"), ".1%"),
        "mean_score": fmt(e.get("mean_score"), ".1%"),
        "roc_auc": fmt(e.get("roc_auc")),
        "alerts": e.get("alerts", []),
        "reasons": e.get("reasons", []),
        "retrain": bool(e.get("retrain")),
        "promoted": bool(e.get("promoted")),
        "challenger": challenger.get("alias", ""),
        "links": _month_links(inputs, str(e.get("period", ""))),
    }


def drift_section(inputs: Inputs) -> dict:
    """The monitor's monthly summary: one row per month, a calibration chart, report links."""
    entries = read_json(inputs.report(MONITORING) / "summary.json")
    rows = [_month_row(inputs, e) for e in entries]
    table = pd.DataFrame(
        {
            "month": [r["period"] for r in rows],
            "late_rate": [e.get("label_rate") for e in entries],
            "mean_score": [e.get("mean_score") for e in entries],
        }
    )
    chart = line_chart(table, "month", ["late_rate", "mean_score"], "Late rate vs mean score",
                       marker="o") if rows else None  # fmt: skip
    retrained = [r["period"] for r in rows if r["retrain"]]
    promoted = [r["period"] for r in rows if r["promoted"]]
    return {"rows": rows, "chart": chart, "retrained": retrained, "promoted": promoted}


def _pipeline_bench(result: dict) -> tuple[list[str], list[list]]:
    seconds = result.get("seconds", {})
    return ["scenario", "seconds"], [
        [k.replace("_", " "), fmt(v, ".1f")] for k, v in seconds.items()
    ]


def _serving_bench(result: dict) -> tuple[list[str], list[list]]:
    columns = ["server", "scenario", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s"]
    timings = ["p50_ms", "p95_ms", "p99_ms", "throughput_rps"]
    return columns, [
        [s.get("server", "?"), sc.get("scenario", "?"), fmt(sc.get("requests"), ","),
         fmt(sc.get("errors"), ","), *(fmt(sc.get(k), ".1f") for k in timings)]
        for s in result.get("servers", [])
        for sc in s.get("scenarios", [])
    ]  # fmt: skip


def _batch_bench(result: dict) -> tuple[list[str], list[list]]:
    return ["measure", "value"], [
        ["flights scored", fmt(result.get("rows"), ",")],
        ["bare predict_proba", f"{fmt(result.get('bare_predict_proba_s'), '.1f')} s"],
        ["through the predictor", f"{fmt(result.get('predictor_s'), '.1f')} s"],
        ["overhead ratio (goal)", f"{fmt(result.get('ratio'), '.2f')} "
                                  f"({fmt(result.get('goal_ratio'), '.1f')})"],
    ]  # fmt: skip


def _monitoring_bench(result: dict) -> tuple[list[str], list[list]]:
    columns = ["month", "flights", "score (s)", "monitors (s)", "+ HTML (s)"]
    keys = ["score_s", "monitor_json_s", "monitor_reports_s"]
    return columns, [
        [fmt(m.get("month"), "d"), fmt(m.get("rows"), ","), *(fmt(m.get(k), ".1f") for k in keys)]
        for m in result.get("months", [])
    ]


def _machine(value: object) -> str:
    """The machine a benchmark ran on, as one line (results store a dict or a sentence)."""
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in value.items())
    return str(value)


BENCH_VIEWS = {
    "pipeline": ("Pipeline (dvc repro)", _pipeline_bench),
    "monitoring": ("Monitoring, per month", _monitoring_bench),
    "batch": ("Batch scoring", _batch_bench),
    "serving": ("API load (one flight per request)", _serving_bench),
}


def benchmark_section(inputs: Inputs) -> dict:
    """The measured benchmarks that exist, each with a link to its markdown summary."""
    parts = []
    for key, (title, view) in BENCH_VIEWS.items():
        path = inputs.root / BENCHMARKS[key]
        if not path.exists():
            continue
        result = read_json(path)
        markdown = path.with_suffix(".md")
        columns, rows = view(result)
        parts.append({
            "key": key, "title": title, "columns": columns, "rows": rows,
            "machine": _machine(result.get("machine", "")),
            "link": inputs.link(markdown) if markdown.exists() else None,
        })  # fmt: skip
    if not parts:
        raise FileNotFoundError(inputs.root / BENCHMARKS["pipeline"])
    return {
        "parts": parts,
        "missing": [k for k in BENCHMARKS if k not in {p["key"] for p in parts}],
    }

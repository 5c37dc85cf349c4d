"""Benchmark of the monitors: time per monthly report, the whole replay, and drift detection.

Run with ``python -m benchmarks.monitoring.bench`` after ``dvc repro`` (it reads
``models/model`` and ``data/processed``). Results go to ``benchmarks/monitoring/results.json``
and ``results.md``. Goal from the monitoring issue: one month (~27k flights) in < 5 s on
2 cores. The detection part injects known drift into a held-out month (October) and feeds
unchanged samples of the training period, over several seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from labs_common import contract, paths
from labs_common.config import load_params
from labs_common.data import read_table, write_text
from module09_monitoring import inject
from module09_monitoring.context import load_months, monitoring_context
from module09_monitoring.experiments import check_month as check
from module09_monitoring.experiments import detected
from module09_monitoring.monitor import monitor_month
from module09_monitoring.params import MonitorParams, monitor_params
from module09_monitoring.reference import build_reference, model_scores, reference_positions
from module09_monitoring.replay import run_replay

HERE = paths.ROOT / "benchmarks" / "monitoring"


def timed(fn: Callable[[], object]) -> tuple[object, float, float]:
    """Run ``fn``; return its result, wall seconds and CPU seconds (all threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)


def time_months(
    model: object, reference: object, months: list, params: MonitorParams, threshold: float
) -> list:
    """Per month: scoring, the monitors alone (JSON), the monitors with Evidently HTML + JSON."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for month in months:
            scores, s_wall, s_cpu = timed(lambda m=month: model_scores(model, m))
            _, j_wall, j_cpu = timed(
                lambda m=month, s=scores: monitor_month(m, s, model, reference, params)
            )
            _, h_wall, h_cpu = timed(
                lambda m=month, s=scores: monitor_month(
                    m, s, model, reference, params, threshold=threshold, out_dir=Path(tmp)
                )
            )
            size = sum(p.stat().st_size for p in Path(tmp).rglob("*.html"))
            rows.append(
                {
                    "month": int(month["month"].iloc[0]),
                    "rows": len(month),
                    "score_s": s_wall,
                    "score_cpu_s": s_cpu,
                    "monitor_json_s": j_wall,
                    "monitor_json_cpu_s": j_cpu,
                    "monitor_reports_s": h_wall,
                    "monitor_reports_cpu_s": h_cpu,
                    "html_mb_so_far": round(size / 1e6, 1),
                }
            )
    return rows


#: The lesson's injections (module09_monitoring.experiments) at two strengths each: the
#: weaker one shows where detection stops.
INJECTIONS = {
    "distance x1.1": (lambda m, s: inject.shift_numeric(m, "distance", 1.1), "distance"),
    "distance x1.3": (lambda m, s: inject.shift_numeric(m, "distance", 1.3), "distance"),
    "carrier UA +10%": (
        lambda m, s: inject.change_category_mix(m, "carrier", "UA", 0.10, s),
        "carrier",
    ),
    "carrier UA +30%": (
        lambda m, s: inject.change_category_mix(m, "carrier", "UA", 0.30, s),
        "carrier",
    ),
    "late rate 0.25": (lambda m, s: inject.set_label_rate(m, 0.25, s), "calibration"),
    "late rate 0.40": (lambda m, s: inject.set_label_rate(m, 0.40, s), "calibration"),
    "tailnum missing 5%": (lambda m, s: inject.add_missing(m, "tailnum", 0.05, s), "missing"),
    "tailnum missing 20%": (lambda m, s: inject.add_missing(m, "tailnum", 0.20, s), "missing"),
}


def detection(
    model: object, reference: object, base: pd.DataFrame, params: MonitorParams, seeds: int
) -> dict:
    """Detection rate of each injection over seeds, on the held-out month ``base``."""
    before = check(model, reference, base, params)
    out = {"base_month": int(base["month"].iloc[0]), "base_alerts": before["alerts"]}
    for name, (change, target) in INJECTIONS.items():
        hits = [
            detected(check(model, reference, change(base, s), params), target) for s in range(seeds)
        ]
        out[name] = {
            "target": target,
            "detected": sum(hits),
            "seeds": seeds,
            "detected_before": detected(before, target),
        }
    return out


def false_alarms(
    model: object,
    reference: object,
    training: pd.DataFrame,
    params: MonitorParams,
    seeds: int,
    rows: int,
) -> dict:
    """Alerts raised by unchanged data: samples of training rows outside the reference sample,
    and each training month on its own (in-sample, with its seasons)."""
    taken = reference_positions(training, params)
    rest = training.drop(index=taken).reset_index(drop=True)
    pooled = [
        check(model, reference, rest.sample(rows, random_state=s).reset_index(drop=True), params)
        for s in range(seeds)
    ]
    months = [
        check(model, reference, g.reset_index(drop=True), params)
        for _, g in training.groupby("month", sort=True)
    ]
    return {
        "pooled_samples": seeds,
        "pooled_rows": rows,
        "pooled_with_any_alert": sum(bool(e["alerts"]) for e in pooled),
        "pooled_with_retrain": sum(e["retrain"] for e in pooled),
        "pooled_alerts": sorted({a for e in pooled for a in e["alerts"]}),
        "training_months_with_any_alert": sum(bool(e["alerts"]) for e in months),
        "training_month_alerts": {int(e["month"]): e["alerts"] for e in months},
    }


def replay_time(model: object, training: pd.DataFrame, months: list, threshold: float) -> dict:
    """Time the whole replay (Evidently HTML included) and count what it did."""
    with tempfile.TemporaryDirectory() as tmp:
        ctx = monitoring_context(threshold, out_dir=Path(tmp))
        entries, wall, cpu = timed(lambda: run_replay(model, training, months, ctx))
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "months": len(entries),
        "retrained": [e["month"] for e in entries if e["retrained"]],
        "promoted": [e["month"] for e in entries if e["promoted"]],
    }


def run(seeds: int, null_seeds: int, replay: bool) -> dict:
    """Load the pipeline's model and data, then time and validate the monitors."""
    from module06_lifecycle.predictor import load_from_dir

    course, params = load_params(), monitor_params()
    predictor, load_wall, _ = timed(lambda: load_from_dir(contract.MODEL_DIR))
    training = read_table(contract.TRAIN_SPLIT)
    months = load_months(course.split.production_months)
    reference, ref_wall, ref_cpu = timed(lambda: build_reference(predictor.model, training, params))
    per_month = time_months(predictor.model, reference, months, params, predictor.threshold)
    results = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 1),
            "python": platform.python_version(),
        },
        "model_load_s": load_wall,
        "reference_s": ref_wall,
        "reference_cpu_s": ref_cpu,
        "reference_rows": len(reference.frame),
        "months": per_month,
        "median_month_s": statistics.median(
            m["score_s"] + m["monitor_reports_s"] for m in per_month
        ),
        "median_month_cpu_s": statistics.median(
            m["score_cpu_s"] + m["monitor_reports_cpu_s"] for m in per_month
        ),
        "goal_month_s": 5.0,
        "false_alarms": false_alarms(
            predictor.model, reference, training, params, null_seeds, rows=27_000
        ),
        "detection": detection(predictor.model, reference, months[1], params, seeds),
    }
    if replay:
        results["replay"] = replay_time(predictor.model, training, months, predictor.threshold)
    return results


def to_markdown(r: dict) -> str:
    """A short table of the timings and of the detection rates."""
    lines = [
        "# Monitoring benchmark",
        "",
        f"2 cores shared (load average {r['machine']['load_average_1m']} at the end); "
        "wall seconds, CPU seconds in brackets.",
        "",
        "| month | rows | score | monitors (JSON) | monitors + Evidently HTML |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {m['month']} | {m['rows']:,} | {m['score_s']} ({m['score_cpu_s']}) | "
        f"{m['monitor_json_s']} ({m['monitor_json_cpu_s']}) | "
        f"{m['monitor_reports_s']} ({m['monitor_reports_cpu_s']}) |"
        for m in r["months"]
    ]
    fa = r["false_alarms"]
    lines += [
        "",
        f"Reference ({r['reference_rows']:,} rows, thresholds from 8 months): "
        f"{r['reference_s']} s ({r['reference_cpu_s']} CPU). Median month, scoring + all "
        f"reports: {r['median_month_s']} s ({r['median_month_cpu_s']} CPU); goal "
        f"{r['goal_month_s']} s.",
        "",
        f"False alarms: {fa['pooled_with_any_alert']}/{fa['pooled_samples']} unchanged "
        f"samples of {fa['pooled_rows']:,} training-period rows raised an alert "
        f"({fa['pooled_with_retrain']} a retraining); {fa['training_months_with_any_alert']}/8 "
        "training months did.",
        "",
        f"| injected into month {r['detection']['base_month']} | detected | before |",
        "|---|---|---|",
    ]
    for name, d in r["detection"].items():
        if isinstance(d, dict):
            lines.append(f"| {name} | {d['detected']}/{d['seeds']} | {d['detected_before']} |")
    if "replay" in r:
        rp = r["replay"]
        lines += [
            "",
            f"Whole replay (4 months, Evidently HTML, retraining): {rp['wall_s']} s "
            f"({rp['cpu_s']} CPU); retrained after {rp['retrained']}, promoted {rp['promoted']}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the benchmark; write results.json and results.md beside this file."""
    from labs_common.logs import setup_logging
    from labs_common.tooling import configure_offline

    parser = argparse.ArgumentParser(prog="python -m benchmarks.monitoring.bench")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per injection")
    parser.add_argument("--null-seeds", type=int, default=20, help="unchanged samples")
    parser.add_argument("--no-replay", action="store_true", help="skip the whole replay")
    args = parser.parse_args()
    configure_offline()
    setup_logging("WARNING")
    results = run(args.seeds, args.null_seeds, not args.no_replay)
    write_text(json.dumps(results, indent=2) + "\n", HERE / "results.json")
    write_text(to_markdown(results), HERE / "results.md")


if __name__ == "__main__":
    main()

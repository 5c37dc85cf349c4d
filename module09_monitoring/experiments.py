"""Injected-drift experiments: is known drift caught, and is unchanged data left alone? (lesson 02)

Why it matters: a monitor is a classifier of months ("drifted" or not), and like any
classifier it has two error rates. Its *detection rate* is measured by breaking a month on
purpose (``inject.py``) and counting how often the right alert fires; its *false-alarm
rate* by feeding it data that did not change and counting the alerts. Both are measured
over several seeds, because one run of a random injection proves little.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import paths
from module04_ml_fundamentals.features import LABEL
from module09_monitoring import inject
from module09_monitoring.drift import drift_table
from module09_monitoring.monitor import monitor_month
from module09_monitoring.params import MonitorParams
from module09_monitoring.quality import calibration_stats
from module09_monitoring.reference import (
    Reference,
    model_features,
    model_scores,
    reference_positions,
)

BENCHMARK = paths.ROOT / "benchmarks" / "monitoring" / "results.json"
Injection = Callable[[pd.DataFrame, int], pd.DataFrame]
PLANE = ("plane_age", "plane_seats", "plane_engines")

#: name: (change a month with a seed, what the monitor should notice)
INJECTIONS: dict[str, tuple[Injection, str]] = {
    "distance x1.3": (lambda m, s: inject.shift_numeric(m, "distance", 1.3), "distance"),
    "carrier UA +30%": (
        lambda m, s: inject.change_category_mix(m, "carrier", "UA", 0.30, s),
        "carrier",
    ),
    "late rate 0.40": (lambda m, s: inject.set_label_rate(m, 0.40, s), "calibration"),
    "tailnum missing 20%": (lambda m, s: inject.add_missing(m, "tailnum", 0.20, s), "missing"),
}


def detected(entry: dict, target: str) -> bool:
    """Did the month's entry notice ``target`` (a feature, ``calibration`` or ``missing``)?

    Example:
        >>> detected({"alerts": ["calibration"], "drifted_features": []}, "calibration")
        True
    """
    if target == "calibration":
        return "calibration" in entry["alerts"]
    if target == "missing":
        return set(entry["missing_features"]) >= set(PLANE)
    return target in entry["drifted_features"]


def check_month(
    model: object, reference: Reference, flights: pd.DataFrame, params: MonitorParams
) -> dict:
    """Score ``flights`` with ``model`` and return the monitor's entry (nothing written)."""
    return monitor_month(flights, model_scores(model, flights), model, reference, params)


def injection_runs(
    model: object,
    reference: Reference,
    month: pd.DataFrame,
    params: MonitorParams,
    seeds: int,
    injections: dict[str, tuple[Injection, str]] = INJECTIONS,
) -> pd.DataFrame:
    """Inject each change into ``month`` with seeds 0..seeds-1; one row per run.

    Returns:
        Columns ``injection``, ``seed``, ``target``, ``detected``, ``alerts``, ``retrain``.
    """
    rows = []
    for name, (change, target) in injections.items():
        for seed in range(seeds):
            entry = check_month(model, reference, change(month, seed), params)
            rows.append(
                {
                    "injection": name,
                    "seed": seed,
                    "target": target,
                    "detected": detected(entry, target),
                    "alerts": entry["alerts"],
                    "retrain": entry["retrain"],
                }
            )
    return pd.DataFrame(rows)


def held_out_rows(training: pd.DataFrame, params: MonitorParams) -> pd.DataFrame:
    """Return the training rows the reference sample did not take (same sample as the reference).

    Why it matters: testing for false alarms on rows that *are* the reference would
    flatter the monitor; these rows come from the same months but were never compared.
    """
    taken = reference_positions(training, params)
    keep = np.ones(len(training), dtype=bool)
    keep[taken] = False
    return training.reset_index(drop=True).loc[keep].reset_index(drop=True)


def false_alarm_runs(
    model: object,
    reference: Reference,
    pool: pd.DataFrame,
    rows: int,
    seeds: int,
    params: MonitorParams,
) -> pd.DataFrame:
    """Monitor ``seeds`` unchanged samples of ``rows`` rows of ``pool``; one row per sample."""
    out = []
    for seed in range(seeds):
        sample = pool.sample(rows, random_state=seed).reset_index(drop=True)
        entry = check_month(model, reference, sample, params)
        out.append({"seed": seed, "alerts": entry["alerts"], "retrain": entry["retrain"]})
    return pd.DataFrame(out)


def feature_drift_curve(
    model: object,
    reference: Reference,
    month: pd.DataFrame,
    column: str,
    changes: dict[float, pd.DataFrame],
) -> pd.DataFrame:
    """Return the PSI of ``column`` and its limit for each changed copy of ``month``.

    Args:
        changes: ``{strength: changed copy of month}``, e.g. ``{1.1: routes 10% longer}``.
    """
    rows = {}
    feats = reference.features
    for strength, changed in changes.items():
        table = drift_table(
            reference.frame[feats],
            model_features(model, changed)[feats],
            reference.psi_limits,
            reference.categorical,
            reference.missing_limits,
        )
        rows[strength] = table.loc[column, ["psi", "psi_limit", "drifted"]]
    return pd.DataFrame(rows).T.rename_axis("strength")


def label_rate_curve(
    flights: pd.DataFrame, scores: np.ndarray, rates: list[float], seed: int = 0
) -> pd.DataFrame:
    """Push the late rate of ``flights`` to each of ``rates``; the scores stay as they were.

    Why it matters: label shift changes the outcomes, not the inputs, so the model's scores
    do not move. The table shows how far the mean score and the late rate part.

    Returns:
        One row per rate: ``label_rate``, ``mean_score``, ``calibration_gap``,
        ``calibration_error``.
    """
    rows = {
        rate: calibration_stats(inject.set_label_rate(flights, rate, seed)[LABEL], scores)
        for rate in rates
    }
    return pd.DataFrame(rows).T.rename_axis("injected rate")


def read_benchmark(path: Path = BENCHMARK) -> tuple[pd.DataFrame, dict]:
    """Return the benchmark's detection table and its false-alarm counts (``results.json``).

    Why it matters: the full experiment (whole months, the pipeline's model, five seeds)
    takes a quarter of an hour; a lesson quotes its measured results instead of redoing it.

    Raises:
        FileNotFoundError: the benchmark has not been run
            (``python -m benchmarks.monitoring.bench``).
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} not found: run `python -m benchmarks.monitoring.bench`")
    results = json.loads(Path(path).read_text())
    detection = {k: v for k, v in results["detection"].items() if isinstance(v, dict)}
    table = pd.DataFrame(detection).T.rename_axis(
        f"injected into month {results['detection']['base_month']}"
    )
    return table[["target", "detected", "seeds", "detected_before"]], results["false_alarms"]

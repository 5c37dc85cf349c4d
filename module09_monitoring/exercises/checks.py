"""Checks of module 09's exercises; ``labs check 9`` runs them against ``starter.py``.

Expected values come from the course's own code (``drift.psi``, ``quality``,
``rules.decide``), from scipy, or from small cases whose answer follows from the
exercise's text; each check calls a student's function several ways, so an answer that
fits one case only does not pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import yaml
from scipy import stats
from scipy.spatial import distance

from labs_common import paths
from labs_common.exercises import Exercise
from module09_monitoring.params import MonitorParams
from module09_monitoring.quality import calibration_stats
from module09_monitoring.rules import decide
from module09_monitoring.stats import binned_shares

LATENCY_BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SHA = "3d3c42e5aac5ba805825da76410c181273ba90b1"


def _pair(seed: int, shift: float, scale: float = 1.0) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(seed)
    return pd.Series(rng.normal(20, 5, 3000)), pd.Series(rng.normal(20 + shift, 5 * scale, 2000))


def psi(reference: pd.Series, current: pd.Series) -> float:
    """Evidently's PSI on Evidently's bins (``test_stats.py`` checks it against Evidently)."""
    shares = binned_shares(reference, current).replace(0, 1e-4)
    r, c = shares["reference"], shares["current"]
    return float(((c - r) * np.log(c / r)).sum())


def check_psi_numeric(fn: Callable[..., object]) -> None:
    for shift, scale in ((0.0, 1.0), (1.5, 1.0), (5.0, 1.3), (-12.0, 0.5)):
        ref, cur = _pair(int(10 * abs(shift)), shift, scale)
        expected, got = psi(ref, cur), fn(ref, cur)
        assert math.isclose(float(got), expected, rel_tol=1e-6), (
            f"shift {shift}, scale {scale}: Evidently's PSI is {expected:.6f}, got {got}"
        )
    ref, cur = _pair(3, 2.0)
    ref[:300] = np.nan
    expected = psi(ref, cur)
    assert math.isclose(float(fn(ref, cur)), expected, rel_tol=1e-6), (
        "with missing values in the reference: leave them out (dropna) before binning"
    )


def check_js_distance(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(0)
    for _ in range(5):
        p, q = rng.integers(0, 50, 8).astype(float), rng.integers(0, 50, 8).astype(float)
        p[rng.integers(0, 8)] = 0.0
        expected, got = distance.jensenshannon(p, q), fn(p, q)
        assert math.isclose(float(got), expected, rel_tol=1e-9), (
            f"counts {p.tolist()} vs {q.tolist()}: expected {expected:.6f} (scipy), got {got}"
        )
    assert math.isclose(float(fn([1, 2, 3], [2, 4, 6])), 0.0, abs_tol=1e-12), (
        "the same shares (as counts of another size) are at distance 0: normalise first"
    )
    assert math.isclose(float(fn([1, 0], [0, 1])), math.sqrt(math.log(2)), rel_tol=1e-9), (
        "disjoint distributions are at the largest distance, sqrt(ln 2) with natural logs"
    )


def check_calibration_alert(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(1)
    scores = rng.beta(2, 6, 4000)
    for rate, max_gap in ((0.13, 0.05), (0.25, 0.05), (0.33, 0.05), (0.33, 0.2)):
        labels = (rng.random(4000) < rate).astype(int)
        ref = calibration_stats(labels, scores)
        got = fn(scores, labels, max_gap)
        assert math.isclose(got["gap"], ref["calibration_gap"], abs_tol=1e-9), (
            f"gap is mean score minus late rate: expected {ref['calibration_gap']:.4f}, "
            f"got {got['gap']}"
        )
        assert math.isclose(got["mean_score"], ref["mean_score"], abs_tol=1e-12)
        assert math.isclose(got["label_rate"], ref["label_rate"], abs_tol=1e-12)
        expected = abs(ref["calibration_gap"]) > max_gap
        assert got["alert"] == expected, (
            f"gap {ref['calibration_gap']:+.3f}, max {max_gap}: alert should be {expected} "
            "(compare the absolute value: a model can be wrong in both directions)"
        )


def check_false_alarm_upper_bound(fn: Callable[..., object]) -> None:
    for alarms, runs, confidence in ((0, 20, 0.95), (1, 20, 0.95), (3, 50, 0.9), (0, 5, 0.99)):
        ci = stats.binomtest(alarms, runs).proportion_ci(confidence, method="exact")
        got = fn(alarms, runs, confidence)
        assert math.isclose(float(got), ci.high, rel_tol=1e-6), (
            f"{alarms} alarms in {runs} runs at {confidence}: expected {ci.high:.4f}, got {got}"
        )
    assert fn(7, 7) == 1.0, "every run alarmed: the upper end is 1.0"
    try:
        fn(3, 2)
    except ValueError:
        return
    raise AssertionError("3 alarms in 2 runs is impossible: raise ValueError")


def _buckets(seed: int) -> tuple[dict[float, float], np.ndarray]:
    seconds = np.random.default_rng(seed).lognormal(np.log(0.03), 1.0, 5000)
    bounds = [*LATENCY_BOUNDS, float("inf")]
    return {b: float((seconds <= b).sum()) for b in bounds}, seconds


def check_share_below(fn: Callable[..., object]) -> None:
    buckets, seconds = _buckets(0)
    for bound in (0.01, 0.1, 0.5):
        expected = float((seconds <= bound).mean())
        got = fn(buckets, bound)
        assert math.isclose(float(got), expected, rel_tol=1e-9), (
            f"at a bucket bound ({bound} s) the share is exact: {expected:.4f}, got {got}"
        )
    for value in (0.002, 0.04, 0.3, 7.0):
        finite = [0.0, *LATENCY_BOUNDS]
        expected = float(np.interp(value, finite, [0.0, *(buckets[b] for b in LATENCY_BOUNDS)]))
        got = fn(dict(reversed(buckets.items())), value)
        assert math.isclose(float(got), expected / len(seconds), rel_tol=1e-9), (
            f"{value} s: interpolate linearly inside its bucket (from 0 below the first): "
            f"expected {expected / len(seconds):.4f}, got {got}"
        )
    try:
        fn(buckets, 20.0)
    except ValueError:
        return
    raise AssertionError("beyond the largest finite bound nothing is known: raise ValueError")


def check_error_budget(fn: Callable[..., object]) -> None:
    for slo, total, failed in ((0.99, 10_000, 50), (0.999, 2_000_000, 2_600), (0.95, 400, 0)):
        allowed = (1 - slo) * total
        got = fn(slo, total, failed)
        assert math.isclose(got["allowed_failures"], allowed, rel_tol=1e-9), (
            f"SLO {slo} over {total} requests allows {allowed:g} failures, "
            f"got {got['allowed_failures']}"
        )
        assert math.isclose(got["consumed"], failed / allowed, rel_tol=1e-9), (
            f"{failed} failures use {failed / allowed:.3f} of the budget, got {got['consumed']}"
        )
        assert math.isclose(got["remaining"], allowed - failed, rel_tol=1e-9, abs_tol=1e-9)
    for slo in (1.0, 0.0):
        try:
            fn(slo, 100, 1)
        except ValueError:
            continue
        raise AssertionError(f"an SLO of {slo} leaves no budget to compute: raise ValueError")


def _entries() -> list[dict]:
    base = {"drift_share": 0.0, "drifted_features": [], "missing_features": [],
            "prediction_psi": 0.05, "prediction_threshold": 0.15, "prediction_drift": False,
            "mean_score": 0.2, "label_rate": 0.2, "reference_label_rate": 0.25,
            "label_shift": -0.05, "calibration_gap": 0.0, "calibration_error": 0.03,
            "roc_auc": 0.7}  # fmt: skip
    unlabelled = {**base, **dict.fromkeys(("label_rate", "label_shift", "calibration_gap",
                                           "calibration_error", "roc_auc"))}  # fmt: skip
    return [
        base,
        {**base, "drift_share": 0.3, "drifted_features": ["a", "b"]},
        {**base, "drifted_features": ["distance"], "drift_share": 0.04},
        {**base, "prediction_drift": True, "prediction_psi": 0.3},
        {**base, "missing_features": ["plane_age"]},
        {**base, "label_rate": 0.33, "label_shift": 0.08, "calibration_gap": -0.1},
        {**base, "label_rate": 0.36, "label_shift": 0.11, "calibration_gap": -0.03},
        {**base, "calibration_error": 0.09},
        {**base, "roc_auc": 0.6},
        {**unlabelled, "drift_share": 0.1, "drifted_features": ["x"]},
        unlabelled,
    ]


def check_should_retrain(fn: Callable[..., object]) -> None:
    variants = [MonitorParams(), MonitorParams(retrain_on=["quality"]),
                MonitorParams(retrain_on=["feature_drift", "missing_values"]),
                MonitorParams(retrain_on=["prediction_drift", "label_shift"], max_label_shift=0.1),
                MonitorParams(max_calibration_gap=0.2, max_calibration_error=0.2)]  # fmt: skip
    for params in variants:
        for i, entry in enumerate(_entries()):
            expected, got = decide(entry, params)["retrain"], fn(dict(entry), params)
            assert got == expected, (
                f"entry {i} ({decide(entry, params)['alerts']} fire), retrain_on "
                f"{params.retrain_on}: expected {expected}, got {got}"
            )


def check_unpinned_actions(fn: Callable[..., object]) -> None:
    for path in sorted((paths.ROOT / ".github" / "workflows").glob("*.yml")):
        got = fn(yaml.safe_load(path.read_text()))
        assert got == [], f"{path.name} pins every action by SHA, got {got}"
    workflow = {"jobs": {
        "a": {"steps": [{"uses": "actions/checkout@v4"}, {"uses": f"actions/setup-python@{SHA}"},
                        {"run": "make test"}, {"uses": "./.github/actions/local"},
                        {"uses": "actions/cache@27d5ce7"}, {"uses": "actions/checkout@v4"},
                        {"uses": "docker://alpine:3.19"},
                        {"uses": f"docker://alpine@sha256:{SHA}{SHA[:24]}"}]},
        "b": {"uses": "org/repo/.github/workflows/release.yml@main"},
    }}  # fmt: skip
    expected = ["actions/cache@27d5ce7", "actions/checkout@v4", "docker://alpine:3.19",
                "org/repo/.github/workflows/release.yml@main"]  # fmt: skip
    got = fn(workflow)
    assert got == expected, f"expected {expected}, got {got}"


CHECKS = [
    Exercise("psi_numeric", check_psi_numeric,
             "np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges'); "
             "np.where(share == 0, 1e-4, share)"),
    Exercise("js_distance", check_js_distance,
             "normalise p and q, m = (p + q) / 2, sum a * log(a / m) where a > 0"),
    Exercise("calibration_alert", check_calibration_alert,
             "gap = np.mean(scores) - np.mean(labels); alert = abs(gap) > max_gap"),
    Exercise("false_alarm_upper_bound", check_false_alarm_upper_bound,
             "scipy.stats.beta.ppf(1 - (1 - confidence) / 2, alarms + 1, runs - alarms)"),
    Exercise("share_below", check_share_below,
             "np.interp(seconds, [0, *bounds], [0, *counts]) / buckets[inf]"),
    Exercise("error_budget", check_error_budget,
             "allowed = (1 - slo) * total; consumed = failed / allowed"),
    Exercise("should_retrain", check_should_retrain,
             "collect every alert that fires (label rules only with a label_rate), "
             "then intersect with params.retrain_on"),
    Exercise("unpinned_actions", check_unpinned_actions,
             "jobs -> steps -> uses, and a job's own uses; pinned: 40 hex digits after '@'"),
]  # fmt: skip

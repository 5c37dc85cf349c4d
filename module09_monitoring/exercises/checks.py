"""Checks of module 09's exercises; ``labs check 9`` runs them against ``starter.py``.

Expected values come from the course's own code (``stats.binned_shares``, ``quality``,
``rules.decide``), from scipy, or from small cases whose answer follows from the
exercise's text; each check adds cases drawn at random for each run (samples, counts,
labels, buckets, monitor entries and parameters, workflows), so an answer that fits the
cases it saw does not pass.
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
from labs_common.exercises import Checks, check_rng
from module09_monitoring.params import MonitorParams
from module09_monitoring.quality import calibration_stats
from module09_monitoring.rules import decide
from module09_monitoring.stats import binned_shares

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()

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


@CHECKS.exercise(
    forbidden=(
        "module09_monitoring.drift.psi",
        "module09_monitoring.stats.binned_shares",
        "module09_monitoring.stats.evidently_score",
    )
)
def check_psi_numeric(fn: Callable[..., object]) -> None:
    """np.histogram_bin_edges can compute Sturges' edges over both samples together; shares, not
    counts; an empty bin would make log blow up, so replace it first
    """
    rng = check_rng()
    cases = [(0.0, 1.0), *zip(rng.uniform(-12, 12, 3), rng.uniform(0.5, 1.5, 3), strict=True)]
    for shift, scale in cases:
        ref, cur = _pair(int(rng.integers(1e6)), shift, scale)
        expected, got = psi(ref, cur), fn(ref, cur)
        assert math.isclose(float(got), expected, rel_tol=1e-6), (
            f"shift {shift:.2f}, scale {scale:.2f}: Evidently's PSI is {expected:.6f}, got {got}"
        )
    ref, cur = _pair(int(rng.integers(1e6)), float(rng.uniform(1, 3)))
    ref[rng.random(len(ref)) < 0.1] = np.nan
    expected = psi(ref, cur)
    assert math.isclose(float(fn(ref, cur)), expected, rel_tol=1e-6), (
        "with missing values in the reference: leave them out (dropna) before binning"
    )


@CHECKS.exercise(forbidden=("scipy.spatial.distance.jensenshannon",))
def check_js_distance(fn: Callable[..., object]) -> None:
    """normalise both vectors first; KL to the mixture skips entries where the share is 0; natural
    logs; a distance is the square root of the divergence
    """
    rng = check_rng()
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


@CHECKS.exercise(forbidden=("module09_monitoring.quality.calibration_stats",))
def check_calibration_alert(fn: Callable[..., object]) -> None:
    """two means and their difference, in that order; a model can be off in either direction, so the
    alert looks at the size of the gap
    """
    rng = check_rng()
    scores = rng.beta(2, 6, int(rng.integers(2_000, 5_000)))
    cases = [(0.13, 0.05), (0.33, 0.05), *zip(rng.uniform(0.05, 0.45, 4), rng.uniform(0.02, 0.2, 4),
                                               strict=True)]  # fmt: skip
    for rate, max_gap in cases:
        labels = (rng.random(len(scores)) < rate).astype(int)
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
    n = 8 * int(rng.integers(50, 500))  # means exact in binary: the gap is exactly 0.125
    at_bound = fn(np.full(n, 0.25), (np.arange(n) < n // 8).astype(int), 0.125)
    assert not at_bound["alert"], (
        "a gap exactly at max_gap does not alert: the alert is for a gap *above* it"
    )


@CHECKS.exercise
def check_false_alarm_upper_bound(fn: Callable[..., object]) -> None:
    """Clopper-Pearson's bounds are quantiles of a Beta distribution (scipy.stats.beta); a two-sided
    interval leaves half of 1 - confidence above; handle alarms == runs
    """
    rng = check_rng()
    randoms = [(int(rng.integers(0, r)), int(r), float(rng.choice([0.8, 0.9, 0.95, 0.99])))
               for r in rng.integers(5, 200, 4)]  # fmt: skip
    for alarms, runs, confidence in ((0, 20, 0.95), (3, 50, 0.9), *randoms):
        ci = stats.binomtest(alarms, runs).proportion_ci(confidence, method="exact")
        got = fn(alarms, runs, confidence)
        assert math.isclose(float(got), ci.high, rel_tol=1e-6), (
            f"{alarms} alarms in {runs} runs at {confidence}: expected {ci.high:.4f}, got {got}"
        )
    runs = int(rng.integers(2, 30))
    assert fn(runs, runs) == 1.0, "every run alarmed: the upper end is 1.0"
    try:
        fn(runs + 1, runs)
    except ValueError:
        return
    raise AssertionError(f"{runs + 1} alarms in {runs} runs is impossible: raise ValueError")


def _buckets(seed: int) -> tuple[dict[float, float], np.ndarray]:
    rng = np.random.default_rng(seed)
    slow = rng.uniform(11, 30, int(rng.integers(5, 100)))  # slower than the largest bound
    seconds = np.concatenate([rng.lognormal(np.log(rng.uniform(0.01, 0.1)), 1.0, 5000), slow])
    bounds = [*LATENCY_BOUNDS, float("inf")]
    return {b: float((seconds <= b).sum()) for b in bounds}, seconds


@CHECKS.exercise(forbidden=("module09_monitoring.slo.histogram_quantile",))
def check_share_below(fn: Callable[..., object]) -> None:
    """sort the finite bounds; the curve starts at (0, 0); np.interp does the linear part; the +Inf
    bucket holds the total
    """
    rng = check_rng()
    buckets, seconds = _buckets(int(rng.integers(1e6)))
    for bound in rng.choice(LATENCY_BOUNDS, 3, replace=False):
        expected = float((seconds <= bound).mean())
        got = fn(buckets, bound)
        assert math.isclose(float(got), expected, rel_tol=1e-9), (
            f"at a bucket bound ({bound} s) the share is exact: {expected:.4f}, got {got}"
        )
    for value in (0.002, *rng.uniform(0, 10, 4)):
        finite = [0.0, *LATENCY_BOUNDS]
        expected = float(np.interp(value, finite, [0.0, *(buckets[b] for b in LATENCY_BOUNDS)]))
        got = fn(dict(reversed(buckets.items())), value)
        assert math.isclose(float(got), expected / len(seconds), rel_tol=1e-9), (
            f"{value:.4f} s: interpolate linearly inside its bucket (from 0 below the first): "
            f"expected {expected / len(seconds):.4f}, got {got}"
        )
    try:
        fn(buckets, 20.0)
    except ValueError:
        return
    raise AssertionError("beyond the largest finite bound nothing is known: raise ValueError")


@CHECKS.exercise
def check_error_budget(fn: Callable[..., object]) -> None:
    """the budget is the failures the SLO allows over the window; 'consumed' is a share of that
    budget; an SLO of 0 or 1 leaves nothing to divide by
    """
    rng = check_rng()
    randoms = [(float(rng.choice([0.9, 0.95, 0.99, 0.995, 0.999])), int(rng.integers(1e3, 1e7)),
                None) for _ in range(3)]  # fmt: skip
    randoms = [(slo, total, int(rng.integers(0, 3 * (1 - slo) * total + 2)))
               for slo, total, _ in randoms]  # fmt: skip
    for slo, total, failed in ((0.99, 10_000, 50), (0.95, 400, 0), *randoms):
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
            "prediction_psi": 0.05, "prediction_psi_limit": 0.15, "prediction_drift": False,
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


ALERTS = ["data_drift", "feature_drift", "prediction_drift", "missing_values", "label_shift",
          "calibration", "quality"]  # fmt: skip


def _random_entry(rng: np.random.Generator, p: MonitorParams) -> dict:
    """A month's numbers, some exactly at a threshold (a rule fires at >=, not only >)."""
    labelled = rng.random() < 0.75
    entry = {
        "drift_share": float(rng.choice([p.max_drift_share, rng.uniform(0, 0.5)])),
        "drifted_features": list(rng.choice(["a", "b", "c"], int(rng.integers(0, 3)), False)),
        "missing_features": list(rng.choice(["x", "y"], int(rng.integers(0, 2)), False)),
        "prediction_psi": float(rng.uniform(0, 0.4)), "prediction_psi_limit": 0.15,
        "prediction_drift": bool(rng.random() < 0.3), "mean_score": 0.2,
        "reference_label_rate": 0.2,
        "label_rate": float(rng.uniform(0.1, 0.4)),
        "label_shift": float(rng.choice([-1, 1]) * rng.uniform(0, 0.15)),
        "calibration_gap": float(rng.choice([-1, 1]) * rng.uniform(0, 0.12)),
        "calibration_error": float(rng.uniform(0, 0.15)), "roc_auc": float(rng.uniform(0.55, 0.75)),
    }  # fmt: skip
    if not labelled:
        entry.update(dict.fromkeys(("label_rate", "label_shift", "calibration_gap",
                                    "calibration_error", "roc_auc")))  # fmt: skip
    return entry


def _random_params(rng: np.random.Generator) -> MonitorParams:
    return MonitorParams(
        max_drift_share=float(rng.uniform(0.1, 0.5)),
        max_label_shift=float(rng.uniform(0.03, 0.12)),
        max_calibration_gap=float(rng.uniform(0.02, 0.1)),
        max_calibration_error=float(rng.uniform(0.04, 0.12)),
        min_roc_auc=float(rng.uniform(0.6, 0.72)),
        retrain_on=list(rng.choice(ALERTS, int(rng.integers(1, 4)), replace=False)),
    )  # fmt: skip


@CHECKS.exercise(forbidden=("module09_monitoring.rules.decide",))
def check_should_retrain(fn: Callable[..., object]) -> None:
    """the README's rules table, threshold by threshold (mind >= vs >); label rules only when the
    month has labels; then compare with retrain_on
    """
    variants = [MonitorParams(), MonitorParams(retrain_on=["quality"]),
                MonitorParams(retrain_on=["feature_drift", "missing_values"]),
                MonitorParams(retrain_on=["prediction_drift", "label_shift"], max_label_shift=0.1),
                MonitorParams(max_calibration_gap=0.2, max_calibration_error=0.2)]  # fmt: skip
    rng = check_rng()
    randoms = [_random_params(rng) for _ in range(8)]
    for params in [*variants, *randoms]:
        entries = [*_entries(), *(_random_entry(rng, params) for _ in range(12))]
        for i, entry in enumerate(entries):
            expected, got = decide(entry, params)["retrain"], fn(dict(entry), params)
            assert got == expected, (
                f"entry {i} ({decide(entry, params)['alerts']} fire), retrain_on "
                f"{params.retrain_on}: expected {expected}, got {got}"
            )


def _random_workflow(rng: np.random.Generator) -> tuple[dict, list[str]]:
    """Jobs with random steps, each pinned or not, and the unpinned ones sorted."""
    sha = rng.bytes(20).hex()
    kinds = [(f"actions/setup-{rng.integers(99)}@v{rng.integers(1, 6)}", False),
             (f"org{rng.integers(99)}/tool@{sha}", True), (f"org/tool@{sha[:7]}", False),
             ("./.github/actions/local", True),
             (f"docker://img{rng.integers(9)}:1.{rng.integers(9)}", False),
             (f"docker://img@sha256:{sha}{sha[:24]}", True),
             (f"org/wf/.github/workflows/x.yml@{rng.choice(['main', sha])}", None)]  # fmt: skip
    jobs, unpinned = {}, set()
    for j in range(int(rng.integers(1, 4))):
        steps = [{"run": "make test"}]
        for _ in range(int(rng.integers(1, 6))):
            uses, pinned = kinds[int(rng.integers(len(kinds) - 1))]
            steps.append({"uses": uses})
            unpinned |= set() if pinned else {uses}
        jobs[f"job{j}"] = {"runs-on": "ubuntu-latest", "steps": steps}
    if rng.random() < 0.6:
        uses = kinds[-1][0]
        jobs["reuse"] = {"uses": uses}
        unpinned |= set() if uses.endswith(sha) else {uses}
    return {"on": "push", "jobs": jobs}, sorted(unpinned)


@CHECKS.exercise(forbidden=("module09_monitoring.workflows.action_pins",))
def check_unpinned_actions(fn: Callable[..., object]) -> None:
    """collect uses from steps and from jobs themselves; local paths and docker digests are pinned;
    a commit SHA is exactly 40 hex digits, a tag or a short SHA is not
    """
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
    rng = check_rng()
    for _ in range(4):
        workflow, expected = _random_workflow(rng)
        got = fn(workflow)
        assert got == expected, (
            f"random workflow {workflow['jobs']}: expected {expected}, got {got}"
        )

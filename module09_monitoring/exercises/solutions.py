"""Reference answers to module 09's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from module09_monitoring.params import MonitorParams


def psi_numeric(reference: pd.Series, current: pd.Series) -> float:
    """PSI over Sturges bins of both samples; empty bins count as a share of 0.0001."""
    ref, cur = reference.dropna().to_numpy(float), current.dropna().to_numpy(float)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    r = np.histogram(ref, edges)[0] / len(ref)
    c = np.histogram(cur, edges)[0] / len(cur)
    r, c = np.where(r == 0, 1e-4, r), np.where(c == 0, 1e-4, c)
    return float(np.sum((c - r) * np.log(c / r)))


def _kl(a: np.ndarray, m: np.ndarray) -> float:
    keep = a > 0
    return float(np.sum(a[keep] * np.log(a[keep] / m[keep])))


def js_distance(p: npt.ArrayLike, q: npt.ArrayLike) -> float:
    """Square root of the mean KL divergence of each side to their mixture."""
    p, q = np.asarray(p, float), np.asarray(q, float)
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    return float(np.sqrt((_kl(p, m) + _kl(q, m)) / 2))


def calibration_alert(scores: npt.ArrayLike, labels: npt.ArrayLike, max_gap: float) -> dict:
    """Mean score vs late rate; alert when they differ by more than ``max_gap``."""
    mean_score = float(np.mean(np.asarray(scores, float)))
    label_rate = float(np.mean(np.asarray(labels, float)))
    gap = mean_score - label_rate
    return {"mean_score": mean_score, "label_rate": label_rate, "gap": gap,
            "alert": bool(abs(gap) > max_gap)}  # fmt: skip


def false_alarm_upper_bound(alarms: int, runs: int, confidence: float = 0.95) -> float:
    """Clopper-Pearson: the upper end is a quantile of Beta(alarms + 1, runs - alarms)."""
    if runs < 1 or not 0 <= alarms <= runs:
        raise ValueError(f"need 0 <= alarms <= runs and runs >= 1, got {alarms} of {runs}")
    if alarms == runs:
        return 1.0
    return float(stats.beta.ppf(1 - (1 - confidence) / 2, alarms + 1, runs - alarms))


def share_below(buckets: dict[float, float], seconds: float) -> float:
    """Interpolate the cumulative count linearly inside the bucket holding ``seconds``."""
    finite = sorted(b for b in buckets if np.isfinite(b))
    if not 0 <= seconds <= finite[-1]:
        raise ValueError(f"seconds must be in [0, {finite[-1]}], got {seconds}")
    total = buckets[float("inf")]
    counts = [0.0, *(buckets[b] for b in finite)]
    return float(np.interp(seconds, [0.0, *finite], counts) / total)


def error_budget(slo: float, total: int, failed: int) -> dict:
    """Failures the SLO allows over the window, the share used, what is left."""
    if not 0 < slo < 1:
        raise ValueError(f"slo must be strictly between 0 and 1, got {slo}")
    allowed = (1 - slo) * total
    return {"allowed_failures": allowed, "consumed": failed / allowed,
            "remaining": allowed - failed}  # fmt: skip


def _label_alerts(entry: dict, p: MonitorParams) -> set[str]:
    if entry.get("label_rate") is None:
        return set()
    fired = set()
    shift = entry.get("label_shift")
    if shift is not None and abs(shift) > p.max_label_shift:
        fired.add("label_shift")
    if (abs(entry["calibration_gap"]) > p.max_calibration_gap
            or entry["calibration_error"] > p.max_calibration_error):  # fmt: skip
        fired.add("calibration")
    if entry.get("roc_auc") is not None and entry["roc_auc"] < p.min_roc_auc:
        fired.add("quality")
    return fired


def should_retrain(entry: dict, params: MonitorParams) -> bool:
    """Fired alerts (the README's rules) intersected with ``retrain_on``."""
    fired = _label_alerts(entry, params)
    if entry["drift_share"] >= params.max_drift_share:
        fired.add("data_drift")
    checks = {"feature_drift": "drifted_features", "prediction_drift": "prediction_drift",
              "missing_values": "missing_features"}  # fmt: skip
    fired |= {alert for alert, key in checks.items() if entry.get(key)}
    return bool(fired & set(params.retrain_on))


def _pinned(uses: str) -> bool:
    if uses.startswith("./"):
        return True
    if uses.startswith("docker://"):
        return "@sha256:" in uses
    return bool(re.fullmatch(r"[0-9a-f]{40}", uses.rpartition("@")[2]))


def unpinned_actions(workflow: dict) -> list[str]:
    """Steps' and jobs' ``uses`` that a moved tag or branch could change under you."""
    uses = []
    for job in (workflow.get("jobs") or {}).values():
        uses += [job["uses"]] if "uses" in job else []
        uses += [step["uses"] for step in job.get("steps", []) if "uses" in step]
    return sorted({u for u in uses if not _pinned(u)})

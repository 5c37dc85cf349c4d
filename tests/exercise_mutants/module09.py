"""Wrong answers to module 09's exercises, each a small change of the reference answer."""

from __future__ import annotations

import re

import numpy as np
from scipy import stats

from module09_monitoring.exercises import solutions


def _psi(reference, current, *, bins="sturges", ref_edges=False, eps=1e-4, fill=None):
    if fill is None:
        ref, cur = reference.dropna().to_numpy(float), current.dropna().to_numpy(float)
    else:
        ref, cur = reference.fillna(fill).to_numpy(float), current.fillna(fill).to_numpy(float)
    edges = np.histogram_bin_edges(ref if ref_edges else np.concatenate([ref, cur]), bins=bins)
    r = np.histogram(ref, edges)[0] / len(ref)
    c = np.histogram(cur, edges)[0] / len(cur)
    r, c = np.where(r == 0, eps, r), np.where(c == 0, eps, c)
    return float(np.sum((c - r) * np.log(c / r)))


def _js(p, q, *, no_sqrt=False, base2=False, raw=False):
    p, q = np.asarray(p, float), np.asarray(q, float)
    if not raw:
        p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2
    log = np.log2 if base2 else np.log

    def kl(a):
        keep = a > 0
        return float(np.sum(a[keep] * log(a[keep] / m[keep])))

    d = (kl(p) + kl(q)) / 2
    return float(d if no_sqrt else np.sqrt(d))


def _cal(scores, labels, max_gap, *, no_abs=False, flipped=False, ge=False):
    mean_score, label_rate = float(np.mean(scores)), float(np.mean(labels))
    gap = label_rate - mean_score if flipped else mean_score - label_rate
    size = gap if no_abs else abs(gap)
    alert = size >= max_gap if ge else size > max_gap
    return {"mean_score": mean_score, "label_rate": label_rate, "gap": gap, "alert": bool(alert)}


def _upper(alarms, runs, confidence=0.95, *, one_sided=False, rule_of_three=False):
    if runs < 1 or not 0 <= alarms <= runs:
        raise ValueError("impossible")
    if alarms == runs:
        return 1.0
    if rule_of_three:
        return (alarms + 3) / runs
    q = confidence if one_sided else 1 - (1 - confidence) / 2
    return float(stats.beta.ppf(q, alarms + 1, runs - alarms))


def _share(buckets, seconds, *, step=False, lenient=False, finite_total=False):
    finite = sorted(b for b in buckets if np.isfinite(b))
    if not lenient and not 0 <= seconds <= finite[-1]:
        raise ValueError(seconds)
    total = buckets[finite[-1]] if finite_total else buckets[float("inf")]
    if step:
        below = [b for b in finite if b <= seconds]
        return float((buckets[below[-1]] if below else 0.0) / total)
    counts = [0.0, *(buckets[b] for b in finite)]
    return float(np.interp(seconds, [0.0, *finite], counts) / total)


def _budget(slo, total, failed, *, of_total=False, lenient=False, share_left=False):
    if not lenient and not 0 < slo < 1:
        raise ValueError(slo)
    allowed = (1 - slo) * total
    if allowed == 0:
        return {"allowed_failures": 0.0, "consumed": float("inf"), "remaining": -failed}
    consumed = failed / total if of_total else failed / allowed
    remaining = 1 - failed / allowed if share_left else allowed - failed
    return {"allowed_failures": allowed, "consumed": consumed, "remaining": remaining}


def _retrain(entry, params, *, strict_drift=False, any_alert=False, gap_signed=False,
             labels_always=False):  # fmt: skip
    p, fired = params, set()
    labelled = labels_always or entry.get("label_rate") is not None
    if labelled:
        shift = entry.get("label_shift") or 0.0
        if abs(shift) > p.max_label_shift:
            fired.add("label_shift")
        gap = entry.get("calibration_gap") or 0.0
        if (gap if gap_signed else abs(gap)) > p.max_calibration_gap or (
            entry.get("calibration_error") or 0.0
        ) > p.max_calibration_error:
            fired.add("calibration")
        if entry.get("roc_auc") is not None and entry["roc_auc"] < p.min_roc_auc:
            fired.add("quality")
        if labels_always and entry.get("label_rate") is None:
            fired.add("quality")  # an unlabelled month read as quality 0
    share = entry["drift_share"]
    if (share > p.max_drift_share) if strict_drift else (share >= p.max_drift_share):
        fired.add("data_drift")
    checks = {"feature_drift": "drifted_features", "prediction_drift": "prediction_drift",
              "missing_values": "missing_features"}  # fmt: skip
    fired |= {a for a, k in checks.items() if entry.get(k)}
    return bool(fired) if any_alert else bool(fired & set(p.retrain_on))


def _unpinned(workflow, *, short_ok=False, steps_only=False, docker_tag_ok=False, repeats=False):
    uses = []
    for job in (workflow.get("jobs") or {}).values():
        uses += [] if steps_only or "uses" not in job else [job["uses"]]
        uses += [s["uses"] for s in job.get("steps", []) if "uses" in s]

    def pinned(u: str) -> bool:
        if u.startswith("./"):
            return True
        if u.startswith("docker://"):
            return docker_tag_ok or "@sha256:" in u
        ref = u.rpartition("@")[2]
        return bool(re.fullmatch(r"[0-9a-f]{7,40}" if short_ok else r"[0-9a-f]{40}", ref))

    found = [u for u in uses if not pinned(u)]
    return sorted(found) if repeats else sorted(set(found))


MUTANTS = {
    "psi_numeric": {
        "ten bins": lambda r, c: _psi(r, c, bins=10),
        "edges from the reference only": lambda r, c: _psi(r, c, ref_edges=True),
        "missing values read as 0": lambda r, c: _psi(r, c, fill=0.0),
        "empty bins as 1e-6": lambda r, c: _psi(r, c, eps=1e-6),
    },
    "js_distance": {
        "no square root": lambda p, q: _js(p, q, no_sqrt=True),
        "log base 2": lambda p, q: _js(p, q, base2=True),
        "counts not normalised": lambda p, q: _js(p, q, raw=True),
    },
    "calibration_alert": {
        "signed gap compared": lambda s, y, g: _cal(s, y, g, no_abs=True),
        "gap the other way round": lambda s, y, g: _cal(s, y, g, flipped=True),
        ">= instead of >": lambda s, y, g: _cal(s, y, g, ge=True),
    },
    "false_alarm_upper_bound": {
        "one-sided quantile": lambda a, r, c=0.95: _upper(a, r, c, one_sided=True),
        "rule of three": lambda a, r, c=0.95: _upper(a, r, c, rule_of_three=True),
        "the observed rate": lambda a, r, c=0.95: (
            solutions.false_alarm_upper_bound(a, r, c) if a in (r,) or a > r else a / r
        ),
    },
    "share_below": {
        "no interpolation inside a bucket": lambda b, s: _share(b, s, step=True),
        "no error beyond the last bound": lambda b, s: _share(b, s, lenient=True),
        "last finite bucket as the total": lambda b, s: _share(b, s, finite_total=True),
    },
    "error_budget": {
        "consumed as a share of all requests": lambda s, t, f: _budget(s, t, f, of_total=True),
        "no error for an SLO of 1": lambda s, t, f: _budget(s, t, f, lenient=True),
        "remaining as a share": lambda s, t, f: _budget(s, t, f, share_left=True),
    },
    "should_retrain": {
        "drift share must exceed the bound": lambda e, p: _retrain(e, p, strict_drift=True),
        "any alert retrains": lambda e, p: _retrain(e, p, any_alert=True),
        "calibration gap with its sign": lambda e, p: _retrain(e, p, gap_signed=True),
        "label rules without labels": lambda e, p: _retrain(e, p, labels_always=True),
    },
    "unpinned_actions": {
        "short SHA accepted": lambda w: _unpinned(w, short_ok=True),
        "reusable workflows ignored": lambda w: _unpinned(w, steps_only=True),
        "docker tags accepted": lambda w: _unpinned(w, docker_tag_ok=True),
        "repeats kept": lambda w: _unpinned(w, repeats=True),
    },
}

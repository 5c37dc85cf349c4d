"""Wrong answers to module 04's exercises, each a small change of the reference answer."""

from __future__ import annotations

from math import ceil, floor, log

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score


def _bss(y, proba, *, no_ratio=False, half=False):
    y = np.asarray(y, dtype=float)
    brier = np.mean((np.asarray(proba) - y) ** 2)
    reference = np.mean(((0.5 if half else y.mean()) - y) ** 2)
    return float(1 - brier) if no_ratio else float(1 - brier / reference)


def _cyc(hours, *, period=24.0, swap=False):
    a = 2 * np.pi * np.asarray(hours, dtype=float) / period
    cols = [np.cos(a), np.sin(a)] if swap else [np.sin(a), np.cos(a)]
    return np.column_stack(cols)


def _stm(keys, y, apply, smoothing=20.0, *, unseen=None, no_smoothing=False, half_prior=False):
    y = pd.Series(np.asarray(y, dtype=float))
    prior = 0.5 if half_prior else y.mean()
    stats = y.groupby(np.asarray(keys, dtype=object)).agg(["sum", "count"])
    k = 0.0 if no_smoothing else smoothing
    rate = (stats["sum"] + k * prior) / (stats["count"] + k)
    fill = prior if unseen is None else unseen
    return pd.Series(np.asarray(apply, dtype=object)).map(rate).fillna(fill).to_numpy(float)


def _sus(X, y, max_auc=0.8, *, one_way=False, dropna=False, by_name=False):
    scores = {}
    for col in X.select_dtypes("number").columns:
        values = X[col]
        if dropna:
            keep = values.notna().to_numpy()
            auc = roc_auc_score(np.asarray(y)[keep], values[keep])
        else:
            auc = roc_auc_score(y, values.fillna(values.median()))
        scores[col] = auc if one_way else max(auc, 1 - auc)
    order = sorted(scores.items()) if by_name else sorted(scores.items(), key=lambda kv: -kv[1])
    return [c for c, a in order if a > max_auc]


def _folds(months, n_splits, *, all_other=False, first=False, no_check=False):
    months = np.asarray(months)
    distinct = np.unique(months)
    if not no_check and not 1 <= n_splits < len(distinct):
        raise ValueError("bad n_splits")
    chosen = distinct[1 : n_splits + 1] if first else distinct[-n_splits:]
    if all_other:
        return [(np.flatnonzero(months != m), np.flatnonzero(months == m)) for m in chosen]
    return [(np.flatnonzero(months < m), np.flatnonzero(months == m)) for m in chosen]


def _halving(n, factor, min_resources, max_resources, *, no_possible=False, floor_c=False,
             uncapped=False):  # fmt: skip
    required = 1 + floor(log(n, factor))
    ratio = max_resources if uncapped else max_resources // min_resources
    possible = 1 + floor(log(ratio, factor))
    rounds, candidates = [], n
    for i in range(required if no_possible else min(required, possible)):
        resources = min_resources * factor**i
        rounds.append((candidates, resources if uncapped else min(resources, max_resources)))
        candidates = candidates // factor if floor_c else ceil(candidates / factor)
    return rounds


def _worst(y, proba, months, *, best=False, position=False):
    y, proba, months = np.asarray(y), np.asarray(proba), np.asarray(months)
    distinct = np.unique(months)
    aucs = [roc_auc_score(y[months == m], proba[months == m]) for m in distinct]
    i = int(np.argmax(aucs) if best else np.argmin(aucs))
    return (i if position else int(distinct[i])), float(aucs[i])


MUTANTS = {
    "brier_skill_score": {
        "1 - Brier (no reference)": lambda y, p: _bss(y, p, no_ratio=True),
        "reference predicts 0.5": lambda y, p: _bss(y, p, half=True),
        "ratio upside down": lambda y, p: float(
            1 - np.mean((np.mean(y) - y) ** 2) / np.mean((np.asarray(p) - y) ** 2)
        ),
    },
    "median_baseline_mae": {
        "validation median": lambda t, v: float(np.mean(np.abs(v - np.median(v)))),
        "training mean": lambda t, v: float(np.mean(np.abs(v - np.mean(t)))),
        "root mean squared error": lambda t, v: float(np.sqrt(np.mean((v - np.median(t)) ** 2))),
    },
    "cyclical_hour": {
        "a 12-hour circle": lambda h: _cyc(h, period=12.0),
        "cos first": lambda h: _cyc(h, swap=True),
        "degrees fed to sin": lambda h: np.column_stack(
            [np.sin(np.asarray(h) * 15.0), np.cos(np.asarray(h) * 15.0)]
        ),
    },
    "smoothed_target_mean": {
        "unseen key gets 0": lambda k, y, a, s=20.0: _stm(k, y, a, s, unseen=0.0),
        "smoothing ignored": lambda k, y, a, s=20.0: _stm(k, y, a, s, no_smoothing=True),
        "prior of 0.5": lambda k, y, a, s=20.0: _stm(k, y, a, s, half_prior=True),
    },
    "suspicious_features": {
        "one direction only": lambda X, y, max_auc=0.8: _sus(X, y, max_auc, one_way=True),
        "sorted by name": lambda X, y, max_auc=0.8: _sus(X, y, max_auc, by_name=True),
        "max_auc ignored": lambda X, y, max_auc=0.8: _sus(X, y),
    },
    "monthly_folds": {
        "trains on later months too": lambda m, n: _folds(m, n, all_other=True),
        "the first months validate": lambda m, n: _folds(m, n, first=True),
        "no ValueError": lambda m, n: _folds(m, n, no_check=True),
    },
    "halving_schedule": {
        "rows do not limit the rounds": lambda *a: _halving(*a, no_possible=True),
        "candidates rounded down": lambda *a: _halving(*a, floor_c=True),
        "rows ratio forgotten": lambda *a: _halving(*a, uncapped=True),
    },
    "worst_month_auc": {
        "best month": lambda y, p, m: _worst(y, p, m, best=True),
        "position instead of month": lambda y, p, m: _worst(y, p, m, position=True),
        "pooled AUC": lambda y, p, m: (int(np.unique(m)[0]), float(roc_auc_score(y, p))),
    },
    "calibration_gap": {
        "absolute gap": lambda y, p: float(abs(np.mean(p) - np.mean(y))),
        "sign flipped": lambda y, p: float(np.mean(y) - np.mean(p)),
        "median probability": lambda y, p: float(np.median(p) - np.mean(y)),
    },
}

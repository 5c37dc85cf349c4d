"""Wrong answers to module 07's exercises, each a small change of the reference answer."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandera.pandas as pa

from module07_experiments.exercises import solutions


def _global_seed(df, n, seed):
    np.random.seed(seed)  # noqa: NPY002 - the bug this mutant stands for
    return df.sample(n=n)


def _drift(recorded, installed, *, major_only=False, with_patch=False, extra=False):
    k = 1 if major_only else 3 if with_patch else 2
    names = set(recorded) | (set(installed) if extra else set())
    return sorted(
        n for n in names
        if n not in installed or n not in recorded
        or installed[n].split(".")[:k] != recorded[n].split(".")[:k]
    )  # fmt: skip


def _fingerprint(params, data, commit, *, sort=True, skip=None, short=False):
    parts = {"params": params, "data": data, "commit": commit}
    parts.pop(skip, None)
    digest = hashlib.sha256(json.dumps(parts, sort_keys=sort).encode()).hexdigest()
    return digest[:16] if short else digest


def _best(runs, metric, higher_is_better=True, *, any_status=False, always_max=False,
          row_label=False):  # fmt: skip
    col = f"metrics.{metric}"
    done = runs[runs[col].notna() & (any_status | (runs["status"] == "FINISHED"))]
    if done.empty:
        raise ValueError("none")
    best = done[col].idxmax() if higher_is_better or always_max else done[col].idxmin()
    return str(best) if row_label else str(done.loc[best, "run_id"])


def _flat_top(old, new):
    return {k: (old.get(k), new.get(k)) for k in sorted({*old, *new}) if old.get(k) != new.get(k)}


def _diff_common_only(old, new):
    got = solutions.params_diff(old, new)
    return {k: v for k, v in got.items() if None not in v}


def _schema(months, *, strict=True, minutes=True, any_month=False, late_type="int8"):
    clock = [pa.Check.in_range(0, 2359)] + ([pa.Check(lambda s: s % 100 < 60)] if minutes else [])
    month = pa.Check.in_range(1, 12) if any_month else pa.Check.isin(months)
    return pa.DataFrameSchema(
        {"month": pa.Column(int, month), "sched_dep_time": pa.Column(int, clock),
         "late": pa.Column(late_type, pa.Check.isin([0, 1]))},
        strict=strict,
    )  # fmt: skip


def _one_case_test(dep_hour):
    assert abs(dep_hour(1330) - 13.5) < 1e-9


def _loose_test(dep_hour):
    for hhmm, hours in {5: 5 / 60, 1330: 13.5, 2359: 23 + 59 / 60}.items():
        assert abs(dep_hour(hhmm) - hours) < 0.2


def _wrong_expectation_test(dep_hour):
    for hhmm, hours in {5: 0.05, 1330: 13.5}.items():  # expects HHMM / 100 for 00:05
        assert abs(dep_hour(hhmm) - hours) < 1e-9


def _uri(name, version=None, alias=None, *, lenient=False, at_version=False):
    if not lenient and (version is None) == (alias is None):
        raise ValueError("one of version and alias")
    if version is not None:
        return f"models:/{name}@{version}" if at_version else f"models:/{name}/{version}"
    return f"models:/{name}@{alias}"


def _bump(current, change, *, no_reset=False, lenient=False):
    parts = {"schema": 0, "retrain": 1, "metadata": 2}
    if change not in parts:
        if lenient:
            return current
        raise ValueError(change)
    numbers = [int(p) for p in current.split(".")]
    i = parts[change]
    numbers[i] += 1
    if not no_reset:
        numbers[i + 1 :] = [0] * (2 - i)
    return ".".join(map(str, numbers))


MUTANTS = {
    "seeded_sample": {
        "reseeds the global generator": _global_seed,
        "seed ignored": lambda df, n, seed: df.sample(n=n, random_state=0),
        "with replacement": lambda df, n, seed: df.sample(n=n, replace=True, random_state=seed),
        "first n rows": lambda df, n, seed: df.head(n),
    },
    "drifted_packages": {
        "major version only": lambda r, i: _drift(r, i, major_only=True),
        "patch counts too": lambda r, i: _drift(r, i, with_patch=True),
        "unrecorded packages count": lambda r, i: _drift(r, i, extra=True),
    },
    "run_fingerprint": {
        "key order matters": lambda p, d, c: _fingerprint(p, d, c, sort=False),
        "commit left out": lambda p, d, c: _fingerprint(p, d, c, skip="commit"),
        "16 hex digits": lambda p, d, c: _fingerprint(p, d, c, short=True),
    },
    "best_run": {
        "any status": lambda r, m, higher_is_better=True: _best(
            r, m, higher_is_better, any_status=True
        ),
        "always the highest": lambda r, m, higher_is_better=True: _best(
            r, m, higher_is_better, always_max=True
        ),
        "row label instead of run_id": lambda r, m, higher_is_better=True: _best(
            r, m, higher_is_better, row_label=True
        ),
    },
    "params_diff": {
        "top level only": _flat_top,
        "keys on one side ignored": _diff_common_only,
        "old and new swapped": lambda o, n: solutions.params_diff(n, o),
    },
    "schedule_schema": {
        "not strict": lambda m: _schema(m, strict=False),
        "minutes not checked": lambda m: _schema(m, minutes=False),
        "any month": lambda m: _schema(m, any_month=True),
    },
    "dep_hour_test": {
        "one case": _one_case_test,
        "loose tolerance": _loose_test,
        "wrong expectation": _wrong_expectation_test,
    },
    "model_uri": {
        "both given accepted": lambda n, version=None, alias=None: _uri(
            n, version, alias, lenient=True
        ),
        "version after '@'": lambda n, version=None, alias=None: _uri(
            n, version, alias, at_version=True
        ),
        "always the alias form": lambda n, version=None, alias=None: _uri(
            n, None, alias or str(version)
        ),
    },
    "bump_model_version": {
        "lower parts kept": lambda c, ch: _bump(c, ch, no_reset=True),
        "unknown change ignored": lambda c, ch: _bump(c, ch, lenient=True),
        "MINOR for a schema change": lambda c, ch: _bump(c, "retrain" if ch == "schema" else ch),
    },
}

"""Checks of module 07's exercises; ``labs check 7`` runs them against ``starter.py``.

Expectations come from the course's own files (params.yaml, the processed split when it is
built) or from small cases whose answer follows from the exercise's text; a check calls a
student's function several ways, so an answer that only fits one case does not pass.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.errors
import yaml

from labs_common import paths
from labs_common.config import load_params
from labs_common.exercises import Exercise


def _frame(n: int = 200) -> pd.DataFrame:
    return pd.DataFrame({"flight": np.arange(n), "distance": np.arange(n) * 10})


def check_seeded_sample(fn: Callable[..., object]) -> None:
    df = _frame()
    first = fn(df, 20, 1)
    np.random.random(5)  # noqa: NPY002 - someone else draws from the global generator in between
    again, other = fn(df, 20, 1), fn(df, 20, 2)
    assert isinstance(first, pd.DataFrame) and len(first) == 20, "return a frame of n rows"
    assert first.index.is_unique and first.index.isin(df.index).all(), "rows of df, no repeats"
    assert first.index.equals(again.index), "the same seed must give the same rows, every time"
    assert not first.index.equals(other.index), "another seed must give other rows"
    np.random.seed(0)  # noqa: NPY002
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    fn(df, 20, 1)
    assert np.array_equal(np.random.get_state()[1], state), (  # noqa: NPY002
        "the global NumPy generator changed: use random_state=seed, not np.random.seed"
    )


def check_drifted_packages(fn: Callable[..., object]) -> None:
    recorded = {"scikit-learn": "1.9.1", "numpy": "2.4.6", "pandas": "2.3.3", "skops": "0.16.0",
                "scipy": "1.9.0"}  # fmt: skip
    installed = {"scikit-learn": "1.9.2", "numpy": "2.5.0", "pandas": "2.3.3", "scipy": "1.10.0",
                 "rich": "15.0.0"}  # fmt: skip
    got = fn(recorded, installed)
    assert isinstance(got, list), f"return a list, got {type(got).__name__}"
    assert got == ["numpy", "scipy", "skops"], (
        "numpy 2.4 -> 2.5 and scipy 1.9 -> 1.10 changed minor version, skops is missing; "
        f"scikit-learn 1.9.1 -> 1.9.2 is a patch: expected ['numpy', 'scipy', 'skops'], got {got}"
    )
    assert fn(installed, installed) == [], "the same versions on both sides drift nowhere"


def check_run_fingerprint(fn: Callable[..., object]) -> None:
    params = {"train": {"seed": 42, "model": "hgb"}, "split": {"test_months": [11, 12]}}
    data = {"train": "a" * 32, "test": "b" * 32}
    digest = fn(params, data, "abc123")
    assert isinstance(digest, str) and len(digest) == 64, "return sha256(...).hexdigest()"
    shuffled = {"split": {"test_months": [11, 12]}, "train": {"model": "hgb", "seed": 42}}
    assert fn(shuffled, dict(reversed(data.items())), "abc123") == digest, (
        "the order of the keys must not matter: json.dumps(..., sort_keys=True)"
    )
    changed = copy.deepcopy(params)
    changed["train"]["seed"] = 43
    variants = [fn(changed, data, "abc123"), fn(params, {**data, "test": "c" * 32}, "abc123"),
                fn(params, data, "abc124")]  # fmt: skip
    assert digest not in variants, "a change of parameter, data hash or commit must show"
    assert fn(params, data, "abc123") == digest, "the same run must give the same digest"


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run_id": ["a", "b", "c", "d", "e"],
            "status": ["FINISHED", "FAILED", "FINISHED", "FINISHED", "RUNNING"],
            "metrics.valid_roc_auc": [0.69, 0.80, 0.71, np.nan, 0.75],
            "metrics.log_loss": [0.40, 0.30, 0.42, 0.10, 0.20],
        }
    )


def check_best_run(fn: Callable[..., object]) -> None:
    runs = _runs()
    got = fn(runs, "valid_roc_auc")
    assert got == "c", (
        f"expected 'c' (0.71): 'b' failed, 'e' is still running, 'd' has no value; got {got!r}"
    )
    got = fn(runs, "log_loss", higher_is_better=False)
    assert got == "d", f"the lowest log loss among finished runs is 'd' (0.10), got {got!r}"
    try:
        fn(runs.assign(status="FAILED"), "valid_roc_auc")
    except ValueError:
        return
    raise AssertionError("with no finished run, raise ValueError")


def check_params_diff(fn: Callable[..., object]) -> None:
    current = yaml.safe_load(paths.PARAMS_PATH.read_text())
    assert fn(current, copy.deepcopy(current)) == {}, "params.yaml against itself differs nowhere"
    new = copy.deepcopy(current)
    new["cost"]["missed_delay"] = current["cost"]["missed_delay"] * 2
    new["train"]["search"]["hgb"]["learning_rate"] = [0.2]
    del new["register"]["tolerance"]
    new["train"]["note"] = "try"
    expected = {
        "cost.missed_delay": (current["cost"]["missed_delay"], new["cost"]["missed_delay"]),
        "register.tolerance": (current["register"]["tolerance"], None),
        "train.note": (None, "try"),
        "train.search.hgb.learning_rate": (current["train"]["search"]["hgb"]["learning_rate"],
                                           [0.2]),
    }  # fmt: skip
    got = fn(current, new)
    assert got == expected, f"expected {expected}, got {got}"


def _schedule(months: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"month": [months[0], months[-1], months[0]],
                         "sched_dep_time": [0, 1359, 2359],
                         "late": pd.Series([0, 1, 0], dtype="int8")})  # fmt: skip


def check_schedule_schema(fn: Callable[..., object]) -> None:
    months = load_params().split.test_months
    schema = fn(months)
    schema.validate(_schedule(months))
    split = paths.PROCESSED / "test.parquet"
    if split.exists():
        schema.validate(pd.read_parquet(split, columns=["month", "sched_dep_time", "late"]))
    good = _schedule(months)
    bad = {
        "a month outside the split": good.assign(month=[months[0], 13, months[0]]),
        "minutes 60": good.assign(sched_dep_time=[0, 1360, 5]),
        "clock 2400": good.assign(sched_dep_time=[0, 2400, 5]),
        "late = 2": good.assign(late=pd.Series([0, 2, 1], dtype="int8")),
        "a leaked dep_delay column": good.assign(dep_delay=[1.0, 2.0, 3.0]),
        "a missing label": good.assign(late=[0.0, None, 1.0]),
    }
    for what, frame in bad.items():
        try:
            schema.validate(frame)
        except (pandera.errors.SchemaError, pandera.errors.SchemaErrors):
            continue
        raise AssertionError(f"the schema accepted {what}")


def _right(hhmm: int) -> float:
    return hhmm // 100 + hhmm % 100 / 60


MUTANTS = {
    "hhmm / 100 (1345 -> 13.45)": lambda hhmm: hhmm / 100,
    "minutes rounded to half hours (1310 -> 13.0)": lambda hhmm: (
        hhmm // 100 + (hhmm % 100 >= 30) * 0.5
    ),
    "hours rounded to 0.1 (1310 -> 13.2)": lambda hhmm: round(hhmm // 100 + hhmm % 100 / 60, 1),
    "a 12-hour clock (1330 -> 1.5)": lambda hhmm: hhmm // 100 % 12 + hhmm % 100 / 60,
    "times before 01:00 read as hours (0005 -> 5.0)": lambda hhmm: (
        float(hhmm) if hhmm < 100 else hhmm // 100 + hhmm % 100 / 60
    ),
}


def check_dep_hour_test(fn: Callable[..., object]) -> None:
    try:
        fn(_right)
    except AssertionError as exc:
        raise AssertionError(f"your test fails a correct dep_hour: {exc}") from None
    survivors = []
    for name, mutant in MUTANTS.items():
        try:
            fn(mutant)
        except AssertionError:
            continue
        survivors.append(name)
    assert not survivors, f"your test passes these buggy versions: {survivors}"


def check_model_uri(fn: Callable[..., object]) -> None:
    name = load_params().register.model_name
    assert fn(name, version=3) == f"models:/{name}/3", f"got {fn(name, version=3)!r}"
    got = fn(name, alias="champion")
    assert got == f"models:/{name}@champion", f"got {got!r}"
    for kwargs in ({}, {"version": 1, "alias": "champion"}):
        try:
            fn(name, **kwargs)
        except ValueError:
            continue
        raise AssertionError(f"model_uri({name!r}, **{kwargs}) must raise ValueError")


def check_bump_model_version(fn: Callable[..., object]) -> None:
    cases = {("1.4.2", "schema"): "2.0.0", ("1.4.2", "retrain"): "1.5.0",
             ("1.4.2", "metadata"): "1.4.3", ("0.9.9", "retrain"): "0.10.0"}  # fmt: skip
    for (current, change), expected in cases.items():
        got = fn(current, change)
        assert got == expected, f"bump_model_version({current!r}, {change!r}): expected " \
                                f"{expected!r}, got {got!r}"  # fmt: skip
    try:
        fn("1.0.0", "rename")
    except ValueError:
        return
    raise AssertionError("an unknown change must raise ValueError")


CHECKS = [
    Exercise("seeded_sample", check_seeded_sample, "df.sample(n=n, random_state=seed)"),
    Exercise("drifted_packages", check_drifted_packages,
             "compare version.split('.')[:2]; a recorded package absent here counts"),
    Exercise("run_fingerprint", check_run_fingerprint,
             "hashlib.sha256(json.dumps({'params': ..., 'data': ..., 'commit': ...}, "
             "sort_keys=True).encode()).hexdigest()"),
    Exercise("best_run", check_best_run,
             "runs[(runs.status == 'FINISHED') & runs[col].notna()], then idxmax or idxmin"),
    Exercise("params_diff", check_params_diff,
             "flatten each dict recursively into {'a.b': value}, then compare the union of keys"),
    Exercise("schedule_schema", check_schedule_schema,
             "pa.Check.isin, pa.Check.in_range(0, 2359), pa.Check(lambda s: s % 100 < 60), "
             "strict=True"),
    Exercise("dep_hour_test", check_dep_hour_test,
             "one case catches few bugs: try 5, 1310, 1330 and 2359, compare with a tolerance"),
    Exercise("model_uri", check_model_uri, "if (version is None) == (alias is None): raise"),
    Exercise("bump_model_version", check_bump_model_version,
             "parts = [int(p) for p in current.split('.')]; bump one, zero the ones after"),
]  # fmt: skip

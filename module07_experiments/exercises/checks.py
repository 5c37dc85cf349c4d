"""Checks of module 07's exercises; ``labs check 7`` runs them against ``starter.py``.

Expectations come from the course's own files (params.yaml, the processed split when it is
built), from small cases whose answer follows from the exercise's text, and from cases
drawn at random for each run (frames, versions, runs, parameter edits, months), so an
answer that only fits the cases it saw does not pass.
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
from labs_common.exercises import Checks, assert_equal_answers_for_equal_inputs, check_rng

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


def _frame(n: int = 200) -> pd.DataFrame:
    return pd.DataFrame({"flight": np.arange(n), "distance": np.arange(n) * 10})


@CHECKS.exercise
def check_seeded_sample(fn: Callable[..., object]) -> None:
    """DataFrame.sample has a parameter that takes a seed and leaves NumPy's global generator
    alone
    """
    rng = check_rng()
    df = _frame(int(rng.integers(100, 300))).sample(frac=1, random_state=rng)
    n, seed = int(rng.integers(len(df) // 3, len(df) // 2)), int(rng.integers(1_000_000))
    first = fn(df, n, seed)
    np.random.random(5)  # noqa: NPY002 - someone else draws from the global generator in between
    again, other = fn(df, n, seed), fn(df, n, seed + 1)
    assert isinstance(first, pd.DataFrame) and len(first) == n, "return a frame of n rows"
    assert first.index.is_unique and first.index.isin(df.index).all(), "rows of df, no repeats"
    assert first.index.equals(again.index), "the same seed must give the same rows, every time"
    assert not first.index.equals(other.index), "another seed must give other rows"
    np.random.seed(0)  # noqa: NPY002
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    fn(df, n, seed)
    assert np.array_equal(np.random.get_state()[1], state), (  # noqa: NPY002
        "the global NumPy generator changed: use random_state=seed, not np.random.seed"
    )


@CHECKS.exercise
def check_drifted_packages(fn: Callable[..., object]) -> None:
    """compare the first two parts of each version as a pair (1.9 vs 1.10 is not a string
    comparison); a recorded package missing here counts; sort the names
    """
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
    rng = check_rng()
    recorded, installed, expected = {}, {}, []
    for i in range(int(rng.integers(5, 12))):
        name = f"pkg{rng.integers(1000)}-{i}"
        major, minor, patch = (int(v) for v in rng.integers(0, 12, 3))
        recorded[name] = f"{major}.{minor}.{patch}"
        change = rng.choice(["same", "patch", "minor", "major", "missing"])
        if change == "missing":
            expected.append(name)
            continue
        bump = {"same": (0, 0, 0), "patch": (0, 0, 1), "minor": (0, 1, 0), "major": (1, 0, 0)}
        d = bump[str(change)]
        installed[name] = f"{major + d[0]}.{minor + d[1]}.{patch + d[2]}"
        expected += [name] if change in ("minor", "major") else []
    installed[f"extra{rng.integers(100)}"] = "1.0.0"
    got = fn(recorded, installed)
    assert got == sorted(expected), (
        f"recorded {recorded}, installed {installed}: expected {sorted(expected)}, got {got}"
    )


@CHECKS.exercise
def check_run_fingerprint(fn: Callable[..., object]) -> None:
    """serialise the three inputs in one canonical text (json can sort keys) and hash it with
    hashlib; return the full hex digest
    """
    rng = check_rng()
    seed, months = int(rng.integers(100)), sorted(rng.choice(12, 2, replace=False) + 1)
    months = [int(m) for m in months]
    params = {"train": {"seed": seed, "model": "hgb"}, "split": {"test_months": months}}
    data = {"train": rng.bytes(16).hex(), "test": rng.bytes(16).hex()}
    commit = rng.bytes(4).hex()
    digest = fn(params, data, commit)
    assert isinstance(digest, str) and len(digest) == 64, "return sha256(...).hexdigest()"
    shuffled = {"split": {"test_months": months}, "train": {"model": "hgb", "seed": seed}}
    assert fn(shuffled, dict(reversed(data.items())), commit) == digest, (
        "the order of the keys must not matter: json.dumps(..., sort_keys=True)"
    )
    changed = copy.deepcopy(params)
    changed["train"]["seed"] = seed + 1
    pool = [(params, data, commit), (shuffled, dict(reversed(data.items())), commit),
            (changed, data, commit), (params, {**data, "test": "c" * 32}, commit),
            (params, data, commit + "0")]  # fmt: skip
    same_run = [0, 0, 1, 2, 3]  # the first two are the same run, keys in another order
    assert_equal_answers_for_equal_inputs(
        fn,
        pool,
        same_run,
        rng,
        repeats=5,
        same="the same run must give the same digest",
        different="a change of parameter, data hash or commit must change the digest",
    )


def _runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run_id": ["a", "b", "c", "d", "e"],
            "status": ["FINISHED", "FAILED", "FINISHED", "FINISHED", "RUNNING"],
            "metrics.valid_roc_auc": [0.69, 0.80, 0.71, np.nan, 0.75],
            "metrics.log_loss": [0.40, 0.30, 0.42, 0.10, 0.20],
        }
    )


@CHECKS.exercise
def check_best_run(fn: Callable[..., object]) -> None:
    """filter finished runs with a value first, then pick by the metric's direction; the result is
    the run_id, not the row label; nothing left is an error
    """
    runs = _runs()
    got = fn(runs, "valid_roc_auc")
    assert got == "c", (
        f"expected 'c' (0.71): 'b' failed, 'e' is still running, 'd' has no value; got {got!r}"
    )
    got = fn(runs, "log_loss", higher_is_better=False)
    assert got == "d", f"the lowest log loss among finished runs is 'd' (0.10), got {got!r}"
    rng = check_rng()
    n = int(rng.integers(8, 30))
    runs = pd.DataFrame({
        "run_id": [rng.bytes(4).hex() for _ in range(n)],
        "status": rng.choice(["FINISHED", "FINISHED", "FAILED", "RUNNING"], n),
        "metrics.valid_roc_auc": np.where(rng.random(n) < 0.2, np.nan, rng.uniform(0.6, 0.8, n)),
        "metrics.log_loss": rng.uniform(0.3, 0.6, n),
    }, index=rng.permutation(n) + 100)  # fmt: skip
    runs.iloc[int(rng.integers(n)), 1] = "FINISHED"
    for metric, higher in (("valid_roc_auc", True), ("log_loss", False)):
        done = runs[(runs["status"] == "FINISHED") & runs[f"metrics.{metric}"].notna()]
        if done.empty:
            continue
        values = done[f"metrics.{metric}"]
        expected = done.loc[values.idxmax() if higher else values.idxmin(), "run_id"]
        got = fn(runs, metric, higher_is_better=higher)
        assert got == expected, (
            f"{n} random runs, {metric}, higher_is_better={higher}: expected {expected!r}, "
            f"got {got!r}"
        )
    try:
        fn(runs.assign(status="FAILED"), "valid_roc_auc")
    except ValueError:
        return
    raise AssertionError("with no finished run, raise ValueError")


@CHECKS.exercise
def check_params_diff(fn: Callable[..., object]) -> None:
    """flatten nested dictionaries into dotted keys (recursion), then walk the union of both key
    sets; dict.get gives None for a missing side
    """
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
    rng = check_rng()
    old = {f"s{i}": {f"k{j}": int(rng.integers(5)) for j in range(3)} for i in range(4)}
    old["s0"]["deep"] = {"a": [1, 2], "b": "x"}
    new = copy.deepcopy(old)
    expected = {}
    for i, j in zip(rng.integers(0, 4, 4), rng.integers(0, 3, 4), strict=True):
        key = f"s{i}.k{j}"
        if key in expected:
            continue
        value = int(rng.integers(5, 9))
        new[f"s{i}"][f"k{j}"] = value
        expected[key] = (old[f"s{i}"][f"k{j}"], value)
    if rng.random() < 0.5:
        new["s0"]["deep"]["a"] = [1, 3]
        expected["s0.deep.a"] = ([1, 2], [1, 3])
    new["s9"] = {"x": 1}
    expected["s9.x"] = (None, 1)
    got = fn(old, new)
    assert got == dict(sorted(expected.items())) and list(got) == sorted(got), (
        f"random edits: expected {dict(sorted(expected.items()))}, got {got}"
    )


def _schedule(months: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"month": [months[0], months[-1], months[0]],
                         "sched_dep_time": [0, 1359, 2359],
                         "late": pd.Series([0, 1, 0], dtype="int8")})  # fmt: skip


@CHECKS.exercise
def check_schedule_schema(fn: Callable[..., object]) -> None:
    """pandera checks per column (isin, in_range, a custom check for the minutes); strict mode
    refuses extra columns; the label's dtype matters
    """
    months = load_params().split.test_months
    schema = fn(months)
    schema.validate(_schedule(months))
    split = paths.PROCESSED / "test.parquet"
    if split.exists():
        schema.validate(pd.read_parquet(split, columns=["month", "sched_dep_time", "late"]))
    rng = check_rng()
    months = sorted(int(m) for m in rng.choice(np.arange(1, 13), int(rng.integers(2, 5)), False))
    outside = int(rng.choice([m for m in range(1, 13) if m not in months]))
    schema = fn(months)
    good = _schedule(months)
    good["sched_dep_time"] = [0, int(rng.integers(0, 24)) * 100 + int(rng.integers(0, 60)), 2359]
    schema.validate(good)
    bad = {
        f"month {outside}, outside the split {months}": good.assign(
            month=[months[0], outside, months[0]]
        ),
        "minutes 60": good.assign(sched_dep_time=[0, int(rng.integers(0, 23)) * 100 + 60, 5]),
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


@CHECKS.exercise
def check_dep_hour_test(fn: Callable[..., object]) -> None:
    """one case catches few bugs: think of the minutes, times before 01:00, times after 12:00, and
    compare floats with a tolerance
    """
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


@CHECKS.exercise
def check_model_uri(fn: Callable[..., object]) -> None:
    """exactly one of version and alias: test that first; MLflow writes a version after '/' and an
    alias after '@'
    """
    rng = check_rng()
    name = f"{load_params().register.model_name}-{rng.integers(100)}"
    version, alias = int(rng.integers(1, 50)), str(rng.choice(["champion", "challenger", "prod"]))
    got = fn(name, version=version)
    assert got == f"models:/{name}/{version}", f"{name!r}, version {version}: got {got!r}"
    got = fn(name, alias=alias)
    assert got == f"models:/{name}@{alias}", f"{name!r}, alias {alias!r}: got {got!r}"
    for kwargs in ({}, {"version": 1, "alias": "champion"}):
        try:
            fn(name, **kwargs)
        except ValueError:
            continue
        raise AssertionError(f"model_uri({name!r}, **{kwargs}) must raise ValueError")


@CHECKS.exercise
def check_bump_model_version(fn: Callable[..., object]) -> None:
    """work on the three numbers as ints; after bumping one, the parts to its right start again at
    0; refuse other changes
    """
    cases = {("1.4.2", "schema"): "2.0.0", ("1.4.2", "retrain"): "1.5.0",
             ("1.4.2", "metadata"): "1.4.3", ("0.9.9", "retrain"): "0.10.0"}  # fmt: skip
    for (current, change), expected in cases.items():
        got = fn(current, change)
        assert got == expected, f"bump_model_version({current!r}, {change!r}): expected " \
                                f"{expected!r}, got {got!r}"  # fmt: skip
    rng = check_rng()
    for _ in range(5):
        parts = [int(v) for v in rng.integers(0, 20, 3)]
        change = str(rng.choice(["schema", "retrain", "metadata"]))
        i = ["schema", "retrain", "metadata"].index(change)
        bumped = [*parts[:i], parts[i] + 1, *[0] * (2 - i)]
        expected = ".".join(map(str, bumped))
        got = fn(".".join(map(str, parts)), change)
        assert got == expected, (
            f"{'.'.join(map(str, parts))}, {change}: expected {expected!r}, got {got!r}"
        )
    try:
        fn("1.0.0", "rename")
    except ValueError:
        return
    raise AssertionError("an unknown change must raise ValueError")

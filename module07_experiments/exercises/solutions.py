"""Reference answers to module 07's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa


def seeded_sample(df: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` rows drawn with their own seeded generator."""
    return df.sample(n=n, random_state=seed)


def drifted_packages(recorded: dict[str, str], installed: dict[str, str]) -> list[str]:
    """Recorded packages missing here or with another major.minor version."""

    def major_minor(v: str) -> list[str]:
        return v.split(".")[:2]

    return sorted(
        name
        for name, version in recorded.items()
        if name not in installed or major_minor(installed[name]) != major_minor(version)
    )


def run_fingerprint(params: dict, data_md5: dict[str, str], commit: str) -> str:
    """SHA-256 of the canonical JSON of parameters, data hashes and commit."""
    text = json.dumps({"params": params, "data": data_md5, "commit": commit}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def best_run(runs: pd.DataFrame, metric: str, higher_is_better: bool = True) -> str:
    """The run id of the best finished run with the metric."""
    column = f"metrics.{metric}"
    if column not in runs:
        raise ValueError(f"no column {column}")
    done = runs.loc[(runs["status"] == "FINISHED") & runs[column].notna()]
    if done.empty:
        raise ValueError(f"no finished run has {column}")
    best = done[column].idxmax() if higher_is_better else done[column].idxmin()
    return str(done.loc[best, "run_id"])


def _flatten(d: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in d.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def params_diff(old: dict, new: dict) -> dict[str, tuple]:
    """Dotted keys whose values differ, with (old, new); None where a side lacks the key."""
    a, b = _flatten(old), _flatten(new)
    return {k: (a.get(k), b.get(k)) for k in sorted({*a, *b}) if a.get(k) != b.get(k)}


def schedule_schema(months: list[int]) -> pa.DataFrameSchema:
    """Three strict columns: month in months, a valid clock time, a 0/1 label."""
    return pa.DataFrameSchema(
        {
            "month": pa.Column(int, pa.Check.isin(months)),
            "sched_dep_time": pa.Column(
                int, [pa.Check.in_range(0, 2359), pa.Check(lambda s: s % 100 < 60)]
            ),
            "late": pa.Column("int8", pa.Check.isin([0, 1])),
        },
        strict=True,
    )


def dep_hour_test(dep_hour: Callable[[int], float]) -> None:
    """Cases that a wrong unit (HHMM / 100), a dropped minute or a wrong base would fail."""
    cases = {0: 0.0, 5: 5 / 60, 30: 0.5, 100: 1.0, 1330: 13.5, 2359: 23 + 59 / 60}
    for hhmm, hours in cases.items():
        got = dep_hour(hhmm)
        assert abs(got - hours) < 1e-9, f"dep_hour({hhmm}) should be {hours}, got {got}"


def model_uri(name: str, version: int | None = None, alias: str | None = None) -> str:
    """``models:/name/version`` or ``models:/name@alias``."""
    if (version is None) == (alias is None):
        raise ValueError("give exactly one of version and alias")
    return f"models:/{name}/{version}" if version is not None else f"models:/{name}@{alias}"


def bump_model_version(current: str, change: str) -> str:
    """Semantic version of a model: schema -> MAJOR, retrain -> MINOR, metadata -> PATCH."""
    parts = {"schema": 0, "retrain": 1, "metadata": 2}
    if change not in parts:
        raise ValueError(f"change must be one of {sorted(parts)}, got {change!r}")
    numbers = [int(p) for p in current.split(".")]
    if len(numbers) != 3:
        raise ValueError(f"current must be MAJOR.MINOR.PATCH, got {current!r}")
    i = parts[change]
    numbers = [*numbers[:i], numbers[i] + 1, *[0] * (2 - i)]
    return ".".join(str(n) for n in numbers)

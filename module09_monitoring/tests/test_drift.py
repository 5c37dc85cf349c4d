from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from module09_monitoring.drift import (
    calibrate_limits,
    drift_table,
    missing_envelope,
    month_envelope,
    psi,
)


def _frame(n: int, seed: int, shift: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"x": rng.normal(shift, 1, n), "c": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])}
    )


def test_psi_is_small_for_the_same_distribution_and_large_for_a_shift() -> None:
    ref, same, moved = _frame(5000, 0), _frame(5000, 1), _frame(5000, 2, shift=1.0)
    assert psi(ref["x"], same["x"], categorical=False) < 0.02
    assert psi(ref["x"], moved["x"], categorical=False) > 0.5


def test_psi_ignores_missing_values_and_is_nan_when_nothing_is_left() -> None:
    ref = _frame(2000, 0)["x"]
    with_gaps = ref.copy()
    with_gaps[:1000] = np.nan
    assert psi(ref, with_gaps, categorical=False) < 0.02
    assert np.isnan(psi(ref, pd.Series([np.nan, np.nan]), categorical=False))


def test_psi_matches_the_evidently_report() -> None:
    from module09_monitoring.report import data_drift_report

    ref, cur = _frame(3000, 0), _frame(2000, 5, shift=0.3)
    snap = data_drift_report(ref, cur, {"x": 0.1, "c": 0.1}, ["c"], drift_share=0.5)
    values = {
        m["config"]["column"]: m["value"]
        for m in json.loads(snap.json())["metrics"]
        if m["config"]["type"].endswith("ValueDrift")
    }
    assert values["x"] == pytest.approx(psi(ref["x"], cur["x"], categorical=False))
    assert values["c"] == pytest.approx(psi(ref["c"], cur["c"], categorical=True))


def test_calibrate_limits_uses_the_largest_month_times_margin_with_a_floor() -> None:
    env = pd.DataFrame({"temp": [3.0, 4.0], "dist": [0.01, 0.02]}, index=[1, 2])
    assert calibrate_limits(env, floor=0.1, margin=1.5) == {"temp": 6.0, "dist": 0.1}


def test_month_envelope_is_large_for_a_seasonal_column_only() -> None:
    rng = np.random.default_rng(0)
    months = {
        m: pd.DataFrame({"season": rng.normal(m, 1, 3000), "flat": rng.normal(0, 1, 3000)})
        for m in (1, 4, 7)
    }
    pooled = pd.concat(months.values(), ignore_index=True)
    env = month_envelope(pooled, months, categorical=[])
    assert list(env.index) == [1, 4, 7]
    assert env["season"].min() > 1.0
    assert env["flat"].max() < 0.05


def test_missing_envelope_measures_the_rise_of_the_missing_share() -> None:
    ref = pd.DataFrame({"g": [1.0, np.nan, 1.0, np.nan]})
    env = missing_envelope(ref, {1: pd.DataFrame({"g": [np.nan, np.nan]})})
    assert env.loc[1, "g"] == pytest.approx(0.5)


def test_drift_table_flags_drift_and_missing_values() -> None:
    ref, cur = _frame(3000, 0), _frame(3000, 1, shift=1.0)
    cur.loc[:999, "c"] = np.nan
    table = drift_table(ref, cur, {"x": 0.1, "c": 0.1}, ["c"], {"x": 0.05, "c": 0.05})
    assert table.loc["x", "drifted"]
    assert not table.loc["c", "drifted"]
    assert table.loc["c", "missing_flag"]
    assert table.loc["c", "missing_increase"] == pytest.approx(1 / 3)


def test_drift_table_names_the_missing_columns() -> None:
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['c'\]"):
        drift_table(_frame(10, 0), _frame(10, 0)[["x"]], {"x": 0.1, "c": 0.1}, ["c"])

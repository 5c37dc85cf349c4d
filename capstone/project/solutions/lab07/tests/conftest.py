"""Fixtures: a few hand-made flights, and the pipeline's own outputs when they exist."""

from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd
import pytest


@pytest.fixture
def flights() -> pd.DataFrame:
    """Four scheduled flights, written as the raw table has them."""
    return pd.DataFrame({
        "year": [2013] * 4, "month": [1, 1, 6, 12], "day": [1, 15, 30, 24],
        "sched_dep_time": [515, 1230, 1859, 2359], "sched_arr_time": [819, 1500, 2130, 300],
        "carrier": ["UA", "AA", "B6", "DL"], "flight": [1545, 1141, 725, 461],
        "tailnum": ["N14228", "N619AA", "N804JB", "N668DN"], "origin": ["EWR", "JFK", "JFK", "LGA"],
        "dest": ["IAH", "MIA", "BQN", "ATL"], "distance": [1400.0, 1089.0, 1576.0, 762.0],
        "arr_delay": [11.0, 33.0, None, -4.0],
    })  # fmt: skip


def _require(path: str) -> Path:
    if not Path(path).exists():
        pytest.skip(f"{path} not built: run `dvc repro` first")
    return Path(path)


@pytest.fixture(scope="session")
def model() -> object:
    """The model the pipeline trained."""
    return joblib.load(_require("models/model.joblib"))


@pytest.fixture(scope="session")
def test_table() -> pd.DataFrame:
    """The processed test month."""
    return pd.read_parquet(_require("data/processed/test.parquet"))

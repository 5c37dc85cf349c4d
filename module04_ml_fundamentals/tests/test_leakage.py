from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import LABEL, FlightFeatures, feature_names
from module04_ml_fundamentals.leakage import (
    POST_DEPARTURE_COLUMNS,
    compare_splits,
    compare_with_leak,
    load_flights_with_outcomes,
    single_feature_auc,
)


@pytest.fixture(scope="module")
def winter_features(winter_flights: pd.DataFrame, lookups: dict[str, str]) -> pd.DataFrame:
    return FlightFeatures(**lookups).fit(None).transform(winter_flights)


def test_post_departure_columns_are_not_features() -> None:
    assert not set(POST_DEPARTURE_COLUMNS) & set(feature_names(True))


def test_load_flights_with_outcomes_keeps_dep_delay(tmp_path: Path, tiny_flights) -> None:
    tiny_flights.to_parquet(tmp_path / "flights.parquet")
    flights = load_flights_with_outcomes(tmp_path, late_minutes=15)
    assert len(flights) == 37 and {"dep_delay", LABEL} <= set(flights.columns)


def test_single_feature_auc_puts_a_copy_of_the_label_first() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    X = pd.DataFrame({"noise": rng.normal(size=400), "backwards": -y + rng.normal(0, 0.1, 400),
                      "carrier": rng.choice(["UA", "AA"], 400)})  # fmt: skip
    X.loc[::5, "backwards"] = np.nan
    aucs = single_feature_auc(X, y)
    assert aucs.index.tolist() == ["backwards", "noise"]  # categories are skipped
    assert aucs["backwards"] > 0.85 and aucs["noise"] < 0.6


def test_compare_with_leak_looks_brilliant_then_fails(
    winter_flights: pd.DataFrame, winter_features: pd.DataFrame
) -> None:
    jan = (winter_flights["month"] == 1).to_numpy()
    y, delay = winter_flights[LABEL].to_numpy(), winter_flights["dep_delay"].to_numpy()
    table = compare_with_leak(winter_features[jan], y[jan], winter_features[~jan], y[~jan],
                              leak=(delay[jan], delay[~jan]))  # fmt: skip
    honest = table.loc["honest (schedule only)", "valid_roc_auc"]
    validated = table.loc["with the leak, as validated", "valid_roc_auc"]
    at_schedule = table.loc["with the leak, at the decision time", "valid_roc_auc"]
    assert validated > 0.8 and validated > honest + 0.15
    assert at_schedule < validated - 0.15
    assert table["late_share"].nunique() == 1


def test_compare_splits_trains_on_the_same_number_of_rows(
    winter_flights: pd.DataFrame, winter_features: pd.DataFrame
) -> None:
    months = winter_flights["month"].to_numpy()
    table = compare_splits(winter_features, winter_flights[LABEL].to_numpy(), months, [2])
    assert table["train_rows"].nunique() == 1
    assert table.loc[("temporal", "test months"), "test_rows"] == (months == 2).sum()
    random_rows = table.loc[("random", "all held-out rows"), "test_rows"]
    assert random_rows == len(months) - table["train_rows"].iloc[0]
    assert table["roc_auc"].between(0.4, 1).all()

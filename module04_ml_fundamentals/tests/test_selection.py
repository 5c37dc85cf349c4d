from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.metrics import roc_auc_score

from module04_ml_fundamentals.compare import boosting_on_columns
from module04_ml_fundamentals.features import LABEL, FlightFeatures
from module04_ml_fundamentals.selection import (
    compare_finalists,
    predict_ms_per_1000,
    recency_curve,
    size_kb,
    with_outage,
    worst_month,
)


@pytest.fixture(scope="module")
def halves(winter_flights: pd.DataFrame, lookups: dict[str, str]) -> dict:
    features = FlightFeatures(**lookups).fit(None).transform(winter_flights)
    jan = (winter_flights["month"] == 1).to_numpy()
    y = winter_flights[LABEL].to_numpy()
    day = winter_flights["day"].to_numpy()
    return {"train": (features[jan], y[jan]), "valid": (features[~jan], y[~jan]),
            "valid_halves": np.where(day[~jan] <= 14, 1, 2), "days": day[jan]}  # fmt: skip


def test_worst_month_finds_the_lowest_roc_auc() -> None:
    rng = np.random.default_rng(0)
    months = np.repeat([1, 2, 3], 200)
    y = rng.integers(0, 2, 600)
    proba = np.where(months == 2, rng.random(600), y * 0.5 + rng.random(600) * 0.6)
    month, auc = worst_month(y, proba, months)
    assert month == 2
    assert auc == pytest.approx(roc_auc_score(y[months == 2], proba[months == 2]))


def test_with_outage_blanks_only_the_named_columns() -> None:
    X = pd.DataFrame({"temp": [1.0, 2.0], "dep_hour": [6.0, 7.0]})
    out = with_outage(X, ["temp"])
    assert out["temp"].isna().all() and out["dep_hour"].tolist() == [6.0, 7.0]
    assert X["temp"].notna().all()


def test_predict_time_and_size_are_positive_and_grow_with_the_model(halves: dict) -> None:
    X, y = halves["train"]
    small = boosting_on_columns(max_iter=5).fit(X, y)
    large = boosting_on_columns(max_iter=60).fit(X, y)
    assert predict_ms_per_1000(small, X) > 0 and size_kb(small) < size_kb(large)


def test_compare_finalists_measures_each_model(halves: dict) -> None:
    models = {"constant": DummyClassifier(), "boosting": boosting_on_columns(max_iter=20)}
    table = compare_finalists(models, halves["train"], halves["valid"], halves["valid_halves"],
                              outage_columns=["temp", "visib"])  # fmt: skip
    assert table.index.tolist() == ["constant", "boosting"]
    assert table.loc["constant", "roc_auc"] == table.loc["constant", "roc_auc_outage"] == 0.5
    assert table.loc["constant", "calibration_gap"] == pytest.approx(
        halves["train"][1].mean() - halves["valid"][1].mean()
    )
    assert set(table["worst_month"]) <= {1, 2}
    assert (table["predict_ms_per_1000"] > 0).all() and (table["size_kb"] > 0).all()


def test_recency_curve_trains_on_the_last_k_months(halves: dict) -> None:
    weeks = np.minimum((halves["days"] - 1) // 7 + 1, 4)  # four "months": the weeks of January
    table = recency_curve(halves["train"], weeks, halves["valid"], windows=[1, 4])
    assert table.index.tolist() == [1, 4] and table["first_month"].tolist() == [4, 1]
    assert table.loc[4, "rows"] == len(weeks) and table.loc[1, "rows"] == (weeks == 4).sum()
    assert table["roc_auc"].between(0.4, 1).all()

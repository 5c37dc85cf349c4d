from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module04_ml_fundamentals.train import build_pipeline, param_grid, search


@pytest.fixture(scope="module")
def halves(winter_flights: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (winter_flights.loc[winter_flights["month"] == 1],
            winter_flights.loc[winter_flights["month"] == 2])  # fmt: skip


def test_param_grid_expands_every_combination() -> None:
    grid = param_grid({"b": [1, 2], "a": [0.1]})
    assert grid == [{"a": 0.1, "b": 1}, {"a": 0.1, "b": 2}]


@pytest.mark.parametrize("kind", ["hgb", "logreg"])
def test_build_pipeline_fits_and_predicts_probabilities(
    kind: str, halves: tuple[pd.DataFrame, pd.DataFrame], lookups: dict[str, str]
) -> None:
    train, valid = halves
    pipe = build_pipeline(kind, **lookups, max_iter=20) if kind == "hgb" else None
    pipe = pipe or build_pipeline(kind, **lookups)
    pipe.fit(train[SCHEDULE_COLUMNS], train[LABEL])
    proba = pipe.predict_proba(valid[SCHEDULE_COLUMNS])[:, 1]
    assert proba.shape == (len(valid),)
    assert ((proba > 0) & (proba < 1)).all()


def test_build_pipeline_same_seed_same_model(
    halves: tuple[pd.DataFrame, pd.DataFrame], lookups: dict[str, str]
) -> None:
    train, valid = halves
    runs = [build_pipeline("hgb", **lookups, seed=7, max_iter=30).fit(train, train[LABEL])
            .predict_proba(valid)[:, 1] for _ in range(2)]  # fmt: skip
    np.testing.assert_array_equal(runs[0], runs[1])


def test_search_keeps_the_best_validation_score(
    halves: tuple[pd.DataFrame, pd.DataFrame], lookups: dict[str, str]
) -> None:
    train, valid = halves
    result = search(train, valid, {"C": [0.001, 1.0]}, kind="logreg", **lookups)
    assert len(result.results) == 2
    best = result.results.loc[result.results["valid_roc_auc"].idxmax()]
    assert result.best_params == {"C": best["C"]}


def test_search_rejects_an_empty_grid(
    halves: tuple[pd.DataFrame, pd.DataFrame], lookups: dict[str, str]
) -> None:
    with pytest.raises(ValueError, match="search grid is empty"):
        search(*halves, {"C": []}, kind="logreg", **lookups)

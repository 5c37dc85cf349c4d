from __future__ import annotations

from pathlib import Path

import mlflow
import pandas as pd
import pytest

from labs_common.config import load_params
from labs_common.data import load_table
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS, add_label
from module07_experiments.train import SCORE_COLUMNS, fit_best, log_model, score_parts


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    """Three tiny months-based parts and the raw lookups, as the pipeline lays them out."""
    raw = tmp_path_factory.mktemp("raw")
    load_table("weather").to_parquet(raw / "weather.parquet")
    load_table("planes").to_parquet(raw / "planes.parquet")
    flights = add_label(load_table("flights").sample(6000, random_state=1), 15)
    month = flights["month"]
    parts = {"train": flights.loc[month <= 8], "valid": flights.loc[month.between(9, 10)],
             "test": flights.loc[month >= 11]}  # fmt: skip
    return parts, raw


@pytest.mark.slow
def test_fit_best_is_deterministic_and_scores_have_the_contract(small_run: tuple) -> None:
    parts, raw = small_run
    params = load_params()
    first, second = fit_best(parts, params, raw), fit_best(parts, params, raw)
    s1, s2 = score_parts(first.pipeline, parts), score_parts(second.pipeline, parts)
    pd.testing.assert_frame_equal(s1, s2)
    assert list(s1.columns) == SCORE_COLUMNS
    assert set(s1["split"]) == {"valid", "test"}
    assert len(s1) == len(parts["valid"]) + len(parts["test"])


@pytest.mark.slow
def test_log_model_round_trips_through_mlflow(small_run: tuple, mlflow_tmp: str) -> None:
    parts, raw = small_run
    result = fit_best(parts, load_params(), raw)
    example = parts["test"][SCHEDULE_COLUMNS].head(5)
    with mlflow.start_run():
        info = log_model(result.pipeline, example)
    loaded = mlflow.sklearn.load_model(info.model_uri)
    pd.testing.assert_series_equal(
        pd.Series(loaded.predict_proba(parts["test"])[:, 1]),
        pd.Series(result.pipeline.predict_proba(parts["test"])[:, 1]),
    )
    assert info.signature.inputs.input_names() == SCHEDULE_COLUMNS

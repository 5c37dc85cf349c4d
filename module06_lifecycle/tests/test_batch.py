from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from labs_common.data import load_table
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.batch import default_output, load_flights, run_batch, score_frame
from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import OUTPUT_COLUMNS, ModelInfo, Predictor


@pytest.fixture
def predictor(tiny_setup: TinySetup) -> Predictor:
    return Predictor(tiny_setup.pipe, ModelInfo("m", "3", "champion", "t", 0.2, "test"))


def test_load_flights_keeps_one_month_with_cancelled_flights() -> None:
    flights = load_table("flights")
    november = load_flights(11)
    assert len(november) == int((flights["month"] == 11).sum())
    assert november["month"].unique().tolist() == [11]
    assert november["arr_delay"].isna().any(), "cancelled flights are scheduled flights too"


@pytest.mark.parametrize("month", [0, 13])
def test_load_flights_rejects_a_month_outside_1_12(month: int) -> None:
    with pytest.raises(ValueError, match=f"month must be in 1..12, got {month}"):
        load_flights(month)


@pytest.mark.slow
def test_score_frame_appends_scores_to_schedule(
    predictor: Predictor, tiny_setup: TinySetup
) -> None:
    flights = tiny_setup.flights.head(30)
    out = score_frame(predictor, flights)
    assert list(out.columns) == SCHEDULE_COLUMNS + OUTPUT_COLUMNS
    assert len(out) == 30
    assert out["flight"].tolist() == flights["flight"].tolist()


@pytest.mark.slow
def test_run_batch_writes_parquet_and_summarises(
    predictor: Predictor, tiny_setup: TinySetup, tmp_path: Path
) -> None:
    source = tmp_path / "in.parquet"
    tiny_setup.flights.head(100).to_parquet(source)
    summary = run_batch(predictor, input_path=source, output_path=tmp_path / "out.parquet")
    written = pd.read_parquet(summary.output)
    assert summary.rows == len(written) == 100
    assert summary.flagged == int(written["delayed"].sum())
    assert (summary.model_version, summary.threshold) == ("3", 0.2)


def test_default_output_names_the_month() -> None:
    assert default_output(11).name == "batch_month=11.parquet"
    assert default_output(None).name == "batch_all.parquet"

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module06_lifecycle.fixtures import TINY_THRESHOLD, TinySetup
from module06_lifecycle.inference import (
    ServiceModel,
    batch_timings,
    fit_service_model,
    load_lesson_predictor,
    online_latencies,
    percentiles,
)
from module06_lifecycle.predictor import ModelInfo, Predictor


class _Half:
    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        return np.full((len(X), 2), 0.5)


@pytest.fixture
def predictor() -> Predictor:
    return Predictor(_Half(), ModelInfo("m", "1", None, "test", 0.5, "test"))


def test_online_latencies_times_one_call_per_flight(
    predictor: Predictor, tiny_flights: pd.DataFrame
) -> None:
    seconds = online_latencies(predictor, tiny_flights, n=5)
    assert seconds.shape == (5,) and (seconds > 0).all()
    assert len(online_latencies(predictor, tiny_flights.head(3), n=10)) == 3


def test_batch_timings_reports_throughput(predictor: Predictor, tiny_flights: pd.DataFrame) -> None:
    table = batch_timings(predictor, tiny_flights, [1, 10], repeats=1)
    assert table["size"].tolist() == [1, 10]
    assert np.allclose(table["flights_per_s"], table["size"] / table["seconds"])
    assert np.allclose(table["ms_per_flight"], 1000 * table["seconds"] / table["size"])
    with pytest.raises(ValueError, match=r"batch size must be in 1\.\.40, got 41"):
        batch_timings(predictor, tiny_flights, [41])


def test_fit_service_model_recovers_a_line_and_clips_at_zero() -> None:
    sizes = np.array([1, 10, 100, 1000])
    fitted = fit_service_model(pd.DataFrame({"size": sizes, "seconds": 0.05 + 1e-4 * sizes}))
    assert fitted.overhead_s == pytest.approx(0.05) and fitted.per_row_s == pytest.approx(1e-4)
    falling = fit_service_model(pd.DataFrame({"size": [1, 2], "seconds": [0.2, 0.1]}))
    assert falling.per_row_s == 0.0


def test_service_model_capacity_grows_with_batch_size() -> None:
    model = ServiceModel(overhead_s=0.05, per_row_s=1e-4)
    assert model(10) == pytest.approx(0.051)
    assert model.capacity(1) == pytest.approx(1 / 0.0501)
    assert model.capacity(1000) > model.capacity(10) > model.capacity(1)


def test_percentiles_in_milliseconds() -> None:
    assert percentiles(np.arange(1, 101) / 1000, qs=(50, 100)) == {"p50_ms": 50.5, "p100_ms": 100.0}


@pytest.mark.slow  # fits the tiny model on 3,000 flights (a few seconds)
def test_load_lesson_predictor_falls_back_to_the_tiny_model(
    tmp_path: Path, tiny_flights: pd.DataFrame
) -> None:
    predictor = load_lesson_predictor(tmp_path / "no_model")
    assert (predictor.info.version, predictor.threshold) == ("tiny", TINY_THRESHOLD)
    scores = predictor.predict(tiny_flights)  # the lookups' temporary files are gone by now
    assert scores["probability"].between(0, 1).all()


@pytest.mark.slow  # fits the tiny model on a sample of the given flights
def test_load_lesson_predictor_samples_the_given_flights(tiny_flights: pd.DataFrame) -> None:
    flights = pd.concat([tiny_flights] * 100, ignore_index=True)  # 4,000 rows to sample from
    predictor = load_lesson_predictor(flights=flights)
    assert predictor.info.source == "fitted in memory"
    assert set(predictor.model.classes_) == {0, 1}


@pytest.mark.slow  # the session's tiny model folder (fitted and saved once)
def test_load_lesson_predictor_loads_a_model_folder(tiny_setup: TinySetup) -> None:
    predictor = load_lesson_predictor(tiny_setup.model_dir)
    assert predictor.info.version.startswith("local-")
    assert predictor.info.source == str(tiny_setup.model_dir)

"""The service's scoring path in the fast tier: tiny pipeline, no MLflow, no server.

Validated flights become a frame, the same Predictor scores them through the
micro-batcher, every flight becomes one answer and one prediction-log row. And when the
model itself raises, what does a client get? (``create_app`` with an in-memory model.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import ModelInfo, Predictor
from module08_deployment.prediction_log import COLUMNS, TABLE
from module08_deployment.service.app import create_app
from module08_deployment.service.batcher import MicroBatcher
from module08_deployment.service.log_writer import PredictionLogWriter
from module08_deployment.service.metrics import ServiceMetrics
from module08_deployment.service.schemas import EXAMPLE_FLIGHT, Flight
from module08_deployment.service.scoring import flights_frame, log_rows, score_flights
from module08_deployment.service.settings import ServiceSettings
from module08_deployment.service.state import ServiceState


class ListStore:
    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def connect(self) -> None:
        pass

    def write(self, rows: list[tuple]) -> None:
        self.rows.extend(rows)

    def close(self) -> None:
        pass


def _flights(n: int) -> list[Flight]:
    times = [545, 1230, 1805, 2130]
    return [
        Flight.model_validate({**EXAMPLE_FLIGHT, "sched_dep_time": times[i % 4], "flight": i + 1})
        for i in range(n)
    ]


@pytest.fixture
def predictor(tiny_pipeline: tuple[object, pd.DataFrame]) -> Predictor:
    return Predictor(tiny_pipeline[0], ModelInfo("m", "3", "champion", "t", 0.2, "test"))


def test_flights_frame_has_the_schedule_columns_in_order() -> None:
    frame = flights_frame(_flights(3))
    assert list(frame.columns) == SCHEDULE_COLUMNS
    assert frame["flight"].tolist() == [1, 2, 3]
    assert frame["sched_dep_time"].tolist() == [545, 1230, 1805]


def test_score_flights_answers_and_logs_one_row_per_flight(predictor: Predictor) -> None:
    store = ListStore()
    state = ServiceState(ServiceSettings(), ServiceMetrics())
    state.batcher = MicroBatcher(lambda f: predictor.predict(f, validate=False)).start()
    state.writer = PredictionLogWriter(store, flush_seconds=0.01)
    state.writer.start()
    flights = _flights(4)
    answers = score_flights(state, predictor, flights, "req-1")
    state.batcher.stop()
    assert state.writer.stop() == 4

    expected = predictor.predict(flights_frame(flights))
    np.testing.assert_allclose([a.probability for a in answers], expected["probability"])
    assert [a.delayed for a in answers] == expected["delayed"].tolist()
    assert {(a.threshold, a.model_version) for a in answers} == {(0.2, "3")}
    assert len(store.rows) == 4 and all(len(r) == len(COLUMNS) for r in store.rows)
    rows = pd.DataFrame(store.rows, columns=COLUMNS)
    assert (rows["request_id"] == "req-1").all() and rows["prediction_id"].is_unique
    np.testing.assert_allclose(rows["probability"], expected["probability"])
    assert rows["delayed"].tolist() == expected["delayed"].astype(int).tolist()
    assert rows["flight"].tolist() == [1, 2, 3, 4]
    assert rows["time_hour"].iloc[0] == "2013-11-01T05:00:00-04:00"


def test_log_rows_follow_the_log_columns(predictor: Predictor) -> None:
    flights = _flights(2)
    scores = pd.DataFrame({"probability": [0.1, 0.9], "delayed": [False, True]})
    rows = log_rows(flights, scores, predictor, "r")
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert (record["probability"], record["delayed"], record["threshold"]) == (0.9, 1, 0.2)
    assert (record["model_name"], record["model_version"], record["carrier"]) == ("m", "3", "AA")


# --- the service when the model raises -------------------------------------------------


class BrokenModel:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        raise self.error


@pytest.fixture
def broken_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    predictor = Predictor(BrokenModel(request.param), ModelInfo("m", "1", None, "t", 0.2, "t"))
    settings = ServiceSettings(predictions_db=tmp_path / "p.db", log_flush_seconds=0.05)
    with TestClient(create_app(settings, predictor), raise_server_exceptions=False) as client:
        yield client
    with sqlite3.connect(tmp_path / "p.db") as conn:
        assert conn.execute(f"SELECT COUNT(*) FROM {TABLE}").fetchone() == (0,), "nothing logged"


@pytest.mark.parametrize("broken_client", [RuntimeError("model exploded")], indirect=True)
def test_service_answers_5xx_when_the_model_raises_and_stays_up(broken_client: TestClient) -> None:
    response = broken_client.post("/predict", json=EXAMPLE_FLIGHT)
    # 503: the service is up but cannot score (the model failed), not the client's fault.
    assert response.status_code == 503
    assert broken_client.get("/health").status_code == 200, "one bad call does not kill it"


@pytest.mark.parametrize("broken_client", [ValueError("bad shape in model")], indirect=True)
def test_service_a_model_side_value_error_is_not_blamed_on_the_client(
    broken_client: TestClient,
) -> None:
    response = broken_client.post("/predict", json=EXAMPLE_FLIGHT)
    assert response.status_code >= 500

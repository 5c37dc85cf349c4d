from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.batch import score_frame
from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import load_predictor
from module08_deployment.prediction_log import read_prediction_log
from module08_deployment.service.app import create_app
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings

pytestmark = pytest.mark.slow  # fits and registers the tiny model once per session


def test_health_is_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_names_the_model_version(client: TestClient, tiny_setup: TinySetup) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "model_version": tiny_setup.version}


def test_model_describes_name_version_threshold_and_data(
    client: TestClient, tiny_setup: TinySetup
) -> None:
    body = client.get("/model").json()
    assert (body["name"], body["version"], body["alias"]) == (
        tiny_setup.name,
        tiny_setup.version,
        "champion",
    )
    assert body["threshold"] == 0.2
    assert body["training_data_md5"] == "0" * 32


def test_predict_answers_one_flight(client: TestClient, tiny_setup: TinySetup) -> None:
    response = client.post("/predict", json=EXAMPLE_FLIGHT, headers={"X-Request-ID": "abc-1"})
    assert response.status_code == 200
    body = response.json()
    assert 0 <= body["probability"] <= 1
    assert body["delayed"] == (body["probability"] >= 0.2)
    assert (body["model_version"], body["request_id"]) == (tiny_setup.version, "abc-1")
    assert response.headers["X-Request-ID"] == "abc-1"


def test_predict_gives_the_batch_scoring_answer(
    client: TestClient, tiny_registry: TinySetup
) -> None:
    flights = tiny_registry.flights.head(5)
    batch = score_frame(load_predictor(f"models:/{tiny_registry.name}"), flights)
    payload = {
        "flights": [_as_request(row) for row in flights[SCHEDULE_COLUMNS].to_dict("records")]
    }
    online = client.post("/predict/batch", json=payload).json()["predictions"]
    assert [p["probability"] for p in online] == pytest.approx(batch["probability"].tolist())
    assert [p["delayed"] for p in online] == batch["delayed"].tolist()


def _as_request(row: dict) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def test_predict_batch_answers_in_order(client: TestClient) -> None:
    late = dict(EXAMPLE_FLIGHT, sched_dep_time=2100, sched_arr_time=2359)
    response = client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT, late]})
    assert response.status_code == 200
    body = response.json()
    single = client.post("/predict", json=late).json()["probability"]
    assert len(body["predictions"]) == 2
    assert body["predictions"][1]["probability"] == pytest.approx(single)


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        ({"origin": "BOS"}, ["body", "origin"], "Input should be 'EWR', 'JFK' or 'LGA'"),
        ({"carrier": "ZZ"}, ["body", "carrier"], "Input should be '9E', 'AA'"),
        ({"month": 13}, ["body", "month"], "less than or equal to 12"),
        ({"sched_dep_time": 1275}, ["body", "sched_dep_time"], "minutes below 60, got 1275"),
        ({"month": 2, "day": 30}, ["body"], "day 30 does not exist in 2013-02"),
        ({"dest": "miami"}, ["body", "dest"], "should match pattern"),
        ({"year": 2014}, ["body", "year"], "less than or equal to 2013"),
        ({"distance": "far"}, ["body", "distance"], "valid integer"),
        ({"dep_delay": 3}, ["body", "dep_delay"], "Extra inputs are not permitted"),
    ],
    ids=["origin", "carrier", "month", "minutes", "no-such-date", "dest", "year", "type", "leak"],
)
def test_predict_rejects_bad_fields_with_422_naming_them(
    client: TestClient, change: dict, loc: list, message: str
) -> None:
    response = client.post("/predict", json={**EXAMPLE_FLIGHT, **change})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == loc
    assert message in error["msg"]


def test_predict_rejects_a_missing_field(client: TestClient) -> None:
    flight = {k: v for k, v in EXAMPLE_FLIGHT.items() if k != "carrier"}
    response = client.post("/predict", json=flight)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "carrier"]


def test_predict_rejects_a_body_that_is_not_json(client: TestClient) -> None:
    response = client.post(
        "/predict", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_predict_rejects_a_bad_request_id(client: TestClient) -> None:
    response = client.post("/predict", json=EXAMPLE_FLIGHT, headers={"X-Request-ID": "a b;c"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "x-request-id"]


@pytest.mark.parametrize(("n", "message"), [(0, "at least 1 item"), (1001, "at most 1000 items")])
def test_predict_batch_bounds_the_list(client: TestClient, n: int, message: str) -> None:
    response = client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * n})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "flights"]
    assert message in response.json()["detail"][0]["msg"]


def test_predict_batch_applies_the_configured_limit(settings: ServiceSettings) -> None:
    small = settings.model_copy(update={"max_batch": 2})
    with TestClient(create_app(small)) as client:
        response = client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * 3})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "flights: at most 2 per request (LABS_MAX_BATCH), got 3; split the batch"
    )


def test_body_larger_than_the_limit_gets_413(client: TestClient) -> None:
    response = client.post(
        "/predict", content=b" " * 1_000_001, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "request body of 1000001 bytes is larger than the limit of 1000000 bytes"
    )


def test_streamed_body_larger_than_the_limit_gets_413(client: TestClient) -> None:
    chunks = (b" " * 100_000 for _ in range(11))  # no Content-Length: chunked
    response = client.post("/predict", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "larger than the limit of 1000000 bytes" in response.json()["detail"]


def test_streamed_body_within_the_limit_is_served(client: TestClient) -> None:
    import json

    body = json.dumps(EXAMPLE_FLIGHT).encode()
    chunks = (body[i : i + 50] for i in range(0, len(body), 50))
    response = client.post("/predict", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 200


def test_api_key_guards_predict_routes_when_set(settings: ServiceSettings) -> None:
    keyed = settings.model_copy(update={"api_key": "s3cret"})  # validated as SecretStr below
    keyed = ServiceSettings.model_validate({**keyed.model_dump(), "api_key": "s3cret"})
    with TestClient(create_app(keyed)) as client:
        missing = client.post("/predict", json=EXAMPLE_FLIGHT)
        wrong = client.post("/predict", json=EXAMPLE_FLIGHT, headers={"X-API-Key": "nope"})
        right = client.post("/predict", json=EXAMPLE_FLIGHT, headers={"X-API-Key": "s3cret"})
        health = client.get("/health")
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing.json()["detail"] == "missing or wrong API key: send it in the X-API-Key header"
    assert health.status_code == 200, "health and readiness stay open for the orchestrator"


def test_no_champion_means_not_ready_with_the_reason(settings: ServiceSettings) -> None:
    nope = settings.model_copy(update={"model_uri": "models:/tiny-flight-delay@nope"})
    with TestClient(create_app(nope)) as client:
        ready, model = client.get("/ready"), client.get("/model")
        predict = client.post("/predict", json=EXAMPLE_FLIGHT)
        health = client.get("/health")
    assert (ready.status_code, model.status_code, predict.status_code) == (503, 503, 503)
    assert ready.json()["detail"].startswith(
        "not ready: no version of model 'tiny-flight-delay' has alias 'nope'"
    )
    assert health.status_code == 200


def test_unwritable_log_means_not_ready(
    settings: ServiceSettings, tmp_path: Path, refusal: Callable[[FastAPI], str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    broken = settings.model_copy(update={"predictions_db": blocker / "p.db"})
    assert "the prediction log is not being written" in refusal(create_app(broken))


def test_model_folder_serves_with_the_reported_threshold(
    settings: ServiceSettings, tiny_setup: TinySetup
) -> None:
    local = settings.model_copy(update={"model_uri": str(tiny_setup.model_dir), "threshold": 0.5})
    with TestClient(create_app(local)) as client:
        body = client.get("/model").json()
        answer = client.post("/predict", json=EXAMPLE_FLIGHT).json()
    assert body["version"].startswith("local-") and body["alias"] is None
    assert (body["threshold"], body["threshold_rule"]) == (0.5, "explicit")
    assert answer["delayed"] == (answer["probability"] >= 0.5)


def test_every_prediction_is_logged_by_shutdown(settings: ServiceSettings) -> None:
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            client.post("/predict", json=EXAMPLE_FLIGHT, headers={"X-Request-ID": "one"})
        client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * 4})
        client.post("/predict", json={**EXAMPLE_FLIGHT, "origin": "BOS"})  # 422: not logged
    log = read_prediction_log(settings.predictions_db)
    assert len(log) == 7
    assert (log["request_id"] == "one").sum() == 3
    assert log["prediction_id"].is_unique
    assert log[SCHEDULE_COLUMNS].iloc[0].to_dict() == {
        k: EXAMPLE_FLIGHT[k] for k in SCHEDULE_COLUMNS
    }
    assert log["time_hour"].iloc[0] == "2013-11-01T05:00:00-04:00"


def test_metrics_count_routes_statuses_scores_and_version(client: TestClient) -> None:
    client.post("/predict", json=EXAMPLE_FLIGHT)
    client.post("/predict", json={**EXAMPLE_FLIGHT, "month": 13})
    client.get("/nowhere")
    text = client.get("/metrics").text
    assert 'labs_http_requests_total{method="POST",route="/predict",status="200"} 1.0' in text
    assert 'labs_http_requests_total{method="POST",route="/predict",status="422"} 1.0' in text
    assert 'labs_http_requests_total{method="GET",route="unmatched",status="404"} 1.0' in text
    assert (
        'labs_http_request_duration_seconds_bucket{le="0.5",method="POST",route="/predict"' in text
    )
    assert "labs_prediction_score_count 1.0" in text
    assert "labs_model_call_rows_count 1.0" in text  # the 422 never reached the model
    assert 'labs_model_version{alias="champion",name="tiny-flight-delay"} 1.0' in text


def test_openapi_documents_routes_and_a_working_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/health", "/ready", "/model", "/predict", "/predict/batch", "/metrics"} <= set(
        schema["paths"]
    )
    example = schema["components"]["schemas"]["Flight"]["examples"][0]
    assert client.post("/predict", json=example).status_code == 200
    batch = schema["components"]["schemas"]["FlightBatch"]["examples"][0]
    assert client.post("/predict/batch", json=batch).status_code == 200


def test_predictions_go_to_postgres_when_a_dsn_is_set(
    settings: ServiceSettings, postgres_dsn: str
) -> None:
    before = len(read_prediction_log(postgres_dsn)) if _has_log(postgres_dsn) else 0
    pg = ServiceSettings.model_validate({**settings.model_dump(), "predictions_dsn": postgres_dsn})
    with TestClient(create_app(pg)) as client:
        assert client.get("/ready").status_code == 200
        client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * 5})
    assert len(read_prediction_log(postgres_dsn)) == before + 5


def _has_log(dsn: str) -> bool:
    try:
        read_prediction_log(dsn)
    except Exception:  # noqa: BLE001 - no server table yet
        return False
    return True

"""Hostile requests and broken dependencies: a clear 4xx or 503, never a 500, and the server lives.

The request bodies are sent as raw text, as an attacker would: Python's JSON parser takes
``NaN``, ``Infinity`` and ``1e309`` and unpaired surrogates, which no JSON answer can carry.
"""

from __future__ import annotations

import json
import math
import pickle
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from module06_lifecycle.predictor import ModelInfo, Predictor
from module06_lifecycle.tests.test_model_files import TouchOnLoad, write_mlmodel
from module08_deployment.service.app import create_app
from module08_deployment.service.errors import NON_FINITE_HINT
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings

KEY = "s3cret"
GOOD = json.dumps(EXAMPLE_FLIGHT)
NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e309", "-1e999"]


def with_value(field: str, token: str) -> str:
    """The example flight as JSON text with ``field`` set to the raw ``token``."""
    return GOOD.replace(json.dumps({field: EXAMPLE_FLIGHT[field]})[1:-1], f'"{field}": {token}')


def post_text(client: TestClient, text: str, path: str = "/predict", key: str = KEY):
    headers = {"content-type": "application/json", "X-API-Key": key}
    return client.post(path, content=text.encode("utf-8", "surrogatepass"), headers=headers)


@pytest.fixture
def keyed(settings: ServiceSettings) -> ServiceSettings:
    return ServiceSettings.model_validate({**settings.model_dump(), "api_key": KEY})


@pytest.fixture
def hostile_client(keyed: ServiceSettings):
    with TestClient(create_app(keyed), raise_server_exceptions=False) as client:
        yield client


CASES = {
    **{f"{token} in a number": (with_value("distance", token), "distance") for token in NON_FINITE},
    "NaN in a text field": (with_value("dest", "NaN"), "dest"),
    "Infinity in an extra field": (GOOD[:-1] + ', "x": Infinity}', "x"),
    "lone surrogate in a value": (with_value("dest", '"\\ud800"'), "dest"),
    "lone surrogate in a key": (GOOD[:-1] + ', "\\udfff": 1}', None),
    "lone surrogate in the time": (with_value("time_hour", '"2013\\ud800"'), "time_hour"),
}


@pytest.mark.parametrize(("text", "field"), CASES.values(), ids=CASES.keys())
def test_bad_numbers_and_surrogates_get_a_422_naming_the_field(
    hostile_client: TestClient, text: str, field: str | None
) -> None:
    response = post_text(hostile_client, text)
    assert response.status_code == 422, response.text
    problem = response.json()["detail"][0]
    if field is not None:
        assert problem["loc"][-1] == field
    if "Infinity" in text or "NaN" in text or "e309" in text or "e999" in text:
        assert NON_FINITE_HINT in problem["msg"]
    assert hostile_client.get("/ready").status_code == 200


def test_a_non_finite_number_deep_in_a_batch_is_named(hostile_client: TestClient) -> None:
    text = '{"flights": [' + GOOD + ", " + with_value("month", "NaN") + "]}"
    response = post_text(hostile_client, text, "/predict/batch")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "flights", 1, "month"]


@pytest.mark.parametrize("key", ["k\u00e9y", "\u00ff" * 40, "s3cret\u00e9"], ids=str)
def test_a_non_ascii_api_key_gets_401(hostile_client: TestClient, key: str) -> None:
    response = hostile_client.post(
        "/predict", json=EXAMPLE_FLIGHT, headers={"X-API-Key": key.encode("utf-8")}
    )
    assert response.status_code == 401
    assert response.json()["detail"].startswith("missing or wrong API key")


#: All of Unicode, lone surrogates included (hypothesis leaves category Cs out by default).
ANY_TEXT = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=8)
# Any JSON value Python's parser can produce, non-finite floats and all of Unicode included.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from([*EXAMPLE_FLIGHT, "extra"]) | ANY_TEXT, value=json_values)
def test_any_value_in_any_field_gets_an_answer_not_a_500(
    hostile_client: TestClient, field: str, value: object
) -> None:
    body = {**EXAMPLE_FLIGHT, field: value}
    # ensure_ascii writes lone surrogates as \\udxxx escapes; allow_nan writes NaN/Infinity.
    response = post_text(hostile_client, json.dumps(body, ensure_ascii=True, allow_nan=True))
    assert response.status_code in (200, 422), response.text
    json.loads(response.text)  # the answer itself is valid JSON


def test_docs_load_their_assets_from_the_app_not_a_cdn(hostile_client: TestClient) -> None:
    page = hostile_client.get("/docs").text
    assert "cdn" not in page.lower()
    scripts = [part.split('"')[0] for part in page.split('src="')[1:]]
    assert scripts and all(s.startswith("/") for s in scripts), scripts
    for asset in scripts + [p.split('"')[0] for p in page.split('href="')[1:]]:
        assert hostile_client.get(asset).status_code == 200, asset
    assert "SwaggerUIBundle" in hostile_client.get(scripts[0]).text


def wait_for(check: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_a_locked_log_database_makes_the_service_unready_until_released(
    settings: ServiceSettings,
) -> None:
    quick = settings.model_copy(update={"log_stall_seconds": 0.3})
    with TestClient(create_app(quick)) as client:
        assert client.get("/ready").status_code == 200
        locker = sqlite3.connect(quick.predictions_db, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            assert wait_for(lambda: client.get("/ready").status_code == 503)
            detail = client.get("/ready").json()["detail"]
            assert "the prediction log's store has not answered for" in detail
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert wait_for(lambda: client.get("/ready").status_code == 200)


def test_a_model_that_cannot_score_is_not_ready(
    settings: ServiceSettings, refusal: Callable[[FastAPI], str]
) -> None:
    unfitted = Predictor(LogisticRegression(), ModelInfo("m", "1", None, "test", 0.5, "test"))
    reason = refusal(create_app(settings, predictor=unfitted))
    assert "the model cannot score the example flight" in reason


def test_a_pickled_model_folder_is_refused_and_runs_nothing(
    settings: ServiceSettings, tmp_path: Path
) -> None:
    folder, marker = tmp_path / "evil", tmp_path / "ran-on-load"
    write_mlmodel(folder, "pickle", "model.pkl")
    (folder / "model.pkl").write_bytes(pickle.dumps(TouchOnLoad(marker)))
    evil = settings.model_copy(update={"model_uri": str(folder)})
    with TestClient(create_app(evil)) as client:
        ready = client.get("/ready")
    assert ready.status_code == 503
    assert "serialization_format is 'pickle'; only 'skops' is loaded" in ready.json()["detail"]
    assert not marker.exists()


def test_error_bodies_stay_json_for_every_float() -> None:
    from module08_deployment.service.errors import json_safe

    safe = json_safe({"a": [math.nan, math.inf, -math.inf, 1.5], "\ud800": "x\udfff"})
    assert json.loads(json.dumps(safe, allow_nan=False, ensure_ascii=False).encode()) == {
        "a": ["NaN", "Infinity", "-Infinity", 1.5],
        "\\ud800": "x\\udfff",
    }

"""The API says when its alert is meant to be sent, in the words the model card uses."""

from __future__ import annotations

from fastapi.testclient import TestClient

from labs_common.config import load_params
from module04_ml_fundamentals.features import decision_time
from module08_deployment.service.app import create_app, describe


def test_the_api_description_states_the_decision_time() -> None:
    params = load_params()
    text = describe(params)
    assert decision_time(params.features.decision_hours) in text
    assert f"more than {params.features.late_minutes} minutes late" in text


def test_openapi_carries_the_description(monkeypatch) -> None:
    monkeypatch.setenv("LABS_MODEL_URI", "/nonexistent/model")
    app = create_app()
    schema = TestClient(app).get("/openapi.json").json()
    assert "the decision time" in schema["info"]["description"]

from __future__ import annotations

import pytest
from prometheus_client import generate_latest

from module08_deployment.service.metrics import ServiceMetrics


@pytest.mark.parametrize(("version", "value"), [("7", 7.0), ("local-m-1", 0.0), (None, -1.0)])
def test_set_model_publishes_the_version_as_a_number(version: str | None, value: float) -> None:
    metrics = ServiceMetrics()
    metrics.set_model("flight-delay", "champion", version)
    assert metrics.model_version.labels("flight-delay", "champion")._value.get() == value


def test_observe_scores_fills_the_histogram_and_decisions() -> None:
    metrics = ServiceMetrics()
    metrics.observe_scores([0.1, 0.3, 0.9], [False, True, True])
    text = generate_latest(metrics.registry).decode()
    assert 'labs_prediction_score_bucket{le="0.1"} 1.0' in text
    assert "labs_prediction_score_count 3.0" in text
    assert 'labs_predictions_total{delayed="true"} 2.0' in text
    assert 'labs_predictions_total{delayed="false"} 1.0' in text


def test_two_apps_have_separate_registries() -> None:
    a, b = ServiceMetrics(), ServiceMetrics()
    a.observe_request("GET", "/health", 200, 0.01)
    assert 'route="/health"' in generate_latest(a.registry).decode()
    assert 'route="/health"' not in generate_latest(b.registry).decode()

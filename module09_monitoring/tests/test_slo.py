from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from prometheus_client import generate_latest

from module08_deployment.service.metrics import LATENCY_BUCKETS, ServiceMetrics
from module09_monitoring import slo
from module09_monitoring.service import load_rules


def _scrape(version: str | None = "3", errors: int = 0) -> pd.DataFrame:
    metrics = ServiceMetrics()
    metrics.set_model("flight-delay", "champion", version)
    for seconds in (0.02, 0.04, 0.08, 0.3, 0.7):
        metrics.observe_request("POST", "/predict", 200, seconds)
    for _ in range(errors):
        metrics.observe_request("POST", "/predict", 503, 0.001)
    metrics.observe_request("POST", "/predict", 422, 0.001)
    metrics.observe_request("GET", "/health", 200, 0.001)
    metrics.observe_scores([0.1, 0.3, 0.5], [False, True, True])
    return slo.parse_metrics(generate_latest(metrics.registry).decode())


def test_parse_metrics_gives_one_row_per_sample_with_labels_as_columns() -> None:
    samples = _scrape()
    ok = samples.loc[
        (samples["sample"] == "labs_http_requests_total") & (samples["status"] == "200")
    ]
    assert ok.set_index("route")["value"].to_dict() == {"/predict": 5.0, "/health": 1.0}
    assert {"family", "sample", "value", "le", "delayed"} <= set(samples.columns)


def test_counter_sum_matches_labels_as_regular_expressions() -> None:
    samples = _scrape(errors=2)
    assert slo.counter_sum(samples, "labs_http_requests_total") == 9  # 5 + 2 + 422 + health
    assert slo.counter_sum(samples, "labs_http_requests_total", status="5..") == 2
    assert slo.counter_sum(samples, "labs_http_requests_total", nolabel="x") == 0


def test_histogram_buckets_are_cumulative_and_end_with_the_total() -> None:
    buckets = slo.histogram_buckets(
        _scrape(), "labs_http_request_duration_seconds", route="/predict", status="200"
    )
    assert list(buckets) == [*LATENCY_BUCKETS, math.inf]
    assert buckets[0.05] == 2 and buckets[0.5] == 4 and buckets[math.inf] == 5


@pytest.mark.parametrize(
    ("q", "expected"),
    [(0.5, 0.1), (0.25, 0.05), (0.75, 0.3), (0.99, 0.5)],
    ids=["bound", "first-bucket", "inside", "inf-bucket"],
)
def test_histogram_quantile_interpolates_like_prometheus(q: float, expected: float) -> None:
    buckets = {0.1: 50.0, 0.5: 90.0, math.inf: 100.0}
    # 0.75: rank 75 is 25 of the 40 in (0.1, 0.5]: 0.1 + 0.4 * 25 / 40 = 0.35
    expected = 0.35 if q == 0.75 else expected
    assert slo.histogram_quantile(q, buckets) == pytest.approx(expected)


def test_histogram_quantile_is_close_to_the_true_quantile_on_fine_buckets() -> None:
    values = np.random.default_rng(0).lognormal(np.log(0.05), 0.5, 20_000)
    bounds = [*np.round(np.arange(0.005, 1.0, 0.005), 3), math.inf]
    buckets = {b: float((values <= b).sum()) for b in bounds}
    assert slo.histogram_quantile(0.95, buckets) == pytest.approx(
        np.quantile(values, 0.95), abs=0.005
    )
    assert math.isnan(slo.histogram_quantile(0.95, {0.1: 0.0, math.inf: 0.0}))


def test_availability_counts_only_5xx_on_the_routes_asked() -> None:
    numbers = slo.availability(_scrape(errors=2))
    assert numbers == {"requests": 8.0, "failed": 2.0, "availability": pytest.approx(0.75)}
    assert math.isnan(slo.availability(_scrape(), route="/nothing")["availability"])


def test_alert_values_show_which_conditions_a_broken_service_meets() -> None:
    healthy = slo.alert_values(_scrape())
    assert healthy.loc["LabsHighErrorRate", "fires"] is False
    # six /predict requests; rank 5.7 falls 70% into the (0.5, 1.0] bucket
    assert healthy.loc["LabsHighPredictLatency", "value"] == pytest.approx(0.85)
    assert healthy.loc["LabsScoreDrift", "value"] == pytest.approx(0.3)
    broken = slo.alert_values(_scrape(version=None, errors=9))
    assert broken.loc["LabsNoModelLoaded", "fires"] is True
    assert broken.loc["LabsHighErrorRate", "fires"] is True
    assert broken.loc["LabsFlagRateShift", "fires"] == "needs two windows"


def test_alert_limits_are_the_numbers_of_the_rules_file() -> None:
    rules = {r["alert"]: " ".join(r["expr"].split()) for r in load_rules()}
    assert set(slo.ALERT_LIMITS) == set(rules)
    for name, limit in slo.ALERT_LIMITS.items():
        text = f"{limit:.2f}" if name == "LabsFlagRateShift" else str(limit)
        assert f"> {text}" in rules[name] or f"< {text}" in rules[name], (name, rules[name])


def test_flight_payloads_turn_missing_values_into_none() -> None:
    from module04_ml_fundamentals.features import SCHEDULE_COLUMNS

    row = dict.fromkeys(SCHEDULE_COLUMNS, 1) | {"tailnum": pd.NA, "carrier": "UA"}
    payload = slo.flight_payloads(pd.DataFrame([row, row]))
    assert len(payload) == 2 and payload[0]["tailnum"] is None and payload[0]["carrier"] == "UA"
    assert list(payload[0]) == SCHEDULE_COLUMNS


def test_send_traffic_sends_singles_then_batches() -> None:
    class Client:
        def __init__(self) -> None:
            self.calls: list[tuple[str, int]] = []

        def post(self, route: str, json: dict) -> object:
            self.calls.append((route, len(json.get("flights", [json]))))
            return type("Response", (), {"status_code": 200})()

    client = Client()
    sent = slo.send_traffic(client, [{"i": i} for i in range(12)], singles=2, batch=4)
    assert client.calls == [("/predict", 1)] * 2 + [("/predict/batch", 4)] * 2 + [
        ("/predict/batch", 2)
    ]
    assert sent["flights"].sum() == 12 and (sent["status"] == 200).all()
    assert (sent["seconds"] >= 0).all()

"""Prometheus metrics of the service: traffic, latency, scores, model version, prediction log.

Why it matters: "is it up?" is not monitoring. Request rates and latency percentiles by
route and status show load and errors; the histogram of scores shows the model's output
drifting before any label arrives; the version gauge says which model answered. Each app
gets its own registry, so two apps in one process (tests) never collide.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)
SCORE_BUCKETS = tuple(round(b / 20, 2) for b in range(1, 21))  # 0.05, 0.10, ..., 1.0


class ServiceMetrics:
    """The collectors of one app, in their own :class:`CollectorRegistry`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "labs_http_requests", "HTTP requests", labels, registry=self.registry
        )
        self.latency = Histogram(
            "labs_http_request_duration_seconds",
            "Time from request to response",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.scores = Histogram(
            "labs_prediction_score",
            "Predicted probability of a late arrival",
            buckets=SCORE_BUCKETS,
            registry=self.registry,
        )
        self.predictions = Counter(
            "labs_predictions", "Flights scored", ["delayed"], registry=self.registry
        )
        self.model_version = Gauge(
            "labs_model_version",
            "Registry version of the loaded model (0: a local folder; -1: none loaded)",
            ["name", "alias"],
            registry=self.registry,
        )
        self.log_rows = Counter(
            "labs_prediction_log_rows",
            "Prediction-log rows by outcome (failed rows are retried)",
            ["outcome"],
            registry=self.registry,
        )
        self.model_call_rows = Histogram(
            "labs_model_call_rows",
            "Flights scored per model call (above 1: requests shared a call, micro-batching)",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.log_backlog = Gauge(
            "labs_prediction_log_backlog_rows", "Rows waiting to be written", registry=self.registry
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one request and its latency."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)

    def observe_scores(self, probabilities: list[float], delayed: list[bool]) -> None:
        """Add a request's scores to the score histogram and decision counters."""
        for p in probabilities:
            self.scores.observe(p)
        flagged = sum(delayed)
        self.predictions.labels("true").inc(flagged)
        self.predictions.labels("false").inc(len(delayed) - flagged)

    def set_model(self, name: str, alias: str | None, version: str | None) -> None:
        """Publish the loaded model's version as a number (see the gauge's help)."""
        value = -1.0 if version is None else float(version) if version.isdigit() else 0.0
        self.model_version.labels(name, alias or "none").set(value)

    def observe_log(self, written: int, failed: int) -> None:
        """Called by the prediction-log writer after each write attempt."""
        if written:
            self.log_rows.labels("written").inc(written)
        if failed:
            self.log_rows.labels("failed").inc(failed)

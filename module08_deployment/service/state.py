"""What the app holds while it runs: settings, metrics, the predictor and the log writer.

Why it matters: everything a request needs is created once, in the app's ``lifespan``,
and reached through ``request.app.state``; nothing is loaded at import time, so tests can
build as many apps as they like, each with its own settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from module06_lifecycle.predictor import Predictor
from module08_deployment.service.batcher import MicroBatcher
from module08_deployment.service.log_writer import PredictionLogWriter
from module08_deployment.service.metrics import ServiceMetrics
from module08_deployment.service.settings import ServiceSettings


@dataclass
class ServiceState:
    """The running service's parts; ``not_ready`` says why it cannot predict (or None)."""

    settings: ServiceSettings
    metrics: ServiceMetrics
    predictor: Predictor | None = None
    writer: PredictionLogWriter | None = None
    batcher: MicroBatcher | None = None
    loaded_at: datetime | None = None
    model_error: str | None = "starting"

    @property
    def not_ready(self) -> str | None:
        """The reason the service cannot answer predictions, or None when it can."""
        if self.predictor is None:
            return self.model_error or "no model loaded"
        if self.batcher is None or not self.batcher.alive:
            return "the model's micro-batcher is not running"
        if self.writer is None:
            return "the prediction log is not being written (not started)"
        return self.writer.problem

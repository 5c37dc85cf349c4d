"""Build the FastAPI app: lifespan (load the model, start the log writer), routers, middleware.

Why it matters: everything heavy happens once, in ``lifespan``, before the first request:
the model is loaded from the registry alias (or a folder), the prediction-log writer
starts, and on shutdown (SIGTERM included) the writer flushes every queued row before the
process exits. If the model cannot be loaded the service still starts, says why on
``/ready`` (503), and never answers a prediction it cannot make.

Run: ``uvicorn module08_deployment.service.app:create_app --factory`` or
``python -m module08_deployment.service``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from threadpoolctl import threadpool_limits

from module06_lifecycle.predictor import Predictor, load_predictor
from module08_deployment.prediction_log import open_store
from module08_deployment.service.batcher import MicroBatcher
from module08_deployment.service.log_writer import PredictionLogWriter
from module08_deployment.service.metrics import ServiceMetrics
from module08_deployment.service.middleware import BodySizeLimitMiddleware, MetricsMiddleware
from module08_deployment.service.routers import health, metrics, model, predict
from module08_deployment.service.settings import ServiceSettings, get_service_settings
from module08_deployment.service.state import ServiceState

log = logging.getLogger(__name__)

DESCRIPTION = """Predict, at scheduling time, whether a flight from New York (2013) arrives
more than 15 minutes late. The decision uses the threshold registered with the model
version (see `/model`). Every prediction is logged for monitoring."""


def load_model(state: ServiceState, predictor: Predictor | None = None) -> None:
    """Load the predictor named by the settings into ``state``; keep the reason on failure."""
    s = state.settings
    try:
        state.predictor = predictor or load_predictor(
            s.model_uri or None, alias=s.model_alias, threshold=s.threshold
        )
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said on /ready
        log.error("No model loaded: %s", exc)
        state.model_error = str(exc)
        state.metrics.set_model("none", s.model_alias, None)
        return
    info = state.predictor.info
    state.loaded_at, state.model_error = datetime.now(UTC), None
    state.metrics.set_model(info.name, info.alias, info.version)


def start_batcher(state: ServiceState) -> None:
    """Start the micro-batcher that feeds the loaded predictor (nothing without a model)."""
    if (predictor := state.predictor) is not None:
        state.batcher = MicroBatcher(
            lambda frame: predictor.predict(frame, validate=False),
            state.settings.micro_batch_rows,
            state.metrics.model_call_rows.observe,
        ).start()


def start_writer(state: ServiceState) -> None:
    """Start the prediction-log writer; a store that cannot open leaves the service unready."""
    s = state.settings
    writer = PredictionLogWriter(
        open_store(s.log_target), s.log_batch_rows, s.log_flush_seconds, state.metrics.observe_log
    )
    state.writer = writer
    try:
        writer.start()
    except RuntimeError as exc:
        log.error("%s", exc)


def create_app(
    settings: ServiceSettings | None = None, predictor: Predictor | None = None
) -> FastAPI:
    """Return a new app. ``predictor`` skips loading (tests pass an in-memory one)."""
    settings = settings or get_service_settings()
    service_metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = ServiceState(settings, service_metrics)
        app.state.service = state
        threads = threadpool_limits(settings.model_threads)
        load_model(state, predictor)
        start_batcher(state)
        start_writer(state)
        yield
        if state.batcher:
            state.batcher.stop()  # answers the requests already queued
        written = state.writer.stop() if state.writer else 0
        log.info("Prediction log flushed: %s rows written by this process", written)
        threads.restore_original_limits()

    app = FastAPI(
        title="Flight delay predictor", version="1.0", description=DESCRIPTION, lifespan=lifespan
    )
    for router in (health.router, model.router, predict.router, metrics.router):
        app.include_router(router)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=service_metrics)  # outermost: counts 413s
    return app

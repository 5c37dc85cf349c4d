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

import pandas as pd
from fastapi import FastAPI
from threadpoolctl import threadpool_limits

from labs_common.config import Params, load_params
from module04_ml_fundamentals.features import decision_time
from module06_lifecycle.predictor import Predictor, load_predictor
from module08_deployment.prediction_log import open_store
from module08_deployment.service.batcher import MicroBatcher
from module08_deployment.service.errors import install_error_handlers
from module08_deployment.service.log_writer import PredictionLogWriter
from module08_deployment.service.metrics import ServiceMetrics
from module08_deployment.service.middleware import BodySizeLimitMiddleware, MetricsMiddleware
from module08_deployment.service.routers import health, metrics, model, predict
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings, get_service_settings
from module08_deployment.service.state import ServiceState

log = logging.getLogger(__name__)


def describe(params: Params) -> str:
    """The API's description: what it predicts, and when the alert is meant to be sent."""
    return (
        f"Predict, {decision_time(params.features.decision_hours)} (the decision time), "
        "whether a flight from New York (2013) arrives more than "
        f"{params.features.late_minutes} minutes late. The features use only what is known "
        "then (the schedule, the plane, the weather observed so far). The decision uses the "
        "threshold registered with the model version (see `/model`). Every prediction is "
        "logged for monitoring."
    )


def check_canary(predictor: Predictor) -> None:
    """Score the example flight through the whole contract; raise unless it gives a probability.

    Why it matters: a model that loads is not a model that scores (a missing lookup file,
    a feature it was not trained with). Readiness means "can answer", so it is proven once,
    before any traffic, on a flight whose answer must be a probability.
    """
    canary = pd.DataFrame([EXAMPLE_FLIGHT])
    try:
        proba = predictor.predict(canary)["probability"].to_numpy()
    except Exception as exc:  # any failure means "cannot score"
        raise RuntimeError(f"the model cannot score the example flight: {exc}") from exc
    if proba.shape != (1,) or not (0.0 <= float(proba[0]) <= 1.0):
        raise RuntimeError(f"the model scored the example flight {proba!r}, not a probability")


def load_model(state: ServiceState, predictor: Predictor | None = None) -> None:
    """Load the predictor named by the settings into ``state``; keep the reason on failure."""
    s = state.settings
    try:
        loaded = predictor or load_predictor(
            s.model_uri or None, alias=s.model_alias, threshold=s.threshold
        )
        check_canary(loaded)
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", said on /ready
        log.error("No model loaded: %s", exc)
        state.model_error = str(exc)
        state.metrics.set_model("none", s.model_alias, None)
        return
    state.predictor = loaded
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
        open_store(s.log_target),
        s.log_batch_rows,
        s.log_flush_seconds,
        state.metrics.observe_log,
        stall_seconds=s.log_stall_seconds,
        probe_seconds=s.log_stall_seconds,
    )
    state.writer = writer
    try:
        writer.start()
    except RuntimeError as exc:
        log.error("%s", exc)


def new_app(**kwargs: object) -> FastAPI:
    """A FastAPI app whose /docs and /redoc load their scripts from the app, not a CDN.

    Why it matters: FastAPI's default pages fetch Swagger UI from a CDN and stay blank
    offline. ``fastapi-offline`` ships the same assets and serves them from the app. An
    environment without it (an image whose requirements lack it) gets no docs pages rather
    than pages that call out to the network.
    """
    try:
        from fastapi_offline import FastAPIOffline
    except ImportError:
        log.warning("fastapi-offline is not installed: /docs and /redoc are switched off")
        return FastAPI(docs_url=None, redoc_url=None, **kwargs)
    return FastAPIOffline(**kwargs)


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

    app = new_app(
        title="Flight delay predictor",
        version="1.0",
        description=describe(load_params()),
        lifespan=lifespan,
    )
    for router in (health.router, model.router, predict.router, metrics.router):
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=service_metrics)  # outermost: counts 413s
    return app

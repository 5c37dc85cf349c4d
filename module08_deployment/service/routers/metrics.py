"""``/metrics``: the Prometheus text format, scraped by the compose stack's Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from module08_deployment.service.deps import StateDep

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
async def metrics(state: StateDep) -> Response:
    """Request counts and latencies, prediction scores, model version, log backlog."""
    if state.writer is not None:
        state.metrics.log_backlog.set(state.writer.backlog)
    return Response(generate_latest(state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

"""``/health`` (is the process alive?) and ``/ready`` (can it answer predictions?).

Why it matters: an orchestrator restarts a container whose liveness check fails, and sends
traffic only to one whose readiness check passes. Mixing the two restarts a service that
is merely waiting for its model, or routes traffic to one that cannot answer.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from module08_deployment.service.deps import StateDep
from module08_deployment.service.schemas import ErrorBody, Status

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Status, response_model_exclude_none=True)
async def health() -> Status:
    """Liveness: the process serves HTTP."""
    return Status(status="ok")


@router.get(
    "/ready",
    response_model=Status,
    responses={503: {"model": ErrorBody, "description": "No model, or the log is down"}},
)
async def ready(state: StateDep) -> Status:
    """Readiness: a model is loaded and the prediction log is being written."""
    reason = state.not_ready
    if reason is not None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=f"not ready: {reason}")
    assert state.predictor is not None
    return Status(status="ready", model_version=state.predictor.info.version)

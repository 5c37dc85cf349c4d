"""Dependencies of the routes: the app state, the API key, the request id, a ready model.

Why it matters: a route declares what it needs (``Annotated[..., Depends()]`` aliases) and
FastAPI supplies it or answers with the right error: 401 without a valid key, 503 while no
model is loaded. The routes stay a few lines each. The dependencies are ``async def``
because none of them waits for anything: FastAPI runs a plain ``def`` dependency in its
thread pool, and each such hop costs a thread switch on every request.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader

from module06_lifecycle.predictor import Predictor
from module08_deployment.service.state import ServiceState

API_KEY_HEADER = "X-API-Key"
_api_key = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="Needed only when the service runs with LABS_API_KEY set.",
)


async def get_state(request: Request) -> ServiceState:
    """The running app's :class:`ServiceState` (set by the lifespan)."""
    return request.app.state.service


StateDep = Annotated[ServiceState, Depends(get_state)]


async def require_api_key(state: StateDep, key: Annotated[str | None, Security(_api_key)]) -> None:
    """Let the request through when no key is configured or the right key is sent."""
    expected = state.settings.api_key
    if expected is None:
        return
    # Bytes, not str: compare_digest raises on a non-ASCII str, and a header is any latin-1.
    sent = key.encode("utf-8", "backslashreplace") if key is not None else None
    if sent is None or not secrets.compare_digest(sent, expected.get_secret_value().encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=f"missing or wrong API key: send it in the {API_KEY_HEADER} header",
        )


async def require_predictor(state: StateDep) -> Predictor:
    """The loaded predictor, or 503 with the reason the service is not ready."""
    reason = state.not_ready
    if reason is not None or state.predictor is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=f"not ready: {reason}")
    return state.predictor


PredictorDep = Annotated[Predictor, Depends(require_predictor)]


async def request_id(
    x_request_id: Annotated[
        str | None,
        Header(max_length=64, pattern=r"^[A-Za-z0-9._-]+$", description="echoed and logged"),
    ] = None,
) -> str:
    """The caller's ``X-Request-ID`` (to trace a request end to end) or a new one."""
    return x_request_id or uuid.uuid4().hex


RequestIdDep = Annotated[str, Depends(request_id)]

"""Error bodies that can always be sent: a 422 echoes what was wrong, in valid JSON.

Why it matters: FastAPI's 422 echoes the offending input. Python's JSON parser accepts
``NaN``, ``Infinity`` and ``1e309`` (which becomes infinity) and lone UTF-16 surrogates
such as ``"\\ud800"``, none of which a JSON response can carry: the default handler then
fails while *answering* the bad request, and the client gets a 500 and a traceback for
a mistake that is theirs. Here every error body is made safe before it is encoded:
non-finite numbers become the text of the token that was sent, and unpaired surrogates
their escape, so the client reads a 422 that names the field and what was wrong.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from starlette.exceptions import HTTPException as StarletteHTTPException

NON_FINITE_HINT = "JSON numbers must be finite (NaN, Infinity and overflowing numbers are not)"


def safe_text(text: str) -> str:
    """``text`` with unpaired surrogates replaced by their escapes (encodable as UTF-8).

    Example:
        >>> safe_text("MIA\\ud800")
        'MIA\\\\ud800'
    """
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def float_token(value: float) -> str | float:
    """A finite float unchanged; ``nan``/``inf``/``-inf`` as the JSON token a client sent."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def json_safe(value: Any) -> Any:
    """``value`` (already JSON-like) with every string and float made encodable, keys too."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float):
        return float_token(value)
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_non_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_non_finite(v) for v in value)
    return False


def explain_error(error: dict) -> dict:
    """One pydantic error, encodable, with a hint when the input was not a finite number."""
    safe = json_safe(jsonable_encoder(error))
    if _has_non_finite(error.get("input")):
        safe["msg"] = f"{safe.get('msg', '')}; {NON_FINITE_HINT}"
    return safe


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with FastAPI's usual ``detail`` list, every item safe to encode."""
    detail = [explain_error(error) for error in exc.errors()]
    return JSONResponse(status_code=422, content={"detail": detail})


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """FastAPI's usual ``{"detail": ...}`` answer, with the detail made safe to encode."""
    headers = getattr(exc, "headers", None)
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=headers)
    return JSONResponse({"detail": json_safe(exc.detail)}, exc.status_code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Answer validation and HTTP errors with bodies that always encode."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)

"""Lesson 04, security of a served model: send hostile requests, read what the service says.

Why it matters: the request model, the body size limit and the API key are the service's
defences (OWASP API Security: broken authentication, unrestricted resource consumption).
A defence you have not seen refuse something is a defence you hope for. These helpers
send named requests to an app (FastAPI's ``TestClient``, no network) and tabulate the
status and the first line of each answer, so a lesson can show every refusal at once.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from module08_deployment.service.deps import API_KEY_HEADER
from module08_deployment.service.schemas import EXAMPLE_FLIGHT


def one_change(**change: Any) -> dict:
    """The example flight with some fields changed (``None`` removes a field)."""
    flight = {**EXAMPLE_FLIGHT, **change}
    return {k: v for k, v in flight.items() if v is not None}


def first_problem(body: Any) -> str:
    """The first line of an error body: FastAPI's ``detail`` text, or the first 422 item."""
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, list) and detail:
        item = detail[0]
        return f"{'.'.join(str(p) for p in item.get('loc', []))}: {item.get('msg', '')}"
    return str(detail)[:120] if detail is not None else ""


def send_requests(client: Any, cases: dict[str, dict], key: str | None = None) -> pd.DataFrame:
    """POST each case to ``/predict`` (or its own ``path``); status and problem per case.

    Args:
        client: a ``fastapi.testclient.TestClient`` whose context is entered.
        cases: name -> ``{"json": ...}`` or ``{"content": bytes}``, optionally ``path``
            and ``key`` (``False`` sends no key).
        key: the API key to send when a case does not say.
    """
    rows = []
    for name, case in cases.items():
        sent_key = case.get("key", key)
        headers = {API_KEY_HEADER: sent_key} if sent_key else {}
        if "content" in case:
            headers["content-type"] = "application/json"
        body = {k: case[k] for k in ("json", "content") if k in case}
        response = client.post(case.get("path", "/predict"), headers=headers, **body)
        problem = "" if response.status_code == 200 else first_problem(response.json())
        rows.append({"case": name, "status": response.status_code, "problem": problem})
    return pd.DataFrame(rows)

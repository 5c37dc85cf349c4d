from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from module08_deployment.security import first_problem, one_change, send_requests
from module08_deployment.service.app import create_app
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings


def test_one_change_changes_or_removes_one_field() -> None:
    assert one_change(month=13) == {**EXAMPLE_FLIGHT, "month": 13}
    assert "carrier" not in one_change(carrier=None)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ({"detail": [{"loc": ["body", "month"], "msg": "too big"}]}, "body.month: too big"),
        ({"detail": "missing or wrong API key"}, "missing or wrong API key"),
        ({"other": 1}, ""),
    ],
    ids=["422-list", "text", "no-detail"],
)
def test_first_problem_reads_fastapi_error_bodies(body: dict, line: str) -> None:
    assert first_problem(body) == line


@pytest.mark.slow  # the app loads the tiny registered model
def test_send_requests_tabulates_each_refusal(settings: ServiceSettings) -> None:
    keyed = ServiceSettings.model_validate({**settings.model_dump(), "api_key": "k3y"})
    cases = {
        "no key": {"json": EXAMPLE_FLIGHT, "key": False},
        "good": {"json": EXAMPLE_FLIGHT},
        "month 13": {"json": one_change(month=13)},
        "too big": {"content": b" " * 1_000_001},
        "batch": {"path": "/predict/batch", "json": {"flights": [EXAMPLE_FLIGHT]}},
    }
    with TestClient(create_app(keyed)) as client:
        table = send_requests(client, cases, key="k3y").set_index("case")
    assert table["status"].to_dict() == {
        "no key": 401, "good": 200, "month 13": 422, "too big": 413, "batch": 200,
    }  # fmt: skip
    assert table.loc["month 13", "problem"].startswith("body.month: Input should be less than")
    assert table.loc["good", "problem"] == ""

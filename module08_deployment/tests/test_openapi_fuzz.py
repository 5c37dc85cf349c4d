"""Property-based test of the whole API from its OpenAPI schema (schemathesis).

Schemathesis generates valid and invalid requests for every operation, sends them to the
app (in process, through ASGI) and checks the answers: never a 5xx, statuses and bodies
as documented, bad API keys refused. The app is built at import, so schemathesis can read
its schema; its model is filled in by a fixture before the first request starts the app.
Strings come from all of Unicode (not only what UTF-8 can encode), and a hook puts a
lone surrogate into a field of some bodies: JSON Schema cannot describe it, but Python's
JSON parser accepts it, so an attacker can send it. (Schemathesis sends bodies through a
JSON encoder that refuses ``NaN`` and ``Infinity``; ``test_hostile.py`` sends those as
raw text, in every field, with hypothesis.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import ModelInfo, Predictor
from module08_deployment.service.app import create_app
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings

API_KEY = "fuzz-key"  # with a key set, schemathesis also checks that bad keys get 401
LOG_DIR = Path(tempfile.gettempdir()) / f"labs-fuzz-{os.getpid()}"  # made on first write
PREDICTOR = Predictor(None, ModelInfo("tiny", "1", "champion", "test", 0.2, "test"))
APP = create_app(
    ServiceSettings(predictions_db=LOG_DIR / "predictions.db", api_key=API_KEY),
    predictor=PREDICTOR,
)
# from_dict, not from_asgi: fetching the schema through ASGI would start the app (and its
# log writer) at import, even in a run that deselects this test.
schema = schemathesis.openapi.from_dict(APP.openapi())
schema.app = APP
schema.config.generation.update(codec=None)  # every code point, not only UTF-8-safe text
HOSTILE = st.sampled_from(["\ud800", "x\udfff", "\udbff\ud800\udc00"])


def _with(body: dict, key: str, value: object) -> dict:
    """A copy of ``body`` with ``key`` set to ``value``, inside the first flight of a batch."""
    flights = body.get("flights")
    if isinstance(flights, list) and flights and isinstance(flights[0], dict):
        return {**body, "flights": [_with(flights[0], key, value), *flights[1:]]}
    return {**body, key: value}


@schema.hook
def flatmap_body(context: object, body: object) -> st.SearchStrategy:
    """Leave half the bodies as generated; in the others, one field gets a hostile value."""
    if not isinstance(body, dict):
        return st.just(body)
    keys = st.sampled_from(sorted({*body, *EXAMPLE_FLIGHT, "extra"}))
    return st.just(body) | st.builds(_with, st.just(body), keys, HOSTILE)


@pytest.fixture(scope="module", autouse=True)
def tiny_model_in_app(tiny_setup: TinySetup) -> Iterator[None]:
    """Give the app its model; afterwards stop the app (flushing its log) and clean up."""
    from schemathesis.python.asgi import shutdown_lifespans

    PREDICTOR.model = tiny_setup.pipe
    yield
    shutdown_lifespans()
    shutil.rmtree(LOG_DIR, ignore_errors=True)


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_without_5xx(case: schemathesis.Case) -> None:
    # JSON Schema cannot say "minutes below 60" or "a real calendar date": a request valid by
    # the schema may get a (deliberate, documented) 422, so that one check is left out.
    case.call_and_validate(
        headers={"X-API-Key": API_KEY}, excluded_checks=[positive_data_acceptance]
    )

"""One contract, two validations: the API's pydantic model and the batch path's pandera schema.

The service checks a request with pydantic only (built from the contract in
``service/schemas.py``) and scores it with ``validate=False``; batch scoring checks a frame
with pandera. They must accept and reject the same flights, or the one-flight path would
score what batch scoring refuses (or the reverse). Random flights, valid and not, are fed
to both; and a request through the service must not run pandera at all.

JSON types are the API's own business: ``"2013"`` or ``2013.0`` is not a year to the
strict API, while pandera coerces a file's strings and floats. So every value drawn here
has the contract's type (an integer, a string or null); within that, the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from fastapi.testclient import TestClient

from labs_common.data import load_table
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import ModelInfo, Predictor
from module06_lifecycle.schemas import ScheduleError, validate_schedule
from module08_deployment.service.app import create_app
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings
from module08_deployment.tests.test_schemas import api_accepts

INT_FIELDS = ["year", "month", "day", "sched_dep_time", "sched_arr_time", "flight", "distance"]
TEXT_FIELDS = ["carrier", "tailnum", "origin", "dest"]


def _random_int(rng: np.random.Generator) -> int:
    """Near a boundary of some field, or anywhere."""
    edges = [-1, 0, 1, 12, 13, 28, 29, 30, 31, 32, 59, 60, 99, 100, 1159, 1160, 2012, 2013,
             2014, 2359, 2360, 2400, 2401, 4999, 5000, 5001, 9999, 10000]  # fmt: skip
    return int(rng.choice(edges)) if rng.random() < 0.7 else int(rng.integers(-50, 12000))


def _random_text(rng: np.random.Generator) -> str:
    """A code of 1-7 characters: capitals and digits mostly, sometimes lower case or odd."""
    alphabet = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + list("az-é ")
    text = "".join(rng.choice(alphabet, int(rng.integers(1, 8))))
    real = ["AA", "UA", "ZZ", "EWR", "JFK", "BOS", "N14228", "N1", "IAH", "LAX", "9E", "aa"]
    if rng.random() < 0.4:
        text = str(rng.choice(real))
    return text + "\n" if rng.random() < 0.05 else text


def random_flights(n: int, seed: int) -> list[dict]:
    """Real flights with 0-3 fields replaced by random values of the contract's type."""
    real = load_table("flights").sample(n, random_state=seed)[SCHEDULE_COLUMNS]
    rows = real.astype(object).where(real.notna(), None).to_dict("records")
    rng = np.random.default_rng(seed)
    for row in rows:
        for field in rng.choice(SCHEDULE_COLUMNS, int(rng.integers(0, 4)), replace=False):
            if rng.random() < 0.08:
                row[field] = None
            elif field in INT_FIELDS:
                row[field] = _random_int(rng)
            else:
                row[field] = _random_text(rng)
    return rows


def contract_accepts(flight: dict) -> bool:
    try:
        validate_schedule(pd.DataFrame([flight], columns=SCHEDULE_COLUMNS))
    except ScheduleError:
        return False
    return True


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_api_and_contract_agree_on_random_flights(seed: int) -> None:
    flights = random_flights(200, seed)
    verdicts = [(api_accepts(f), contract_accepts(f)) for f in flights]
    disagree = [f for f, (api, contract) in zip(flights, verdicts, strict=True) if api != contract]
    assert not disagree, f"{len(disagree)} disagreement(s), e.g. {disagree[:3]}"
    accepted = sum(api for api, _ in verdicts)
    assert 0.2 * len(flights) < accepted < 0.9 * len(flights), "both sides are exercised"


def test_the_batch_path_refuses_what_the_api_refuses_in_one_frame() -> None:
    """A frame mixing good and bad flights: pandera names exactly the rows pydantic refuses."""
    flights = random_flights(300, 9)
    refused = {i for i, f in enumerate(flights) if not api_accepts(f)}
    frame = pd.DataFrame(flights, columns=SCHEDULE_COLUMNS)
    accepted = [i for i in range(len(flights)) if i not in refused]
    validate_schedule(frame.iloc[accepted])  # the API's good rows pass as one batch
    assert refused, "some random rows are invalid"
    for i in sorted(refused)[:40]:
        with pytest.raises(ScheduleError):
            validate_schedule(frame.iloc[[i]])


def count_validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count every pandera validation from now on (wraps ``DataFrameSchema.validate``)."""
    calls: list[int] = []
    original = pa.DataFrameSchema.validate

    def counting(schema: pa.DataFrameSchema, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(schema, *args, **kwargs)

    monkeypatch.setattr(pa.DataFrameSchema, "validate", counting)
    return calls


@pytest.fixture
def client(tiny_pipeline: tuple[object, pd.DataFrame], tmp_path: Path) -> Iterator[TestClient]:
    predictor = Predictor(tiny_pipeline[0], ModelInfo("m", "1", None, "t", 0.2, "t"))
    settings = ServiceSettings(predictions_db=tmp_path / "p.db", log_flush_seconds=0.05)
    with TestClient(create_app(settings, predictor)) as test_client:
        yield test_client


def test_a_request_runs_no_pandera(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_validations(monkeypatch)
    for flight in random_flights(30, 4):
        response = client.post("/predict", json=flight)
        assert response.status_code == (200 if api_accepts(flight) else 422), flight
    assert client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * 3}).status_code == 200
    assert not calls, "the service validated a request with pandera"
    validate_schedule(pd.DataFrame([EXAMPLE_FLIGHT]))
    assert calls, "the counter does see pandera (the test can fail)"

"""The API's pydantic rules and module 01's data contract must agree on what is valid."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from pydantic import ValidationError

from labs_common.data import load_table
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.schemas import SCHEDULE, ScheduleError, validate_schedule
from module08_deployment.service.schemas import EXAMPLE_FLIGHT, Flight, FlightBatch


def contract_accepts(flight: dict) -> bool:
    try:
        validate_schedule(pd.DataFrame([flight]))
    except ScheduleError:
        return False
    return True


def api_accepts(flight: dict) -> bool:
    try:
        Flight.model_validate_json(json.dumps(flight))  # as the API reads a request
    except ValidationError:
        return False
    return True


EDGES = [
    ("year", 2012), ("year", 2013), ("year", 2014),
    ("month", 0), ("month", 1), ("month", 12), ("month", 13),
    ("day", 0), ("day", 1), ("day", 31), ("day", 32),
    ("sched_dep_time", -1), ("sched_dep_time", 0), ("sched_dep_time", 2359),
    ("sched_dep_time", 2400), ("sched_dep_time", 2401), ("sched_dep_time", 1260),
    ("sched_arr_time", 1159), ("sched_arr_time", 1160),
    ("carrier", "AA"), ("carrier", "XX"), ("carrier", "aa"),
    ("flight", 0), ("flight", 1), ("flight", 9999), ("flight", 10000),
    ("tailnum", None), ("tailnum", "N1"), ("tailnum", "N14228"), ("tailnum", "N142281"),
    ("tailnum", "n14228"),
    ("origin", "EWR"), ("origin", "BOS"),
    ("dest", "IAH"), ("dest", "IA"), ("dest", "iah"), ("dest", "IAHX"),
    ("distance", 0), ("distance", 1), ("distance", 5000), ("distance", 5001),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value"), EDGES, ids=[f"{f}={v}" for f, v in EDGES])
def test_api_and_contract_agree_on_edge_values(field: str, value: object) -> None:
    flight = {k: v for k, v in EXAMPLE_FLIGHT.items() if k in SCHEDULE_COLUMNS} | {field: value}
    assert api_accepts(flight) == contract_accepts(flight)


@pytest.mark.parametrize(("month", "day"), [(2, 28), (2, 29), (4, 30), (4, 31), (12, 31)])
def test_api_and_contract_agree_on_calendar_dates(month: int, day: int) -> None:
    flight = {k: v for k, v in EXAMPLE_FLIGHT.items() if k in SCHEDULE_COLUMNS}
    flight |= {"month": month, "day": day}
    assert api_accepts(flight) == contract_accepts(flight)


def test_api_accepts_every_real_flight_of_a_sample() -> None:
    flights = load_table("flights").sample(2000, random_state=1)[SCHEDULE_COLUMNS]
    records = flights.astype(object).where(flights.notna(), None).to_dict("records")
    rejected = [r for r in records if not api_accepts(r)]
    assert not rejected, f"the API rejects real flights, e.g. {rejected[:2]}"


def test_example_flight_is_valid() -> None:
    assert Flight.model_validate_json(json.dumps(EXAMPLE_FLIGHT)).time_hour is not None


def test_batch_needs_at_least_one_flight() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        FlightBatch(flights=[])


def test_field_constraints_are_read_from_the_contract() -> None:
    from module08_deployment.service.schemas import allowed_values, contract_field

    assert contract_field("year") == {"ge": 2013, "le": 2013}
    assert contract_field("sched_dep_time") == {"ge": 0, "le": 2400}
    assert contract_field("dest") == {"pattern": r"^[A-Z0-9]{3}$"}
    assert allowed_values("origin") == ("EWR", "JFK", "LGA")
    nullable = {name for name, col in SCHEDULE.columns.items() if col.nullable}
    optional = {name for name, field in Flight.model_fields.items() if not field.is_required()}
    assert nullable == optional - {"time_hour"}, "optional in the API = nullable in the contract"


def test_a_contract_rule_without_an_api_form_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import pandera.pandas as pa

    from module08_deployment.service import schemas

    column = SCHEDULE.columns["flight"]
    odd = column.set_checks([*column.checks, pa.Check.str_length(1, 4)])
    monkeypatch.setitem(SCHEDULE.columns, "flight", odd)
    with pytest.raises(TypeError, match="rule 'str_length' on 'flight' has no API form"):
        schemas.contract_field("flight")

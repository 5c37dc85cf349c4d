"""The API's request and response bodies (pydantic v2).

Why it matters: the request model is the service's first line of defence. Its ranges,
patterns and allowed values are *read from* the schedule contract (module 06's pandera
schema, built from module 01's data contract), so a request the model has no business
answering (an unknown carrier, a flight on February 30th) gets a 422 that names the
field, before any code runs, and the one-flight path checks exactly what batch scoring
checks, in microseconds instead of a pandera pass over a one-row frame. A rule the
contract gains that this module cannot express stops the import with its name.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from module06_lifecycle.schemas import DATE_RULE, SCHEDULE
from module08_deployment.service.settings import MAX_BATCH

#: Contract rules checked by a validator below (by name), not by a Field argument.
VALIDATOR_RULES = {"minutes_below_60": "HHMM time needs minutes below 60"}
FRAME_RULES = {"date_exists": DATE_RULE}


def contract_field(column: str, **extra: object) -> dict:
    """The ``Field`` arguments that state the contract's checks on ``column``.

    Example:
        >>> contract_field("month")
        {'ge': 1, 'le': 12}
    """
    kwargs: dict = {}
    for check in SCHEDULE.columns[column].checks:
        stats = check.statistics
        if check.name == "equal_to":
            kwargs |= {"ge": stats["value"], "le": stats["value"]}
        elif check.name == "in_range":
            kwargs["ge" if stats["include_min"] else "gt"] = stats["min_value"]
            kwargs["le" if stats["include_max"] else "lt"] = stats["max_value"]
        elif check.name == "str_matches":
            kwargs["pattern"] = stats["pattern"]
        elif check.name not in ("isin", *VALIDATOR_RULES):
            raise TypeError(f"the contract's rule {check.name!r} on {column!r} has no API form")
    return kwargs | extra


def allowed_values(column: str) -> tuple[str, ...]:
    """The values the contract's ``isin`` check allows in ``column``."""
    (check,) = [c for c in SCHEDULE.columns[column].checks if c.name == "isin"]
    return tuple(check.statistics["allowed_values"])


def columns_with_rule(rule: str) -> list[str]:
    """The contract's columns that carry the named check."""
    return [name for name, col in SCHEDULE.columns.items() if rule in {c.name for c in col.checks}]


_unknown = {c.name for c in SCHEDULE.checks} - set(FRAME_RULES)
if _unknown:
    raise TypeError(f"the contract's frame rule(s) {sorted(_unknown)} have no API form")

Carrier = Literal[allowed_values("carrier")]
Origin = Literal[allowed_values("origin")]

EXAMPLE_FLIGHT = {
    "year": 2013,
    "month": 11,
    "day": 1,
    "sched_dep_time": 545,
    "sched_arr_time": 855,
    "carrier": "AA",
    "flight": 2243,
    "tailnum": "N5CLAA",
    "origin": "JFK",
    "dest": "MIA",
    "distance": 1089,
    "time_hour": "2013-11-01T05:00:00-04:00",
}


class Flight(BaseModel):
    """One scheduled flight: what an airline knows when it publishes the schedule."""

    # strict: "2013" or 2013.5 is not a year, 0 is not a timestamp; the schema says so too.
    # python-re: the contract's patterns mean what they mean to pandera (Python's re), e.g.
    # "$" also matches before a final newline; Rust's engine would refuse "IAH\n".
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        regex_engine="python-re",
        json_schema_extra={"examples": [EXAMPLE_FLIGHT]},
    )

    year: int = Field(**contract_field("year", description="the model knows 2013 only"))
    month: int = Field(**contract_field("month"))
    day: int = Field(**contract_field("day"))
    sched_dep_time: int = Field(**contract_field("sched_dep_time", description="local, HHMM"))
    sched_arr_time: int = Field(**contract_field("sched_arr_time", description="local, HHMM"))
    carrier: Carrier = Field(description="two-letter airline code")
    flight: int = Field(**contract_field("flight"))
    tailnum: str | None = Field(None, **contract_field("tailnum", description="tail number"))
    origin: Origin = Field(description="New York airport")
    dest: str = Field(**contract_field("dest", description="FAA code of the destination"))
    distance: int = Field(**contract_field("distance", description="miles"))
    time_hour: datetime | None = Field(None, description="scheduled hour (optional, logged)")

    @field_validator("time_hour", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        if value is None or isinstance(value, datetime):
            return value
        if not isinstance(value, str):
            raise ValueError(
                f"time_hour must be ISO 8601 text such as {EXAMPLE_FLIGHT['time_hour']}"
            )
        return datetime.fromisoformat(value)

    @field_validator(*columns_with_rule("minutes_below_60"))
    @classmethod
    def _minutes_below_60(cls, value: int) -> int:
        if value % 100 >= 60:
            raise ValueError(f"{VALIDATOR_RULES['minutes_below_60']}, got {value}")
        return value

    @model_validator(mode="after")
    def _date_exists(self) -> Flight:
        last = calendar.monthrange(self.year, self.month)[1]
        if self.day > last:
            raise ValueError(f"day {self.day} does not exist in {self.year}-{self.month:02d}")
        return self


class FlightBatch(BaseModel):
    """Several flights scored in one request (cheaper per flight than one request each)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"flights": [EXAMPLE_FLIGHT]}]}
    )

    flights: list[Flight] = Field(min_length=1, max_length=MAX_BATCH)


class Prediction(BaseModel):
    """The model's answer for one flight."""

    probability: float = Field(ge=0, le=1, description="probability of arriving > 15 min late")
    delayed: bool = Field(description="probability >= threshold")
    threshold: float
    model_version: str


class PredictionResponse(Prediction):
    request_id: str


class BatchResponse(BaseModel):
    request_id: str
    model_version: str
    predictions: list[Prediction]


class ModelCard(BaseModel):
    """What is being served, and where it came from."""

    name: str
    version: str
    alias: str | None
    source: str
    threshold: float
    threshold_rule: str
    training_data_md5: str | None
    git_commit: str | None
    test_roc_auc: float | None
    loaded_at: datetime


class Status(BaseModel):
    status: Literal["ok", "ready"]
    model_version: str | None = None


class ErrorBody(BaseModel):
    detail: str

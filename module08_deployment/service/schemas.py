"""The API's request and response bodies (pydantic v2).

Why it matters: the request model is the service's first line of defence. Ranges and
allowed values are those of the data contract (module 01), so a request the model has no
business answering (an unknown carrier, a flight on February 30th) gets a 422 that names
the field, before any code runs. A test checks that these rules and the contract agree.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from module01_intro.contract import CARRIERS, ORIGINS
from module08_deployment.service.settings import MAX_BATCH

Carrier = Literal[tuple(CARRIERS)]
Origin = Literal[tuple(ORIGINS)]

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
    model_config = ConfigDict(
        extra="forbid", strict=True, json_schema_extra={"examples": [EXAMPLE_FLIGHT]}
    )

    year: int = Field(ge=2013, le=2013, description="the model knows 2013's weather only")
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    sched_dep_time: int = Field(ge=0, le=2400, description="local departure time, HHMM")
    sched_arr_time: int = Field(ge=0, le=2400, description="local arrival time, HHMM")
    carrier: Carrier = Field(description="two-letter airline code")
    flight: int = Field(ge=1, le=9999)
    tailnum: str | None = Field(None, pattern=r"^[A-Z0-9]{4,6}$", description="plane tail number")
    origin: Origin = Field(description="New York airport")
    dest: str = Field(pattern=r"^[A-Z0-9]{3}$", description="FAA code of the destination")
    distance: int = Field(ge=1, le=5000, description="miles")
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

    @field_validator("sched_dep_time", "sched_arr_time")
    @classmethod
    def _minutes_below_60(cls, value: int) -> int:
        if value % 100 >= 60:
            raise ValueError(f"HHMM time needs minutes below 60, got {value}")
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

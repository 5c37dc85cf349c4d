"""The web service: ``uvicorn myflights.service:app``; ``/health`` and ``/predict``.

It scores with the same predictor as the batch job (lab 06), so both always agree.
Pydantic refuses a bad request with a 422 that names the field.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pandas as pd
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field

from myflights.predictor import load_predictor


class Flight(BaseModel):
    """One scheduled flight, as the airline publishes it."""

    year: int = Field(2013, ge=2013, le=2100)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    sched_dep_time: int = Field(ge=0, le=2359, description="local time, hhmm")
    sched_arr_time: int = Field(ge=0, le=2359, description="local time, hhmm")
    carrier: str = Field(min_length=2, max_length=2)
    origin: str = Field(pattern="^(EWR|JFK|LGA)$")
    dest: str = Field(min_length=3, max_length=3)
    distance: float = Field(gt=0, le=6000)


class Prediction(BaseModel):
    score: float
    alert: bool


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.predictor = load_predictor()
    yield


app = FastAPI(title="My flight-delay service", lifespan=lifespan)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/predict")
def predict(flight: Flight, request: Request) -> Prediction:
    row = request.app.state.predictor.predict(pd.DataFrame([flight.model_dump()])).iloc[0]
    return Prediction(score=float(row["score"]), alert=bool(row["alert"]))

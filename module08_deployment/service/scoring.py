"""Score validated requests with the predictor and hand the rows to the prediction log.

Why it matters: the route only translates HTTP; this is where a request becomes a frame
for the same :class:`~module06_lifecycle.predictor.Predictor` batch scoring uses, and
where every answer is counted and logged, one row per flight.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pandas as pd

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import Predictor
from module08_deployment.prediction_log import Row
from module08_deployment.service.schemas import Flight, Prediction
from module08_deployment.service.state import ServiceState


def flights_frame(flights: list[Flight]) -> pd.DataFrame:
    """The schedule columns of validated flights, one row each."""
    return pd.DataFrame(
        [f.model_dump(include=set(SCHEDULE_COLUMNS)) for f in flights], columns=SCHEDULE_COLUMNS
    )


def log_rows(
    flights: list[Flight], scores: pd.DataFrame, predictor: Predictor, request_id: str
) -> list[Row]:
    """One prediction-log row per flight, values in ``prediction_log.COLUMNS`` order."""
    now = datetime.now(UTC).isoformat()
    info = predictor.info
    return [
        (
            uuid.uuid4().hex,
            request_id,
            now,
            info.name,
            info.version,
            info.threshold,
            float(p),
            int(d),
            *(getattr(f, c) for c in SCHEDULE_COLUMNS),
            f.time_hour.isoformat() if f.time_hour else None,
        )
        for f, p, d in zip(flights, scores["probability"], scores["delayed"], strict=True)
    ]


def score_flights(
    state: ServiceState, predictor: Predictor, flights: list[Flight], request_id: str
) -> list[Prediction]:
    """Predict, count the scores, queue the log rows; return one answer per flight.

    The pydantic models already enforce the schedule contract, so the predictor skips its
    own (slower, frame-wide) validation here. The model call goes through the
    micro-batcher, which scores requests that queue up together.
    """
    assert state.batcher is not None, "require_predictor checks a model is loaded"
    scores = state.batcher.predict(flights_frame(flights))
    state.metrics.observe_scores(scores["probability"].tolist(), scores["delayed"].tolist())
    assert state.writer is not None, "require_predictor checks the writer runs"
    state.writer.submit(log_rows(flights, scores, predictor, request_id))
    return [
        Prediction(
            probability=float(p),
            delayed=bool(d),
            threshold=predictor.threshold,
            model_version=predictor.info.version,
        )
        for p, d in zip(scores["probability"], scores["delayed"], strict=True)
    ]

"""``/predict`` (one flight) and ``/predict/batch`` (up to ``LABS_MAX_BATCH`` flights).

Why it matters: the routes are plain ``def`` functions, so FastAPI runs them in its thread
pool: a prediction (CPU work in scikit-learn) never blocks the event loop that serves
``/health`` and ``/metrics``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Response, status

from module06_lifecycle.schemas import ScheduleError
from module08_deployment.service.deps import (
    PredictorDep,
    RequestIdDep,
    StateDep,
    require_api_key,
)
from module08_deployment.service.schemas import (
    BatchResponse,
    ErrorBody,
    Flight,
    FlightBatch,
    PredictionResponse,
)
from module08_deployment.service.scoring import score_flights
from module08_deployment.service.state import ServiceState

ERRORS = {
    400: {"model": ErrorBody, "description": "The body cannot be decoded (not UTF-8 JSON)"},
    401: {"model": ErrorBody, "description": "LABS_API_KEY is set and X-API-Key is wrong"},
    413: {"model": ErrorBody, "description": "Request body too large"},
    503: {"model": ErrorBody, "description": "No model loaded"},
}
router = APIRouter(tags=["predict"], dependencies=[Depends(require_api_key)], responses=ERRORS)


def _score(state: ServiceState, predictor: PredictorDep, flights: list[Flight], rid: str) -> list:
    try:
        return score_flights(state, predictor, flights, rid)
    except (ScheduleError, ValueError) as exc:  # the contract and pydantic should agree
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from exc


@router.post("/predict", response_model=PredictionResponse)
def predict(
    flight: Flight, predictor: PredictorDep, state: StateDep, rid: RequestIdDep, response: Response
) -> PredictionResponse:
    """Probability that one scheduled flight arrives more than 15 minutes late."""
    answer = _score(state, predictor, [flight], rid)[0]
    response.headers["X-Request-ID"] = rid
    return PredictionResponse(**answer.model_dump(), request_id=rid)


@router.post("/predict/batch", response_model=BatchResponse)
def predict_batch(
    batch: FlightBatch,
    predictor: PredictorDep,
    state: StateDep,
    rid: RequestIdDep,
    response: Response,
) -> BatchResponse:
    """Score several flights in one request (cheaper per flight)."""
    limit = state.settings.max_batch
    if len(batch.flights) > limit:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=f"flights: at most {limit} per request (LABS_MAX_BATCH), "
            f"got {len(batch.flights)}; split the batch",
        )
    answers = _score(state, predictor, batch.flights, rid)
    response.headers["X-Request-ID"] = rid
    return BatchResponse(request_id=rid, model_version=predictor.info.version, predictions=answers)

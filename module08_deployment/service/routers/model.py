"""``/model``: which model answers, which threshold it uses, and what data trained it.

Why it matters: when a prediction looks wrong, the first question is "which model said
that?". The answer must come from the running service, not from a wiki page.
"""

from __future__ import annotations

from fastapi import APIRouter

from module08_deployment.service.deps import PredictorDep, StateDep
from module08_deployment.service.schemas import ErrorBody, ModelCard

router = APIRouter(tags=["model"])


@router.get(
    "/model",
    response_model=ModelCard,
    responses={503: {"model": ErrorBody, "description": "No model loaded"}},
)
async def model_card(predictor: PredictorDep, state: StateDep) -> ModelCard:
    """The loaded model's name, version, alias, threshold and lineage."""
    info = predictor.info
    return ModelCard(
        name=info.name,
        version=info.version,
        alias=info.alias,
        source=info.source,
        threshold=info.threshold,
        threshold_rule=info.threshold_rule,
        training_data_md5=info.train_md5,
        git_commit=info.git_commit,
        test_roc_auc=info.test_roc_auc,
        loaded_at=state.loaded_at,
    )

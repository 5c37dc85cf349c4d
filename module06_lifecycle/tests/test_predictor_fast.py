"""The predictor in the fast tier: a tiny fitted pipeline, no MLflow, a few seconds.

``test_predictor.py`` loads models through MLflow and is marked slow; these tests guard
what every caller relies on (the probability is the probability of *late*, decisions are
``probability >= threshold``, order and version are kept) in ``make test-fast`` too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, add_label
from module06_lifecycle.predictor import OUTPUT_COLUMNS, ModelInfo, Predictor
from module06_lifecycle.schemas import ScheduleError


def _predictor(pipe: object, threshold: float = 0.25) -> Predictor:
    return Predictor(pipe, ModelInfo("m", "7", "champion", "test", threshold, "test"))


@pytest.fixture
def labelled(tiny_pipeline: tuple[object, pd.DataFrame]) -> pd.DataFrame:
    return add_label(tiny_pipeline[1], 15)


def test_predict_proba_is_the_probability_of_late(
    tiny_pipeline: tuple[object, pd.DataFrame], labelled: pd.DataFrame
) -> None:
    pipe, _ = tiny_pipeline
    proba = _predictor(pipe).predict_proba(labelled)
    late_column = list(pipe.classes_).index(1)
    np.testing.assert_allclose(
        proba, pipe.predict_proba(labelled[SCHEDULE_COLUMNS])[:, late_column]
    )
    # Judged against the labels, not the model: the wrong column would rank late flights last.
    assert roc_auc_score(labelled[LABEL], proba) > 0.6
    assert proba[labelled[LABEL] == 1].mean() > proba[labelled[LABEL] == 0].mean()
    assert ((proba > 0) & (proba < 1)).all()


def test_predict_columns_decisions_and_version(
    tiny_pipeline: tuple[object, pd.DataFrame], labelled: pd.DataFrame
) -> None:
    flights = labelled.head(300)
    out = _predictor(tiny_pipeline[0], threshold=0.25).predict(flights)
    assert list(out.columns) == OUTPUT_COLUMNS and len(out) == 300
    assert (out["delayed"] == (out["probability"] >= 0.25)).all()
    assert out["delayed"].any() and not out["delayed"].all(), "the cut falls inside the scores"
    assert (out["model_version"] == "7").all()
    assert out["delayed"].dtype == bool


def test_predict_flags_a_probability_equal_to_the_threshold(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    pipe, flights = tiny_pipeline
    one = flights.head(1)
    p = float(_predictor(pipe).predict_proba(one)[0])
    assert _predictor(pipe, threshold=p).predict(one)["delayed"].item() is True
    above = np.nextafter(p, 1.0)
    assert _predictor(pipe, threshold=above).predict(one)["delayed"].item() is False
    assert _predictor(pipe, threshold=np.nextafter(p, 0.0)).predict(one)["delayed"].item()


def test_predict_same_with_and_without_validation_and_in_input_order(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    pipe, flights = tiny_pipeline
    predictor = _predictor(pipe)
    head = flights.head(40)
    pd.testing.assert_frame_equal(predictor.predict(head), predictor.predict(head, False))
    backward = predictor.predict(head.iloc[::-1])["probability"].to_numpy()
    np.testing.assert_allclose(backward, predictor.predict(head)["probability"].to_numpy()[::-1])


def test_predict_rejects_a_schedule_that_breaks_the_contract(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    pipe, flights = tiny_pipeline
    broken = flights.head(3).copy()
    broken["month"] = broken["month"].astype("int64")
    broken.loc[1, "month"] = 13
    with pytest.raises(ScheduleError, match=r"month"):
        _predictor(pipe).predict(broken)
    with pytest.raises(ScheduleError, match=r"carrier"):
        _predictor(pipe).predict(flights.head(3).drop(columns=["carrier"]))


def test_predictor_threshold_is_the_model_info_threshold(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    predictor = _predictor(tiny_pipeline[0], threshold=0.375)
    assert predictor.threshold == 0.375
    assert predictor.info.as_dict()["version"] == "7"

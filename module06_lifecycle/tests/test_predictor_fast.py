"""The predictor in the fast tier: a tiny fitted pipeline, no MLflow, a few seconds.

``test_predictor.py`` loads models through MLflow and is marked slow; these tests guard
what every caller relies on (the probability is the probability of *late*, decisions are
``probability >= threshold``, order and version are kept) in ``make test-fast`` too.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from labs_common.config import load_params
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, add_label
from module05_business.threshold import theoretic_threshold
from module06_lifecycle.predictor import (
    OUTPUT_COLUMNS,
    ModelInfo,
    ModelNotFoundError,
    Predictor,
    _report_threshold,
    _tag_threshold,
)
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


def test_tag_threshold_reads_the_registered_tag_or_says_how_to_register() -> None:
    assert _tag_threshold({"threshold": "0.3125"}, "m") == 0.3125
    for tags in ({}, {"threshold": ""}):
        with pytest.raises(ModelNotFoundError, match=r"model 'm' has no 'threshold' tag; register"):
            _tag_threshold(tags, "m")


def test_report_threshold_reads_metrics_or_falls_back_to_the_cost_model(tmp_path: Path) -> None:
    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps({"threshold": 0.3, "threshold_rule": "validation_grid"}))
    assert _report_threshold(metrics) == ("validation_grid", 0.3)
    metrics.write_text(json.dumps({"threshold": "0.4"}))
    assert _report_threshold(metrics) == ("reports", 0.4)
    expected = theoretic_threshold(load_params().cost)
    assert _report_threshold(tmp_path / "absent.json") == ("theoretic", expected)


def test_model_info_as_dict_has_every_field_with_its_value() -> None:
    info = ModelInfo("m", "1", None, "src", 0.2, "rule", train_md5="abc", run_id="r")
    assert info.as_dict() == {
        "name": "m", "version": "1", "alias": None, "source": "src", "threshold": 0.2,
        "threshold_rule": "rule", "train_md5": "abc", "git_commit": None, "test_roc_auc": None,
        "run_id": "r",
    }  # fmt: skip


def test_predict_without_validation_leaves_the_contract_to_the_caller(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    """The service validates with pydantic and passes validate=False: no second check."""
    pipe, flights = tiny_pipeline
    unknown = flights.head(2).copy()
    unknown["carrier"] = unknown["carrier"].astype(str)
    unknown.loc[1, "carrier"] = "ZZ"  # not in the contract, yet the model can score it
    assert len(_predictor(pipe).predict(unknown, validate=False)) == 2
    with pytest.raises(ScheduleError, match="carrier"):
        _predictor(pipe).predict(unknown)
    with pytest.raises(ScheduleError, match="carrier"):
        _predictor(pipe).predict_proba(unknown)  # validates by default too


def test_tag_threshold_error_names_both_fixes() -> None:
    with pytest.raises(ModelNotFoundError) as error:
        _tag_threshold({}, "m")
    assert str(error.value).endswith(
        "register it with module08_deployment.register, or pass threshold= explicitly"
    )


def test_report_threshold_warns_which_file_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    absent = tmp_path / "absent.json"
    with caplog.at_level("WARNING", logger="module06_lifecycle.predictor"):
        _report_threshold(absent)
    assert caplog.messages == [f"{absent} not found; using the theoretic threshold of params.yaml"]

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from labs_common.config import load_params
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module04_ml_fundamentals.readiness import (
    capstone_readiness,
    load_capstone_model,
    load_reports,
    month_table,
    process_checks,
    read_mlmodel,
    readiness_checks,
    reproduces_scores,
    signature_inputs,
)
from module04_ml_fundamentals.train import build_pipeline


def write_mlmodel(folder: Path, inputs: list[str], trusted: list[str]) -> dict:
    """An MLmodel file shaped like the one MLflow 3 writes for a skops model."""
    spec = json.dumps([{"type": "string", "name": c, "required": True} for c in inputs])
    mlmodel = {"model_id": "m-test", "signature": {"inputs": spec, "outputs": "[]"},
               "flavors": {"sklearn": {"pickled_model": "model.skops",
                                       "skops_trusted_types": trusted}}}  # fmt: skip
    (folder / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    return mlmodel


@pytest.fixture(scope="module")
def saved_model(
    tmp_path_factory: pytest.TempPathFactory,
    winter_flights: pd.DataFrame,
    lookups: dict[str, str],
) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    """A small fitted pipeline saved as models/model is, its test rows and its scores."""
    import skops.io

    folder = tmp_path_factory.mktemp("model")
    jan, feb = (winter_flights.loc[winter_flights["month"] == m] for m in (1, 2))
    pipe = build_pipeline(
        "logreg", weather_path=None, planes_path=lookups["planes_path"], use_weather=False
    )
    pipe.fit(jan[SCHEDULE_COLUMNS], jan[LABEL])
    skops.io.dump(pipe, folder / "model.skops")
    write_mlmodel(
        folder, SCHEDULE_COLUMNS, skops.io.get_untrusted_types(file=folder / "model.skops")
    )
    scores = pd.DataFrame({"split": "test", "month": feb["month"].to_numpy(),
                           "y": feb[LABEL].to_numpy(),
                           "proba": pipe.predict_proba(feb[SCHEDULE_COLUMNS])[:, 1]})  # fmt: skip
    return folder, feb, scores


def test_load_capstone_model_reproduces_the_recorded_scores(saved_model: tuple) -> None:
    folder, test, scores = saved_model
    model = load_capstone_model(folder)
    assert reproduces_scores(model, test, scores) < 1e-12
    shuffled = scores.assign(proba=scores["proba"].sample(frac=1, random_state=0).to_numpy())
    assert reproduces_scores(model, test, shuffled) > 0.01


def test_read_mlmodel_says_how_to_make_the_model(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"MLmodel not found; run `dvc repro train`"):
        read_mlmodel(tmp_path)


def test_signature_inputs_reads_the_json_mlflow_writes(tmp_path: Path) -> None:
    assert signature_inputs(write_mlmodel(tmp_path, ["year", "dest"], [])) == ["year", "dest"]
    assert signature_inputs({"flavors": {}}) == []


def test_load_reports_names_the_missing_report(tmp_path: Path) -> None:
    (tmp_path / "train.json").write_text('{"model": "hgb"}')
    assert load_reports(tmp_path, ("train",)) == {"train": {"model": "hgb"}}
    with pytest.raises(FileNotFoundError, match=r"metrics\.json not found; run `dvc repro`"):
        load_reports(tmp_path, ("train", "metrics"))


def test_month_table_gap_is_mean_probability_minus_late_share() -> None:
    scores = pd.DataFrame({"split": "test", "month": [11, 11, 11, 11, 12, 12],
                           "y": [0, 1, 0, 1, 0, 1],
                           "proba": [0.1, 0.9, 0.2, 0.8, 0.1, 0.3]})  # fmt: skip
    table = month_table(scores)
    assert table.loc[("test", 11), "roc_auc"] == 1.0
    assert table.loc[("test", 12), "calibration_gap"] == pytest.approx(0.2 - 0.5)


def fake_evidence(**metrics: float) -> tuple[dict, pd.DataFrame]:
    reports = {
        "metrics": {"cost_saving_vs_best_trivial": 0.1, "test_roc_auc": 0.72,
                    "max_slice_gap": 0.05, **metrics},
        "train_run": {"run_id": "abc"},
        "registry": {"model_name": "flight-delay", "version": 3, "alias": "champion"},
    }  # fmt: skip
    months = pd.DataFrame({"split": "test", "month": [11, 12], "roc_auc": [0.71, 0.74],
                           "calibration_gap": [0.01, -0.02]})  # fmt: skip
    return reports, months.set_index(["split", "month"])


def test_readiness_checks_all_pass_on_good_evidence() -> None:
    reports, months = fake_evidence()
    table = readiness_checks(load_params(), reports, months, {"signature": {
        "inputs": json.dumps([{"name": c} for c in SCHEDULE_COLUMNS])}}, score_gap=0.0)  # fmt: skip
    assert len(table) == 10 and table["passed"].all(), table


def test_readiness_checks_name_what_failed_and_why() -> None:
    reports, months = fake_evidence(test_roc_auc=0.65, max_slice_gap=0.3)
    months.loc[("test", 12), "calibration_gap"] = -0.09
    mlmodel = {"signature": {"inputs": json.dumps([{"name": c} for c in SCHEDULE_COLUMNS])}}
    table = readiness_checks(load_params(), reports, months, mlmodel, score_gap=0.0)
    failed = table.index[~table["passed"]].tolist()
    assert failed == ["test ROC AUC above the floor", "calibrated in every test month",
                      "similar quality across slices"]  # fmt: skip
    assert "0.090 (month 12)" in table.loc["calibrated in every test month", "evidence"]


def test_process_checks_catch_a_leaky_signature_and_a_model_that_drifted() -> None:
    reports, _ = fake_evidence()
    mlmodel = {"signature": {"inputs": json.dumps([{"name": "dep_delay"}, {"name": "year"}])}}
    rows = process_checks(load_params(), reports, mlmodel, score_gap=0.3)
    checks = {name: (ok, why) for name, ok, why in rows}
    assert checks["inputs are known at the decision time"][0] is False
    assert "['dep_delay']" in checks["inputs are known at the decision time"][1]
    assert checks["reproduces its recorded scores"][0] is False


@pytest.mark.data
def test_capstone_readiness_on_the_repositorys_model() -> None:
    table = capstone_readiness(load_params())
    assert len(table) == 10
    assert table.loc["inputs are known at the decision time", "passed"]
    assert table.loc["reproduces its recorded scores", "passed"], table.loc[
        "reproduces its recorded scores", "evidence"
    ]
    assert np.isin(table["passed"], [True, False]).all()

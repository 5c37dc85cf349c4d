from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import (
    OUTPUT_COLUMNS,
    ModelInfo,
    ModelNotFoundError,
    Predictor,
    load_from_dir,
    load_predictor,
)
from module06_lifecycle.schemas import ScheduleError

pytestmark = pytest.mark.slow  # fits and registers a model once per session


def test_load_predictor_resolves_the_alias_and_its_tags(tiny_registry: TinySetup) -> None:
    predictor = load_predictor(f"models:/{tiny_registry.name}@champion")
    info = predictor.info
    assert (info.name, info.alias) == (tiny_registry.name, "champion")
    assert info.version == tiny_registry.version
    assert info.threshold == 0.2 and info.threshold_rule == "theoretic"
    assert info.train_md5 == "0" * 32 and info.git_commit == "test"


def test_load_predictor_defaults_to_champion(tiny_registry: TinySetup) -> None:
    assert load_predictor(f"models:/{tiny_registry.name}").info.alias == "champion"


def test_load_predictor_explicit_threshold_wins(tiny_registry: TinySetup) -> None:
    info = load_predictor(f"models:/{tiny_registry.name}", threshold=0.5).info
    assert (info.threshold, info.threshold_rule) == (0.5, "explicit")


def test_load_predictor_unknown_alias_says_how_to_fix(tiny_registry: TinySetup) -> None:
    with pytest.raises(ModelNotFoundError, match=r"has alias 'nope' .* run `dvc repro`"):
        load_predictor(f"models:/{tiny_registry.name}@nope")


def test_load_from_dir_reads_the_threshold_from_metrics(tiny_setup: TinySetup) -> None:
    path = tiny_setup.metrics_path.with_name("metrics_03.json")
    path.write_text(json.dumps({"threshold": 0.3, "threshold_rule": "validation_grid"}))
    info = load_from_dir(tiny_setup.model_dir, metrics_path=path).info
    assert (info.threshold, info.threshold_rule, info.alias) == (0.3, "validation_grid", None)
    assert info.version.startswith("local-")


def test_load_from_dir_refuses_a_folder_without_mlmodel(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="not an MLflow model folder"):
        load_predictor(tmp_path)


@pytest.fixture
def predictor(tiny_setup: TinySetup) -> Predictor:
    info = ModelInfo("m", "7", "champion", "test", threshold=0.25, threshold_rule="test")
    return Predictor(tiny_setup.pipe, info)


def test_predict_matches_the_bare_model(predictor: Predictor, tiny_setup: TinySetup) -> None:
    flights = tiny_setup.flights.head(200)
    out = predictor.predict(flights)
    expected = tiny_setup.pipe.predict_proba(flights[SCHEDULE_COLUMNS])[:, 1]
    assert list(out.columns) == OUTPUT_COLUMNS
    np.testing.assert_allclose(out["probability"], expected)
    assert (out["delayed"] == (expected >= 0.25)).all()
    assert (out["model_version"] == "7").all()


def test_predict_decides_at_the_threshold_inclusive(tiny_setup: TinySetup) -> None:
    flights = tiny_setup.flights.head(1)
    p = float(tiny_setup.pipe.predict_proba(flights[SCHEDULE_COLUMNS])[0, 1])
    at = Predictor(tiny_setup.pipe, ModelInfo("m", "1", None, "t", p, "test"))
    above = Predictor(tiny_setup.pipe, ModelInfo("m", "1", None, "t", p + 1e-9, "test"))
    assert at.predict(flights)["delayed"].item() is True
    assert above.predict(flights)["delayed"].item() is False


def test_predict_same_with_and_without_validation(
    predictor: Predictor, tiny_setup: TinySetup
) -> None:
    flights = tiny_setup.flights.head(50)
    pd.testing.assert_frame_equal(predictor.predict(flights), predictor.predict(flights, False))


def test_predict_rejects_a_broken_schedule(predictor: Predictor, tiny_setup: TinySetup) -> None:
    flights = tiny_setup.flights.head(3).copy()
    flights["origin"] = flights["origin"].astype(str)
    flights.loc[2, "origin"] = "BOS"
    with pytest.raises(ScheduleError, match=r"origin: isin"):
        predictor.predict(flights)


def test_predict_keeps_input_order_whatever_the_index(
    predictor: Predictor, tiny_setup: TinySetup
) -> None:
    flights = tiny_setup.flights.head(20)
    reversed_ = flights.iloc[::-1]
    forward = predictor.predict(flights)["probability"].to_numpy()
    backward = predictor.predict(reversed_)["probability"].to_numpy()
    np.testing.assert_allclose(backward, forward[::-1])


def test_model_info_as_dict_has_every_field() -> None:
    info = ModelInfo("m", "1", None, "src", 0.2, "rule")
    assert info.as_dict()["threshold"] == 0.2 and set(info.as_dict()) >= {"name", "train_md5"}

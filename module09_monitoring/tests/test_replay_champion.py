"""The replay monitors the model in production: the registry's champion, not models/model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from labs_common import paths
from module06_lifecycle import fixtures
from module06_lifecycle.predictor import ModelNotFoundError
from module09_monitoring import replay

NAME = "replay-champion-test"


@pytest.mark.slow
def test_load_champion_keeps_production_after_a_refused_challenger(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = f"sqlite:///{tmp_path}/mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    flights = fixtures.sample_flights()
    pipe = fixtures.fit_tiny_model(tmp_path / "lookups", flights)
    register = dict(tracking_uri=uri, artifacts=tmp_path / "artifacts", name=NAME)
    with pytest.raises(ModelNotFoundError, match="has alias 'champion'"):
        replay.load_champion(NAME)  # nothing registered yet: a clear error, no guess
    first = fixtures.register_tiny_model(pipe, **register, alias="champion", threshold=0.3)
    # The register stage refused the next model: it got the alias challenger.
    second = fixtures.register_tiny_model(pipe, **register, alias="challenger", threshold=0.7)
    assert (first, second) == ("1", "2")

    production = replay.load_champion(NAME)
    assert (production.info.version, production.info.alias) == ("1", "champion")
    assert production.threshold == pytest.approx(0.3)
    schedule = flights.head(50)
    np.testing.assert_allclose(
        production.predict_proba(schedule, validate=False),
        pipe.predict_proba(schedule)[:, 1],
    )

    from mlflow import MlflowClient

    MlflowClient(uri, registry_uri=uri).set_registered_model_alias(NAME, "champion", second)
    promoted = replay.load_champion(NAME)
    assert (promoted.info.version, promoted.threshold) == ("2", pytest.approx(0.7))


def test_monitor_stage_runs_after_register_and_not_from_models_model() -> None:
    stage = yaml.safe_load((paths.ROOT / "dvc.yaml").read_text())["stages"]["monitor"]
    assert "reports/registry.json" in stage["deps"]
    assert "models/model" not in stage["deps"]

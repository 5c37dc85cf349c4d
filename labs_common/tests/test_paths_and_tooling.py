"""labs_common.paths, seed and tooling: one layout, one seed, offline switches."""

from __future__ import annotations

import os
import random

import numpy as np
import pytest

from labs_common import paths
from labs_common.seed import seed_everything
from labs_common.tooling import OFFLINE_ENV, configure_offline, mlflow_uri


@pytest.mark.parametrize("number", [1, 9])
def test_module_dir_first_and_last(number: int) -> None:
    folder = paths.module_dir(number)
    assert folder.name == paths.MODULES[number - 1] and folder.is_dir()


@pytest.mark.parametrize("number", [0, 10, -1])
def test_module_dir_out_of_range_says_the_range(number: int) -> None:
    with pytest.raises(ValueError, match=rf"module number must be in 1\.\.9, got {number}"):
        paths.module_dir(number)


def test_paths_hang_from_the_root() -> None:
    assert (paths.ROOT / "pyproject.toml").is_file()
    assert paths.PARAMS_PATH == paths.ROOT / "params.yaml"
    assert paths.WAREHOUSE.parent == paths.INTERIM


def test_seed_everything_seeds_every_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONHASHSEED", "0")  # restored after the test
    rng = seed_everything(7)
    first = (random.random(), np.random.random(), rng.random())  # noqa: NPY002
    rng = seed_everything(7)
    assert (random.random(), np.random.random(), rng.random()) == first  # noqa: NPY002
    assert os.environ["PYTHONHASHSEED"] == "7"
    assert seed_everything(8).random() != first[2]


def test_configure_offline_keeps_existing_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DO_NOT_TRACK", "already-set")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:////tmp/elsewhere.db")
    for key in ("DVC_NO_ANALYTICS", "EVIDENTLY_DISABLE_TELEMETRY"):
        monkeypatch.delenv(key, raising=False)
    env = configure_offline()
    assert env["DO_NOT_TRACK"] == "already-set"
    assert env["DVC_NO_ANALYTICS"] == OFFLINE_ENV["DVC_NO_ANALYTICS"]
    assert env["EVIDENTLY_DISABLE_TELEMETRY"] == "1"
    assert env["MLFLOW_TRACKING_URI"] == "sqlite:////tmp/elsewhere.db"
    assert mlflow_uri() == "sqlite:////tmp/elsewhere.db"


def test_mlflow_uri_defaults_to_the_repo_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert mlflow_uri() == f"sqlite:///{paths.MLFLOW_DB}"


def test_a_sandbox_registers_in_its_own_store(tmp_path, monkeypatch) -> None:
    """A registry URI the caller exported must not leak into a sandbox copy's pipeline."""
    from labs_common.sandbox import sandbox_env

    monkeypatch.setenv("MLFLOW_REGISTRY_URI", "sqlite:////course/.mlflow/mlflow.db")
    env = sandbox_env(tmp_path)
    assert env["MLFLOW_REGISTRY_URI"] == env["MLFLOW_TRACKING_URI"]
    assert str(tmp_path) in env["MLFLOW_REGISTRY_URI"] and env["LABS_ROOT"] == str(tmp_path)

"""A small real model for tests and notebooks, built in seconds without ``dvc repro``.

Why it matters: tests of a predictor, a service or a monitor need *a* model, not *the*
model. Fitting the course's own pipeline (the logistic baseline) on a few thousand real
flights gives one with the same inputs, the same skops format and the same registry
tags, so the code under test cannot tell the difference, and nothing depends on the
pipeline having run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from labs_common.data import load_table
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, add_label
from module04_ml_fundamentals.train import build_pipeline, write_lookups

TINY_NAME = "tiny-flight-delay"
TINY_THRESHOLD = 0.2
#: Stated, not inferred: MLflow infers requirements in a subprocess that takes ~20 s here.
_REQUIREMENTS = ["scikit-learn", "pandas", "skops"]


def sample_flights(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """A seeded sample of real 2013 flights with the raw columns (cancelled ones included)."""
    return load_table("flights").sample(n, random_state=seed).reset_index(drop=True)


def fit_tiny_model(folder: Path, flights: pd.DataFrame) -> Pipeline:
    """Fit the logistic pipeline on ``flights``; weather and planes files go into ``folder``."""
    train = add_label(flights)
    pipe = build_pipeline("logreg", **write_lookups(folder))
    return pipe.fit(train[SCHEDULE_COLUMNS], train[LABEL])


def save_model_dir(pipe: Pipeline, folder: Path) -> Path:
    """Save ``pipe`` as an MLflow model folder (what ``models/model`` is)."""
    import mlflow

    from module04_ml_fundamentals.train import TRUSTED_TYPES

    mlflow.sklearn.save_model(
        pipe, str(folder), skops_trusted_types=TRUSTED_TYPES, pip_requirements=_REQUIREMENTS
    )
    return folder


@contextmanager
def _global_tracking_uri(uri: str) -> Iterator[None]:
    """Use ``uri`` as MLflow's global tracking URI, then restore the global and the env var.

    MLflow's fluent API (``start_run``, ``log_model``) and its registry store read the global
    URI; ``set_tracking_uri`` also rewrites ``MLFLOW_TRACKING_URI``, so both are restored.
    """
    import mlflow
    from mlflow.tracking._tracking_service import utils

    previous, env = utils._tracking_uri, os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(previous)
        if env is not None:
            os.environ["MLFLOW_TRACKING_URI"] = env


def register_tiny_model(
    pipe: Pipeline,
    tracking_uri: str,
    artifacts: Path,
    name: str = TINY_NAME,
    alias: str = "champion",
    threshold: float = TINY_THRESHOLD,
) -> str:
    """Log ``pipe`` to the store at ``tracking_uri`` (artifacts under ``artifacts``), register
    it with the tags the register stage sets, point ``alias`` at it; return the version."""
    import mlflow
    from mlflow import MlflowClient

    from module04_ml_fundamentals.train import TRUSTED_TYPES

    client = MlflowClient(tracking_uri, registry_uri=tracking_uri)
    experiment = client.get_experiment_by_name("tiny")
    experiment_id = (
        experiment.experiment_id
        if experiment
        else client.create_experiment("tiny", artifact_location=Path(artifacts).as_uri())
    )
    tags = {"threshold": str(threshold), "threshold_rule": "theoretic", "test_roc_auc": "0.6",
            "data.train.md5": "0" * 32, "git.commit": "test"}  # fmt: skip
    with _global_tracking_uri(tracking_uri):  # the registry resolves models:/m-... with it
        with mlflow.start_run(experiment_id=experiment_id) as run:
            info = mlflow.sklearn.log_model(
                pipe,
                name="model",
                skops_trusted_types=TRUSTED_TYPES,
                pip_requirements=_REQUIREMENTS,
            )
        if not client.search_registered_models(f"name = '{name}'"):
            client.create_registered_model(name)
        version = client.create_model_version(
            name, info.model_uri, run_id=run.info.run_id, tags=tags
        ).version
    client.set_registered_model_alias(name, alias, version)
    return str(version)


@dataclass(frozen=True)
class TinySetup:
    """Everything a test needs: the fitted pipeline, its folder, a registry that holds it."""

    pipe: Pipeline
    flights: pd.DataFrame
    model_dir: Path
    tracking_uri: str
    name: str
    version: str
    metrics_path: Path


def build_tiny_setup(folder: Path) -> TinySetup:
    """Fit the tiny model once and store it as a folder and in a SQLite registry in ``folder``.

    ``metrics_path`` is a ``metrics.json`` with the threshold, as the evaluate stage writes.
    """
    flights = sample_flights()
    pipe = fit_tiny_model(folder / "lookups", flights)
    model_dir = save_model_dir(pipe, folder / "model")
    uri = f"sqlite:///{folder}/mlflow.db"
    version = register_tiny_model(pipe, uri, folder / "artifacts")
    metrics_path = folder / "metrics.json"
    metrics_path.write_text(json.dumps({"threshold": TINY_THRESHOLD, "threshold_rule": "test"}))
    return TinySetup(pipe, flights, model_dir, uri, TINY_NAME, version, metrics_path)


_BUILT: dict[Path, TinySetup] = {}


def shared_tiny_setup(base: Path) -> TinySetup:
    """Build the tiny setup once per ``base`` folder (one pytest session) and reuse it.

    Module 06's and module 08's tests both ask for it; building it takes a few seconds, so
    the first asker builds it under ``base`` and the others get the same one.
    """
    if base not in _BUILT:
        _BUILT[base] = build_tiny_setup(base / "tiny_model")
    return _BUILT[base]

"""The ``train`` stage: module 04's search and pipeline, tracked in MLflow.

Why it matters: the training code (module 04) stays free of tooling; this stage adds
what makes a run traceable and reusable: parameters, metrics, the search table, the data
hashes and git commit, and the fitted pipeline logged as an MLflow model with a signature
and an input example, so any later step loads it by URI.

Outputs: ``models/model`` (the MLflow model directory), ``data/processed/scores.parquet``
(validation and test probabilities for the evaluate stage), ``reports/train.json``
(deterministic metrics) and ``reports/train_run.json`` (the MLflow run and model URI).
"""

from __future__ import annotations

import json
import logging
import shutil
import warnings
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import mlflow
import pandas as pd
import typer
from mlflow.models import infer_signature
from mlflow.models.model import ModelInfo

from labs_common import contract, paths
from labs_common.config import Params, load_params
from labs_common.data import read_table, write_table, write_text
from labs_common.logs import setup_logging
from labs_common.seed import seed_everything
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module04_ml_fundamentals.train import SearchResult, search
from module07_experiments.tracking import TRUSTED_TYPES, lineage_tags, use_experiment

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

EXPERIMENT = contract.EXPERIMENT
SCORE_COLUMNS = list(contract.SCORE_COLUMNS)


def fit_best(parts: dict[str, pd.DataFrame], params: Params, raw_dir: Path) -> SearchResult:
    """Search the grid of ``params.train`` on the training months, scored on validation."""
    seed_everything(params.train.seed)
    kind = params.train.model
    return search(
        parts["train"][[*SCHEDULE_COLUMNS, LABEL]],
        parts["valid"],
        getattr(params.train.search, kind),
        kind=kind,
        weather_path=str(raw_dir / "weather.parquet"),
        planes_path=str(raw_dir / "planes.parquet"),
        use_weather=params.features.use_weather,
        decision_hours=params.features.decision_hours,
        seed=params.train.seed,
    )


def score_parts(pipeline: object, parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Probabilities of the validation and test flights, with what evaluate needs."""
    frames = []
    for name in ("valid", "test"):
        part = parts[name]
        frames.append(
            pd.DataFrame(
                {
                    "split": name,
                    "month": part["month"].astype(int),
                    "carrier": part["carrier"].astype(str),
                    "origin": part["origin"].astype(str),
                    "y": part[LABEL].astype(int),
                    "proba": pipeline.predict_proba(part[SCHEDULE_COLUMNS])[:, 1].round(8),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[SCORE_COLUMNS]


def log_model(pipeline: object, example: pd.DataFrame) -> ModelInfo:
    """Log the fitted pipeline (skops format) with its signature and an input example."""
    with warnings.catch_warnings():
        # MLflow hints, on every run, that integer columns cannot hold missing values. The
        # schedule's integer columns (date, times, flight number) are never missing: the
        # contract and the service's request schema both require them.
        warnings.filterwarnings("ignore", message="Hint: Inferred schema contains integer")
        signature = infer_signature(example, pipeline.predict_proba(example)[:, 1])
        return mlflow.sklearn.log_model(
            pipeline,
            name="model",
            signature=signature,
            input_example=example,
            skops_trusted_types=TRUSTED_TYPES,
            pip_requirements=_requirements(),
        )


def _requirements() -> list[str]:
    # Stated, not inferred: inference starts a subprocess and takes seconds.
    return [f"{pkg}=={version(pkg)}" for pkg in ("scikit-learn", "pandas", "numpy", "skops")]


@dataclass
class TrainRun:
    """What one tracked training run produced: the search, the scores, the logged model."""

    result: SearchResult
    scores: pd.DataFrame
    valid_auc: float
    info: ModelInfo
    run_id: str


def tracked_search(
    parts: dict[str, pd.DataFrame], params: Params, raw_dir: Path, files: dict[str, Path]
) -> TrainRun:
    """Run the search inside an MLflow run: lineage, parameters, search table, model.

    Why it matters: everything needed to trust or reproduce the model is logged by the
    same run that made it, so nothing has to be matched up by hand afterwards.
    """
    use_experiment(EXPERIMENT)
    with mlflow.start_run() as run:
        mlflow.set_tags(lineage_tags(files))
        mlflow.log_params({"model": params.train.model, **params.features.model_dump()})
        result = fit_best(parts, params, raw_dir)
        mlflow.log_params(result.best_params)
        mlflow.log_table(result.results, "search.json")
        scores = score_parts(result.pipeline, parts)
        valid_auc = float(result.results["valid_roc_auc"].max())
        mlflow.log_metric("valid_roc_auc", valid_auc)
        info = log_model(result.pipeline, parts["test"][SCHEDULE_COLUMNS].head(5))
    return TrainRun(result, scores, valid_auc, info, run.info.run_id)


def write_run(trained: TrainRun, model: str, report: Path, run_report: Path) -> None:
    """Write ``reports/train.json`` (deterministic) and ``reports/train_run.json`` (the run)."""
    summary = {
        "model": model,
        "best_params": trained.result.best_params,
        "valid_roc_auc": round(trained.valid_auc, 6),
        "candidates": len(trained.result.results),
    }
    write_text(json.dumps(summary, indent=2) + "\n", report)
    info = trained.info
    run_info = {"run_id": trained.run_id, "model_uri": info.model_uri, "model_id": info.model_id}
    write_text(json.dumps(run_info, indent=2) + "\n", run_report)


@app.command()
def main(
    split_dir: Path = paths.PROCESSED,
    raw_dir: Path = paths.RAW,
    model_dir: Path = contract.MODEL_DIR,
    scores_path: Path = contract.SCORES,
    report: Path = contract.TRAIN_REPORT,
    run_report: Path = contract.TRAIN_RUN,
    params_path: Path = paths.PARAMS_PATH,
) -> None:
    """Read the split, search, log the run to MLflow, write the model and the scores."""
    setup_logging()
    params = load_params(params_path)
    files = {name: Path(split_dir) / path.name for name, path in contract.SPLITS.items()}
    parts = {name: read_table(path) for name, path in files.items()}
    trained = tracked_search(parts, params, raw_dir, files)
    write_table(trained.scores, scores_path)
    _save_model_dir(trained.info.model_uri, model_dir)
    write_run(trained, params.train.model, report, run_report)
    log.info(
        "Best %s, validation ROC AUC %.4f; run %s",
        trained.result.best_params,
        trained.valid_auc,
        trained.run_id,
    )


def _save_model_dir(model_uri: str, target: Path) -> None:
    """Copy the logged model to ``models/model`` (what DVC versions and Docker bakes in)."""
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    mlflow.artifacts.download_artifacts(artifact_uri=model_uri, dst_path=str(tmp))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)


if __name__ == "__main__":
    app()

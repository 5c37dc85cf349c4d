"""One predictor for batch scoring, the online service and the monitor.

Why it matters: when the batch job and the API load models differently, prepare features
differently or cut at different thresholds, the same flight gets two answers and nobody
can say which one the business acted on. Here there is one way to load a model (a
registry alias or a model directory), one validation (the schedule contract), one feature
path (it travels inside the model) and one decision rule (``probability >= threshold``,
the threshold registered with the model version).
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import contract
from labs_common.artifacts import read_mlmodel
from labs_common.contract import CHAMPION, MODEL_SHA256_TAG
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.fast_path import FAST_ROWS, FewFlightsScorer
from module06_lifecycle.model_files import load_skops_model
from module06_lifecycle.schemas import validate_schedule

log = logging.getLogger(__name__)

DEFAULT_ALIAS = CHAMPION
#: The version tag holding the model file's SHA-256, checked on load when present.
HASH_TAG = MODEL_SHA256_TAG
OUTPUT_COLUMNS = ["probability", "delayed", "model_version"]


class ModelNotFoundError(LookupError):
    """No model where we looked; the message says where and how to make one."""


@dataclass(frozen=True)
class ModelInfo:
    """Where a model came from and how its scores become decisions."""

    name: str
    version: str
    alias: str | None
    source: str
    threshold: float
    threshold_rule: str
    train_md5: str | None = None
    git_commit: str | None = None
    test_roc_auc: float | None = None
    run_id: str | None = None

    def as_dict(self) -> dict:
        """The fields as a plain dict (for JSON and the ``/model`` route)."""
        return asdict(self)


class Predictor:
    """A fitted pipeline and its :class:`ModelInfo`: raw schedule in, decisions out.

    Args:
        model: anything with ``predict_proba(schedule)`` (the course's sklearn Pipeline).
        info: the model's name, version and threshold.
    """

    def __init__(self, model: object, info: ModelInfo) -> None:
        self.model = model
        self.info = info
        # A few flights (the service's requests) skip the pipeline's per-call overhead;
        # the same fitted numbers, so the same probabilities (module06_lifecycle.fast_path).
        self.fast = FewFlightsScorer.from_pipeline(model)

    @property
    def threshold(self) -> float:
        return self.info.threshold

    def predict_proba(self, schedule: pd.DataFrame, validate: bool = True) -> np.ndarray:
        """Return the probability that each flight arrives late (validated by default)."""
        frame = validate_schedule(schedule) if validate else schedule[SCHEDULE_COLUMNS]
        if self.fast is not None and len(frame) <= FAST_ROWS:
            return self.fast.predict_proba(frame)
        return self.model.predict_proba(frame)[:, 1]

    def predict(self, schedule: pd.DataFrame, validate: bool = True) -> pd.DataFrame:
        """Score a schedule: probability, decision at the threshold, model version.

        Why it matters: every caller gets the decision the registered threshold implies,
        so the threshold is a property of the model version, not of each caller's code.

        Args:
            schedule: the raw columns ``SCHEDULE_COLUMNS`` (extra columns are ignored).
            validate: check the schedule contract first; the service turns it off only
                because its pydantic models are built from the same contract.

        Returns:
            One row per flight, in input order, with ``OUTPUT_COLUMNS``.
        """
        proba = self.predict_proba(schedule, validate)
        return pd.DataFrame(
            {
                "probability": proba,
                "delayed": proba >= self.threshold,
                "model_version": self.info.version,
            }
        )


def load_predictor(
    source: str | Path | None = None,
    *,
    name: str | None = None,
    alias: str = DEFAULT_ALIAS,
    threshold: float | None = None,
) -> Predictor:
    """Load a predictor from the registry (default) or from a model directory.

    Args:
        source: ``None`` or ``models:/NAME@ALIAS`` for the registry; a folder with an
            ``MLmodel`` file (``models/model``) for a local model.
        name: the registered model name (default: ``register.model_name`` in params.yaml).
        alias: the alias to resolve when ``source`` is ``None``.
        threshold: overrides the registered threshold (a what-if, never the default).

    Raises:
        ModelNotFoundError: nothing to load at ``source``; the message says how to make it.
    """
    text = str(source) if source is not None else None
    if text is None or text.startswith("models:/"):
        if text is not None:
            name, _, alias = text.removeprefix("models:/").partition("@")
            alias = alias or DEFAULT_ALIAS
        return load_from_registry(name or _default_name(), alias, threshold)
    return load_from_dir(Path(text), threshold)


def load_from_registry(name: str, alias: str, threshold: float | None = None) -> Predictor:
    """Resolve ``name@alias`` in the MLflow registry and load that exact version."""
    import mlflow
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from labs_common.tooling import configure_offline

    uri = configure_offline()["MLFLOW_TRACKING_URI"]
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    try:
        version = client.get_model_version_by_alias(name, alias)
    except MlflowException as exc:
        raise ModelNotFoundError(
            f"no version of model {name!r} has alias {alias!r} in {uri}; run `dvc repro` "
            "(its register stage sets the alias) or load a folder such as models/model"
        ) from exc
    tags = version.tags
    # Resolve the artifacts with this client: mlflow's global URIs may point elsewhere.
    artifacts = client.get_model_version_download_uri(name, version.version)
    with tempfile.TemporaryDirectory() as tmp:
        local = mlflow.artifacts.download_artifacts(artifacts, dst_path=tmp, tracking_uri=uri)
        model = load_skops_model(Path(local), sha256=tags.get(HASH_TAG) or None)
    info = ModelInfo(
        name=name,
        version=str(version.version),
        alias=alias,
        source=f"models:/{name}@{alias}",
        threshold=threshold if threshold is not None else _tag_threshold(tags, name),
        threshold_rule="explicit" if threshold is not None else tags.get("threshold_rule", ""),
        train_md5=tags.get("data.train.md5") or None,
        git_commit=tags.get("git.commit") or None,
        test_roc_auc=float(tags["test_roc_auc"]) if tags.get("test_roc_auc") else None,
        run_id=version.run_id,
    )
    log.info("Loaded %s version %s (%s), threshold %.3f", name, info.version, alias, info.threshold)
    return Predictor(model, info)


def load_from_dir(
    folder: Path, threshold: float | None = None, metrics_path: Path | None = None
) -> Predictor:
    """Load an MLflow model folder; its threshold comes from ``reports/metrics.json``.

    Why it matters: a model folder baked into a Docker image needs no tracking server;
    the evaluate stage's metrics file says which threshold it was chosen with. Only a
    skops file with the types the code trusts is loaded (:mod:`.model_files`).
    """
    folder = Path(folder)
    try:
        meta = read_mlmodel(folder)
    except FileNotFoundError:
        raise ModelNotFoundError(
            f"{folder} is not an MLflow model folder (no MLmodel file); run `dvc repro` to "
            "write models/model, or give the registry URI models:/flight-delay@champion"
        ) from None
    rule, value = _report_threshold(metrics_path or contract.METRICS)
    model_id = meta.get("model_id") or meta.get("model_uuid") or "unknown"
    info = ModelInfo(
        name=_default_name(),
        version=f"local-{model_id}",
        alias=None,
        source=str(folder),
        threshold=threshold if threshold is not None else value,
        threshold_rule="explicit" if threshold is not None else rule,
        run_id=meta.get("run_id"),
    )
    model = load_skops_model(folder)
    log.info("Loaded %s from %s, threshold %.3f", info.version, folder, info.threshold)
    return Predictor(model, info)


def _default_name() -> str:
    from labs_common.config import load_params

    return load_params().register.model_name


def _tag_threshold(tags: dict[str, str], name: str) -> float:
    if not tags.get("threshold"):
        raise ModelNotFoundError(
            f"model {name!r} has no 'threshold' tag; register it with "
            "module08_deployment.register, or pass threshold= explicitly"
        )
    return float(tags["threshold"])


def _report_threshold(metrics_path: Path) -> tuple[str, float]:
    """The evaluate stage's threshold, or the cost model's theoretic one when absent."""
    if metrics_path.is_file():
        metrics = json.loads(metrics_path.read_text())
        return metrics.get("threshold_rule", "reports"), float(metrics["threshold"])
    from labs_common.config import load_params
    from module05_business.threshold import theoretic_threshold

    log.warning("%s not found; using the theoretic threshold of params.yaml", metrics_path)
    return "theoretic", theoretic_threshold(load_params().cost)

"""The ``register`` stage: put the new model in the MLflow registry, promote it only if it earns it.

Why it matters: "the latest model" is not a deployment policy. A new version becomes
``champion`` (the alias the service loads) only if it passes gates set in params.yaml: a
quality floor, no regression against the current champion *on the same test data*, and a
bounded gap between the best and worst carrier or airport. Otherwise it is registered as
``challenger``, and ``reports/registry.json`` says why.
"""

from __future__ import annotations

import json
import logging
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import mlflow
import numpy as np
import numpy.typing as npt
import pandas as pd
import typer
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.metrics import roc_auc_score

from labs_common import contract, paths
from labs_common.config import CostParams, RegisterParams, load_params
from labs_common.contract import CHALLENGER, CHAMPION
from labs_common.contract import MODEL_SHA256_TAG as HASH_TAG
from labs_common.data import read_table, write_text
from labs_common.label import LABEL
from labs_common.logs import setup_logging
from labs_common.metrics import probability_metrics
from module05_business.slices import slice_report
from module06_lifecycle.model_files import load_skops_model, sha256_of, skops_file
from module07_experiments.tracking import use_experiment

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

#: Version tags the service and the monitor read (threshold, lineage, quality).
TAG_KEYS = contract.VERSION_TAGS


@dataclass
class Decision:
    """The outcome of the gates: which alias, and the reason for each gate."""

    alias: str
    reasons: list[str] = field(default_factory=list)
    champion_version: int | None = None
    champion_test_roc_auc: float | None = None


def apply_gates(metrics: dict, gates: RegisterParams, champion_auc: float | None) -> Decision:
    """Apply the gates to a candidate's metrics; pure, so it is easy to test.

    Args:
        metrics: the evaluate stage's metrics (``test_roc_auc``, ``max_slice_gap``).
        gates: the ``register`` section of params.yaml.
        champion_auc: the current champion's ROC AUC on the same test data, if any.

    Example:
        >>> g = RegisterParams(model_name="m", min_roc_auc=0.7, max_slice_gap=0.2,
        ...                    min_slice_rows=1, tolerance=0.0)
        >>> apply_gates({"test_roc_auc": 0.71, "max_slice_gap": 0.1}, g, None).alias
        'champion'
    """
    auc, gap = metrics["test_roc_auc"], metrics["max_slice_gap"]
    checks = [
        (auc >= gates.min_roc_auc, f"test ROC AUC {auc:.4f} vs floor {gates.min_roc_auc:.2f}"),
        (
            gap <= gates.max_slice_gap,
            f"largest slice gap {gap:.4f} vs bound {gates.max_slice_gap:.2f}",
        ),
    ]
    if champion_auc is not None:
        checks.append(
            (auc >= champion_auc - gates.tolerance,
             f"test ROC AUC {auc:.4f} vs champion {champion_auc:.4f} (tolerance {gates.tolerance})")
        )  # fmt: skip
    else:
        checks.append((True, "no champion yet"))
    passed = all(ok for ok, _ in checks)
    reasons = [f"{'pass' if ok else 'FAIL'}: {text}" for ok, text in checks]
    return Decision(CHAMPION if passed else CHALLENGER, reasons)


def gate_metrics(
    flights: pd.DataFrame,
    proba: npt.ArrayLike,
    threshold: float,
    costs: CostParams,
    min_rows: int,
) -> dict[str, float | None]:
    """The two numbers :func:`apply_gates` reads, for scores of labelled flights.

    Why it matters: the register lesson, the monitor's challenger-versus-champion duel and
    the evaluate stage must judge a model by the same numbers, or a model promoted in one
    place would be refused in another. ``test_roc_auc`` is None when the flights hold one
    class only (nothing to rank); ``max_slice_gap`` is 0.0 when no carrier or airport has
    ``min_rows`` flights (no slice to compare).

    Args:
        flights: the flights scored, with ``late``, ``carrier`` and ``origin``.
        proba: the model's probability of a late arrival, one per flight.
        threshold: the decision threshold (the slices also report cost).
        costs: the unit costs.
        min_rows: slices smaller than this get no ROC AUC (``register.min_slice_rows``).
    """
    y = flights[LABEL].astype(int).to_numpy()
    scores = pd.DataFrame({"y": y, "proba": np.asarray(proba, dtype=float),
                           "carrier": flights["carrier"].astype(str).to_numpy(),
                           "origin": flights["origin"].astype(str).to_numpy()})  # fmt: skip
    _, gaps = slice_report(scores, threshold, costs, min_rows)
    gap = gaps["overall"]
    return {
        "test_roc_auc": probability_metrics(y, scores["proba"])["roc_auc"],
        "max_slice_gap": 0.0 if gap is None else gap,
    }


def champion_auc_on(
    client: MlflowClient, name: str, test: pd.DataFrame
) -> tuple[str, float] | None:
    """Score the current champion on ``test`` (raw schedule columns + ``late``).

    Why it matters: comparing with the AUC the champion had on *its* test months would
    compare different exams. Re-scoring it on today's test data is a fair comparison.
    """
    try:
        version = client.get_model_version_by_alias(name, CHAMPION)
    except MlflowException:
        return None
    artifacts = client.get_model_version_download_uri(name, version.version)
    with tempfile.TemporaryDirectory() as tmp:  # skops only, the code's types, its hash
        local = Path(mlflow.artifacts.download_artifacts(artifacts, dst_path=tmp))
        model = load_skops_model(local, sha256=version.tags.get(HASH_TAG) or None)
    proba = model.predict_proba(test)[:, 1]
    return int(version.version), float(roc_auc_score(test["late"], proba))


def model_sha256(model_uri: str) -> str:
    """The SHA-256 of the skops file of a logged model (refused if it is not skops)."""
    with tempfile.TemporaryDirectory() as tmp:
        local = Path(mlflow.artifacts.download_artifacts(model_uri, dst_path=tmp))
        return sha256_of(skops_file(local))


def register(
    model_uri: str, metrics: dict, tags: dict, gates: RegisterParams, test: pd.DataFrame
) -> dict:
    """Register ``model_uri`` as a new version of ``gates.model_name`` and set its alias."""
    client = MlflowClient()
    current = champion_auc_on(client, gates.model_name, test)
    decision = apply_gates(metrics, gates, current[1] if current else None)
    if current:
        decision.champion_version, decision.champion_test_roc_auc = current[0], round(current[1], 6)
    tags = {**tags, HASH_TAG: model_sha256(model_uri)}  # checked whenever it is loaded
    version = mlflow.register_model(model_uri, gates.model_name, tags=tags)
    client.set_registered_model_alias(gates.model_name, decision.alias, version.version)
    log.info("Registered %s version %s as %s", gates.model_name, version.version, decision.alias)
    return {"model_name": gates.model_name, "version": int(version.version), **asdict(decision)}


def version_tags(run_id: str, metrics: dict) -> dict[str, str]:
    """The tags a new version carries: the threshold and quality from ``metrics``, the
    lineage (data hash, git commit) from the training run's tags.

    Why it matters: the service reads its decision threshold from these tags and the
    monitor its lineage; copying them onto the version keeps model and facts together.
    """
    run_tags = mlflow.get_run(run_id).data.tags
    return {k: str(metrics.get(k, run_tags.get(k, ""))) for k in TAG_KEYS}


@app.command()
def main(
    run_report: Path = contract.TRAIN_RUN,
    metrics_path: Path = contract.METRICS,
    test_path: Path = contract.TEST_SPLIT,
    report: Path = contract.REGISTRY_REPORT,
    params_path: Path = paths.PARAMS_PATH,
) -> None:
    """Read the run and the metrics, register the model, write reports/registry.json."""
    setup_logging()
    use_experiment(contract.EXPERIMENT)
    run = json.loads(Path(run_report).read_text())
    metrics = json.loads(Path(metrics_path).read_text())
    tags = version_tags(run["run_id"], metrics)
    gates = load_params(params_path).register
    outcome = register(run["model_uri"], metrics, tags, gates, read_table(test_path))
    write_text(json.dumps(outcome, indent=2) + "\n", report)
    for reason in outcome["reasons"]:
        log.info("%s", reason)


if __name__ == "__main__":
    app()

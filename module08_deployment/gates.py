"""Lesson 02, model registration: the gates as a table, and a throw-away registry to run them.

Why it matters: the ``register`` stage (``register.py``) decides which version production
serves. To learn how it decides, run it where nothing is at stake: a temporary SQLite
registry, entered and left with :func:`sandbox_registry`, so the course's own registry
(``.mlflow/``) and the process's MLflow settings are exactly as before afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from labs_common.config import CostParams, RegisterParams
from module08_deployment.register import apply_gates, gate_metrics

MLFLOW_VARS = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
GATES = ("quality floor", "slice gap", "no regression")


@contextmanager
def sandbox_registry(folder: Path) -> Iterator[str]:
    """Point MLflow (environment and globals) at ``folder/registry.db``; restore on exit.

    Why it matters: ``mlflow.set_tracking_uri`` also rewrites ``MLFLOW_TRACKING_URI`` in
    the environment, so a notebook that forgets to undo it sends every later cell (and
    the service it starts) to the wrong store. This puts back both, even after an error.

    Yields:
        The sandbox's URI (``sqlite:///.../registry.db``).
    """
    import mlflow

    before = {name: os.environ.get(name) for name in MLFLOW_VARS}
    uri = f"sqlite:///{Path(folder).resolve() / 'registry.db'}"
    for name in MLFLOW_VARS:
        os.environ[name] = uri
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield uri
    finally:
        mlflow.set_tracking_uri(before["MLFLOW_TRACKING_URI"])
        mlflow.set_registry_uri(before["MLFLOW_REGISTRY_URI"] or before["MLFLOW_TRACKING_URI"])
        for name, value in before.items():  # after the setters, which write the environment
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def gate_table(reasons: list[str]) -> pd.DataFrame:
    """The ``reasons`` of a :class:`~module08_deployment.register.Decision` as a table.

    Example:
        >>> gate_table(["pass: a", "FAIL: b", "pass: no champion yet"])["passed"].tolist()
        [True, False, True]
    """
    rows = []
    for gate, reason in zip(GATES, reasons, strict=True):
        verdict, _, detail = reason.partition(": ")
        rows.append({"gate": gate, "passed": verdict == "pass", "detail": detail})
    return pd.DataFrame(rows)


def what_if(
    cases: dict[str, dict], gates: RegisterParams, champion_auc: float | None
) -> pd.DataFrame:
    """Run :func:`~module08_deployment.register.apply_gates` on named candidate metrics.

    Returns:
        One row per case: the alias it would get and the gates it failed.
    """
    rows = []
    for name, metrics in cases.items():
        decision = apply_gates(metrics, gates, champion_auc)
        failed = gate_table(decision.reasons).query("not passed")["gate"].tolist()
        rows.append({"case": name, **metrics, "alias": decision.alias,
                     "failed gates": ", ".join(failed)})  # fmt: skip
    return pd.DataFrame(rows)


def candidate_metrics(
    model: object, test: pd.DataFrame, threshold: float, costs: CostParams, min_rows: int
) -> dict:
    """The two metrics the gates read for ``model`` on ``test`` (:func:`gate_metrics`).

    Args:
        model: a fitted pipeline (raw schedule columns in, ``predict_proba`` out).
        test: labelled flights (``late``, ``carrier``, ``origin`` and the schedule).
        threshold: the decision threshold (slices also report cost).
        costs: the unit costs.
        min_rows: slices smaller than this get no ROC AUC (``register.min_slice_rows``).
    """
    proba = model.predict_proba(test)[:, 1]
    return gate_metrics(test, proba, threshold, costs, min_rows)

"""Stage ``register``: register the newest tracked model; make it champion only past a gate.

The gate: the test ROC AUC of the evaluate stage must reach ``register.min_roc_auc``. A
model that passes gets the alias ``champion`` (what the service loads); one that fails is
registered as ``challenger``, so it is kept and can be compared, but serves no one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import mlflow
import yaml
from mlflow import MlflowClient

REPORT = Path("reports/registration.json")


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())["register"]
    roc_auc = json.loads(Path("reports/metrics.json").read_text())["roc_auc"]
    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"))
    experiment = mlflow.set_experiment("my-flight-delay")
    newest = mlflow.search_logged_models(experiment_ids=[experiment.experiment_id],
                                         order_by=[{"field_name": "creation_time",
                                                    "ascending": False}],
                                         max_results=1, output_format="list")[0]  # fmt: skip
    version = mlflow.register_model(f"models:/{newest.model_id}", params["model_name"])
    alias = "champion" if roc_auc >= params["min_roc_auc"] else "challenger"
    MlflowClient().set_registered_model_alias(params["model_name"], alias, version.version)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({"version": int(version.version), "alias": alias,
                                  "roc_auc": roc_auc}) + "\n")  # fmt: skip


if __name__ == "__main__":
    main()

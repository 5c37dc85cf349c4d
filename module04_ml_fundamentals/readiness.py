"""What must be true before a model is deployed, checked on the capstone's own outputs.

Why it matters: the MLOps mindset is to treat "the model is good" as a claim that needs
evidence, produced by the pipeline and re-checked on every run, not a number someone
remembers from a notebook. Each check below reads what ``dvc repro`` wrote (the model
directory, ``reports/*.json``, the scores) and says what it saw, so a failing check
names its evidence. Lesson 04 runs them; the ``register`` stage gates on some of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from labs_common import artifacts, contract, paths
from labs_common.config import Params
from labs_common.data import read_table
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module04_ml_fundamentals.leakage import POST_DEPARTURE_COLUMNS

REPORTS = ("train", "train_run", "metrics", "registry")


def load_reports(folder: Path = paths.REPORTS, names: tuple[str, ...] = REPORTS) -> dict:
    """Read ``reports/<name>.json`` for each name; say which stage makes a missing one."""
    reports = {}
    for name in names:
        path = Path(folder) / f"{name}.json"
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found; run `dvc repro` to make the reports")
        reports[name] = json.loads(path.read_text())
    return reports


def read_mlmodel(model_dir: Path = contract.MODEL_DIR) -> dict:
    """Read the ``MLmodel`` file MLflow wrote beside the model: flavors, signature, ids."""
    return artifacts.read_mlmodel(model_dir)


def signature_inputs(mlmodel: dict) -> list[str]:
    """Column names the model's signature promises to accept (empty if it has none)."""
    inputs = (mlmodel.get("signature") or {}).get("inputs") or "[]"
    return [col["name"] for col in json.loads(inputs)]


def load_capstone_model(model_dir: Path = contract.MODEL_DIR) -> object:
    """Load the trained pipeline from ``models/model`` without importing MLflow.

    The model is stored with skops, which runs no code it was not told to trust; the list
    of trusted types is the one MLflow recorded in the ``MLmodel`` file.
    """
    import skops.io

    sklearn_flavor = read_mlmodel(model_dir)["flavors"]["sklearn"]
    path = Path(model_dir) / sklearn_flavor["pickled_model"]
    return skops.io.load(path, trusted=sklearn_flavor.get("skops_trusted_types") or [])


def month_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Per split and month: flights, late share, mean probability, their gap, ROC AUC."""
    rows = []
    for (split, month), part in scores.groupby(["split", "month"], sort=True):
        rows.append({"split": split, "month": month, "flights": len(part),
                     "late_share": part["y"].mean(), "mean_proba": part["proba"].mean(),
                     "roc_auc": roc_auc_score(part["y"], part["proba"])})  # fmt: skip
    table = pd.DataFrame(rows).set_index(["split", "month"])
    return table.assign(calibration_gap=table["mean_proba"] - table["late_share"])


def reproduces_scores(
    model: object, test: pd.DataFrame, scores: pd.DataFrame, rows: int = 2000
) -> float:
    """Largest difference between the loaded model's test probabilities and ``scores``."""
    recorded = scores.loc[scores["split"] == "test", "proba"].to_numpy()[:rows]
    fresh = model.predict_proba(test[SCHEDULE_COLUMNS].head(rows))[:, 1]
    return float(np.max(np.abs(fresh - recorded)))


def quality_checks(
    params: Params, metrics: dict, months: pd.DataFrame, max_calibration_gap: float = 0.05
) -> list[tuple[str, bool, str]]:
    """Is the model good enough, everywhere, in the months after its training?"""
    reg, test = params.register, months.loc["test"]
    worst, gap = test["roc_auc"].idxmin(), test["calibration_gap"].abs()
    return [
        ("beats the best rule without a model", metrics["cost_saving_vs_best_trivial"] > 0,
         f"saves {metrics['cost_saving_vs_best_trivial']:.1%} of the cost per test flight"),
        ("test ROC AUC above the floor", metrics["test_roc_auc"] >= reg.min_roc_auc,
         f"{metrics['test_roc_auc']:.3f} vs floor {reg.min_roc_auc}"),
        ("every test month above the floor", test["roc_auc"].min() >= reg.min_roc_auc,
         f"worst month {worst}: {test['roc_auc'].min():.3f} vs floor {reg.min_roc_auc}"),
        ("calibrated in every test month", gap.max() <= max_calibration_gap,
         f"largest |mean proba - late share| {gap.max():.3f} (month {gap.idxmax()}) "
         f"vs {max_calibration_gap}"),
        ("similar quality across slices", metrics["max_slice_gap"] <= reg.max_slice_gap,
         f"largest ROC AUC gap {metrics['max_slice_gap']:.3f} vs bound {reg.max_slice_gap}"),
    ]  # fmt: skip


def process_checks(
    params: Params, reports: dict, mlmodel: dict, score_gap: float
) -> list[tuple[str, bool, str]]:
    """Was the model made in a way we can trust, trace and repeat?"""
    inputs, s, registry = signature_inputs(mlmodel), params.split, reports["registry"]
    leaky = sorted(set(inputs) & {*POST_DEPARTURE_COLUMNS, "arr_delay", LABEL})
    run_id = reports["train_run"].get("run_id")
    return [
        ("inputs are known at the decision time", bool(inputs) and not leaky,
         f"signature has {len(inputs)} inputs; known only after departure: {leaky}"),
        ("validated and tested on later months", max(s.train_months) < min(s.valid_months),
         f"train {s.train_months}, valid {s.valid_months}, test {s.test_months}"),
        ("reproduces its recorded scores", score_gap < 1e-6,
         f"largest difference from scores.parquet {score_gap:.1e}"),
        ("traceable to a run and its data", bool(run_id),
         f"MLflow run {run_id}, model {mlmodel.get('model_id')}"),
        ("registered through the gates", registry.get("alias") == "champion",
         f"{registry.get('model_name')} v{registry.get('version')} alias {registry.get('alias')}"),
    ]  # fmt: skip


def readiness_checks(
    params: Params,
    reports: dict,
    months: pd.DataFrame,
    mlmodel: dict,
    score_gap: float,
    max_calibration_gap: float = 0.05,
) -> pd.DataFrame:
    """Evaluate the pre-deployment checklist; one row per check: passed, evidence.

    Args:
        params: the pipeline's parameters (floors and bounds of the ``register`` stage).
        reports: :func:`load_reports` output.
        months: :func:`month_table` of the pipeline's scores.
        mlmodel: :func:`read_mlmodel` output.
        score_gap: :func:`reproduces_scores` output.
        max_calibration_gap: largest |mean probability - late share| allowed per test month.
    """
    checks = process_checks(params, reports, mlmodel, score_gap) + quality_checks(
        params, reports["metrics"], months, max_calibration_gap
    )
    table = pd.DataFrame(checks, columns=["check", "passed", "evidence"]).set_index("check")
    return table.astype({"passed": bool})


def capstone_readiness(params: Params, max_calibration_gap: float = 0.05) -> pd.DataFrame:
    """Run :func:`readiness_checks` on the repository's own model, reports and scores."""
    reports = load_reports()
    scores = read_table(contract.SCORES)
    test = read_table(contract.TEST_SPLIT)
    score_gap = reproduces_scores(load_capstone_model(), test, scores)
    return readiness_checks(params, reports, month_table(scores), read_mlmodel(), score_gap,
                            max_calibration_gap)  # fmt: skip

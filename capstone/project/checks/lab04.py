"""Lab 04 (module 04, ML fundamentals): a features stage and a training stage.

The student labels arrived flights (``arr_delay > features.late_minutes``), builds features
known at the decision time, splits by month (``split.*_months``) into
``data/processed/{train,valid,test}.parquet`` and trains ``models/model.joblib``, a model
whose ``predict_proba`` takes a processed table without its ``late`` column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import LEAKS, expected_split, roc_auc, run_pipeline
from capstone.project.checks.lab03 import BLOCKED as BLOCKED_03
from capstone.project.checks.sandbox import CheckFailed, Sandbox

BLOCKED = (*BLOCKED_03, *(f"module04_ml_fundamentals.{m}" for m in
           ("train", "split", "tuning", "selection", "compare")))  # fmt: skip
PARTS = ("train", "valid", "test")

#: Scores a split with the student's model; prints labels and probabilities as JSON.
SCORE = """
import json, sys, joblib, pandas as pd
model = joblib.load("models/model.joblib")
table = pd.read_parquet(f"data/processed/{sys.argv[1]}.parquet")
proba = model.predict_proba(table.drop(columns=["late"]))[:, 1]
print(json.dumps({"late": table["late"].astype(int).tolist(), "proba": proba.tolist()}))
"""


def has_stages(box: Sandbox, names: tuple[str, ...] = ("features", "train")) -> str:
    found = box.stage_names()
    missing = [n for n in names if n not in found]
    if missing:
        raise CheckFailed(f"dvc.yaml has no stage(s) {missing} (stages: {found or 'none'})")
    return f"dvc.yaml has the stages {list(names)}"


def temporal_split(box: Sandbox) -> str:
    params = run_pipeline(box, "train")
    for part in PARTS:
        path = box.root / f"data/processed/{part}.parquet"
        if not path.is_file():
            raise CheckFailed(f"the features stage did not write data/processed/{part}.parquet")
        got = pd.read_parquet(path)
        want = expected_split(params, part)
        for col in ("month", "late"):
            if col not in got:
                raise CheckFailed(f"data/processed/{part}.parquet has no '{col}' column")
        months = sorted(int(m) for m in got["month"].unique())
        if months != params[f"split.{part}_months"] or len(got) != len(want):
            raise CheckFailed(f"with split.{part}_months={params[f'split.{part}_months']}, "
                              f"{part}.parquet has {len(got):,} rows of months {months}; expected "
                              f"{len(want):,} arrived flights")  # fmt: skip
        if int(got["late"].sum()) != int(want["late"].sum()):
            raise CheckFailed(f"with features.late_minutes={params['features.late_minutes']}, "
                              f"{part}.parquet has {int(got['late'].sum()):,} late flights; "
                              f"expected {int(want['late'].sum()):,}")  # fmt: skip
    window = {k: v for k, v in params.items() if k.startswith(("split", "features"))}
    return f"labels and splits right for random parameters {window}"


def no_leakage(box: Sandbox) -> str:
    for part in PARTS:
        columns = pd.read_parquet(box.root / f"data/processed/{part}.parquet").columns
        leaks = sorted(set(LEAKS) & set(columns))
        if leaks:
            raise CheckFailed(f"{part}.parquet keeps {leaks}: they are known only after the "
                              "flight, so a model may not see them")  # fmt: skip
    return "no column known only after the flight"


def model_learns(box: Sandbox) -> str:
    scored = box.python_json(SCORE, "test")
    proba, late = np.asarray(scored["proba"]), np.asarray(scored["late"])
    if len(proba) != len(late) or np.ptp(proba) == 0:
        raise CheckFailed("models/model.joblib gives every test flight the same probability")
    auc = roc_auc(late, proba)
    if not 0.55 <= auc <= 0.9:
        why = "it learned almost nothing" if auc < 0.55 else "it is too good: a leak?"
        raise CheckFailed(f"test ROC AUC {auc:.3f} on the random test month: {why}")
    box.notes["test_auc"] = auc
    return f"test ROC AUC {auc:.3f} on month {box.notes['params']['split.test_months']}"


def declared_params(box: Sandbox) -> str:
    status = box.dvc("status", "--with-deps", "train")
    if "up to date" not in status:
        raise CheckFailed(f"right after `dvc repro train`, `dvc status` is not clean:\n{status}")
    params = box.notes["params"]
    for key, value in (
        ("features.late_minutes", params["features.late_minutes"] + 5),
        ("split.test_months", [m + 1 for m in params["split.test_months"]]),
    ):
        box.set_params({key: value})
        changed = "up to date" not in box.dvc("status", "--with-deps", "train")
        box.set_params({key: params[key]})
        if not changed:
            raise CheckFailed(f"changing {key} leaves `dvc status train` up to date: the "
                              "stages do not declare it")  # fmt: skip
    return "changing features.late_minutes or split.test_months re-runs the stages"


LAB = Lab(
    number=4,
    title="features and training stages, temporal split",
    blocked=BLOCKED,
    steps=(
        Step(
            "features and train stages",
            has_stages,
            "add two stages to dvc.yaml: features (writes data/processed) and train (writes "
            "models/model.joblib), each with its deps, params and outs",
        ),
        Step(
            "temporal split",
            temporal_split,
            "drop flights without arr_delay; late = arr_delay > features.late_minutes; keep a "
            "'month' column; write train/valid/test.parquet with the months in split.*",
        ),
        Step(
            "no leakage",
            no_leakage,
            "drop every column measured on the day of the flight from the processed tables",
        ),
        Step(
            "model learns",
            model_learns,
            "save a fitted model with joblib whose predict_proba takes a processed table "
            "without 'late'; fit it on train.parquet only",
        ),
        Step(
            "params declared",
            declared_params,
            "list the params each stage reads under `params:` in dvc.yaml",
        ),
    ),
)

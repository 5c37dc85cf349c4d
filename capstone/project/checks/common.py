"""What several labs' checks share: the raw data as truth, a random time window, a run.

Why it matters: the check compares the student's outputs with answers it computes itself
from the raw tables, for months it picks at random, so only a pipeline that does the work
can pass.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from capstone.project.checks.sandbox import CheckFailed, Sandbox
from labs_common.data import load_table

#: Columns known only after the flight: a feature built from them leaks the answer.
LEAKS = ("dep_time", "dep_delay", "arr_time", "arr_delay", "air_time")


@lru_cache(maxsize=1)
def raw_flights() -> pd.DataFrame:
    """The package's flights table (the truth the checks compare with)."""
    return load_table("flights")


def choose_window(box: Sandbox) -> dict[str, list[int]]:
    """Pick four consecutive months at random: two to train, one to validate, one to test."""
    if "window" not in box.notes:
        start = box.rng.randint(1, 9)
        box.notes["window"] = {
            "ingest.months": [start, start + 1, start + 2, start + 3],
            "split.train_months": [start, start + 1],
            "split.valid_months": [start + 2],
            "split.test_months": [start + 3],
        }
    return box.notes["window"]


def run_pipeline(box: Sandbox, target: str, extra: dict | None = None) -> dict:
    """Set a random window (and ``extra`` params), then ``dvc repro target`` in the copy."""
    if box.notes.get("ran") == target:
        return box.notes["params"]
    updates = {**choose_window(box), "features.late_minutes": box.rng.randint(10, 40),
               **(extra or {})}  # fmt: skip
    box.set_params(updates)
    box.dvc("repro", target, what=f" with random parameters {updates}")
    box.notes.update(ran=target, params=updates)
    return updates


def expected_split(params: dict, part: str) -> pd.DataFrame:
    """The arrived flights of a split's months, with the label for ``late_minutes``."""
    flights = raw_flights()
    rows = flights[flights["month"].isin(params[f"split.{part}_months"])]
    rows = rows.dropna(subset=["arr_delay"])
    return rows.assign(late=(rows["arr_delay"] > params["features.late_minutes"]).astype(int))


def require_columns(frame: pd.DataFrame, columns: list[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CheckFailed(f"{where} has no column(s) {missing}; it has {list(frame.columns)}")


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, score))

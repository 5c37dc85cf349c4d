from __future__ import annotations

import doctest
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from module07_experiments import miniproject as mp


def _data(n: int = 2000, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    hour = rng.integers(5, 23, n)
    late = (rng.random(n) < 0.05 + 0.02 * (hour - 5)).astype(int)
    return {"month": rng.integers(1, 13, n), "dep_hour": hour, "carrier": rng.integers(0, 4, n),
            "origin": rng.integers(0, 3, n), "late": late}  # fmt: skip


def test_roc_auc_matches_sklearn_with_ties() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 500)
    score = rng.integers(0, 10, 500) / 10  # many ties
    assert mp.roc_auc(y, score) == pytest.approx(roc_auc_score(y, score))


def test_roc_auc_needs_both_classes() -> None:
    with pytest.raises(ValueError, match="both classes, got 0 positive"):
        mp.roc_auc(np.zeros(3, int), np.array([0.1, 0.2, 0.3]))


def test_group_rates_learns_the_hour_effect() -> None:
    params = {"by": ["dep_hour"], "smoothing": 10, "train_months": 8}
    metrics = mp.group_rates(_data(), params)
    assert metrics["test_roc_auc"] > 0.6
    assert metrics["groups"] == 18
    assert metrics["test_rows"] == int((_data()["month"] > 8).sum())
    by_carrier = mp.group_rates(_data(), {**params, "by": ["carrier"]})
    assert by_carrier["test_roc_auc"] < metrics["test_roc_auc"]  # carrier carries no signal


@pytest.mark.parametrize(
    ("change", "message"),
    [({"by": ["tailnum"]}, "train.by may use"), ({"train_months": 12}, "no train or no test")],
    ids=["unknown-column", "no-test-months"],
)
def test_group_rates_rejects_bad_params(change: dict, message: str) -> None:
    params = {"by": ["dep_hour"], "smoothing": 10, "train_months": 8, **change}
    with pytest.raises(ValueError, match=message):
        mp.group_rates(_data(), params)


def test_miniproject_docstring_examples_run() -> None:
    assert doctest.testmod(mp).failed == 0


@pytest.mark.slow
def test_mini_project_repro_is_a_no_op_the_second_time_and_runs_experiments(
    tmp_path: Path,
) -> None:
    import dvc.api

    d = _data(3000)
    flights = pd.DataFrame({"month": d["month"], "sched_dep_time": d["dep_hour"] * 100 + 5,
                            "carrier": d["carrier"].astype(str), "origin": "EWR",
                            "late": d["late"]})  # fmt: skip
    root = mp.make_mini_project(tmp_path / "mini", flights, rows=3000)
    assert "Running stage 'train'" in mp.run_dvc(root, "repro")
    assert "didn't change" in mp.run_dvc(root, "repro")
    baseline = json.loads((root / "metrics.json").read_text())
    mp.git(root, "add", "-A")
    mp.git(root, "commit", "-qm", "baseline")
    mp.run_dvc(root, "exp", "run", "-S", "train.smoothing=0", "-n", "raw-rates")
    rows = {r["Experiment"] or r["rev"]: r for r in dvc.api.exp_show(repo=str(root))}
    assert rows["raw-rates"]["train.smoothing"] == 0
    assert rows["master"]["test_roc_auc"] == baseline["test_roc_auc"]
    with pytest.raises(RuntimeError, match=r"failed to reproduce .train."):
        mp.run_dvc(root, "exp", "run", "-S", "train.by=[tailnum]")

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labs_common.config import CostParams, RegisterParams
from module08_deployment.gates import (
    candidate_metrics,
    gate_table,
    sandbox_registry,
    what_if,
)
from module08_deployment.register import CHALLENGER, CHAMPION

GATES = RegisterParams(model_name="m", min_roc_auc=0.70, max_slice_gap=0.15,
                       min_slice_rows=50, tolerance=0.002)  # fmt: skip
COSTS = CostParams(missed_delay=4.0, false_alert=1.0)


def test_sandbox_registry_points_mlflow_there_and_restores_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlflow

    course = f"sqlite:///{tmp_path}/course.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", course)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    mlflow.set_tracking_uri(course)
    with pytest.raises(RuntimeError, match="boom"), sandbox_registry(tmp_path / "box") as uri:
        assert uri == f"sqlite:///{tmp_path / 'box' / 'registry.db'}"
        assert os.environ["MLFLOW_TRACKING_URI"] == os.environ["MLFLOW_REGISTRY_URI"] == uri
        assert mlflow.get_tracking_uri() == mlflow.get_registry_uri() == uri
        raise RuntimeError("boom")  # restored even when a cell fails
    assert os.environ["MLFLOW_TRACKING_URI"] == course
    assert "MLFLOW_REGISTRY_URI" not in os.environ
    assert mlflow.get_tracking_uri() == mlflow.get_registry_uri() == course


def test_gate_table_reads_the_reasons_in_gate_order() -> None:
    table = gate_table(["pass: AUC", "FAIL: gap 0.2", "pass: no champion yet"])
    assert table["gate"].tolist() == ["quality floor", "slice gap", "no regression"]
    assert table["passed"].tolist() == [True, False, True]
    assert table["detail"].iloc[1] == "gap 0.2"
    with pytest.raises(ValueError, match="shorter"):
        gate_table(["pass: only one"])


def test_what_if_names_the_failed_gates() -> None:
    cases = {"good": {"test_roc_auc": 0.72, "max_slice_gap": 0.10},
             "unfair": {"test_roc_auc": 0.72, "max_slice_gap": 0.20},
             "worse": {"test_roc_auc": 0.69, "max_slice_gap": 0.10}}  # fmt: skip
    table = what_if(cases, GATES, champion_auc=0.71).set_index("case")
    assert table["alias"].to_dict() == {"good": CHAMPION, "unfair": CHALLENGER, "worse": CHALLENGER}
    assert table.loc["unfair", "failed gates"] == "slice gap"
    assert table.loc["worse", "failed gates"] == "quality floor, no regression"


class _ByOrigin:
    """A stub model: a fixed score per origin airport, noise-free."""

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        p = frame["origin"].map({"EWR": 0.3, "JFK": 0.2, "LGA": 0.1}).to_numpy() + frame["noise"]
        return np.column_stack([1 - p, p])


def test_candidate_metrics_gives_the_auc_and_the_largest_slice_gap() -> None:
    rng = np.random.default_rng(0)
    n = 600
    test = pd.DataFrame({"origin": np.repeat(["EWR", "JFK", "LGA"], n // 3),
                         "carrier": np.tile(["UA", "AA"], n // 2),
                         "late": rng.integers(0, 2, n)})  # fmt: skip
    test["noise"] = test["late"] * 0.05 * (test["origin"] != "LGA") + rng.uniform(0, 0.01, n)
    got = candidate_metrics(_ByOrigin(), test, 0.2, COSTS, min_rows=50)
    assert set(got) == {"test_roc_auc", "max_slice_gap"}
    assert 0.5 < got["test_roc_auc"] < 1
    # EWR and JFK separate late flights perfectly, LGA not at all: a gap of about 0.5.
    assert got["max_slice_gap"] == pytest.approx(0.5, abs=0.1)

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module09_monitoring import experiments as ex
from module09_monitoring import inject
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.reference import Reference, model_scores, reference_positions
from module09_monitoring.tests.conftest import FAST


def test_detected_reads_the_entry_for_each_kind_of_target() -> None:
    entry = {"alerts": ["feature_drift"], "drifted_features": ["distance"],
             "missing_features": ["plane_age", "plane_seats"]}  # fmt: skip
    assert ex.detected(entry, "distance") and not ex.detected(entry, "carrier")
    assert not ex.detected(entry, "calibration")
    assert not ex.detected(entry, "missing"), "all three plane columns must be flagged"
    entry["missing_features"].append("plane_engines")
    assert ex.detected(entry, "missing")


def test_injection_runs_catch_a_longer_route_on_every_seed(
    world: ReplayWorld, reference: Reference
) -> None:
    chosen = {"distance x1.3": ex.INJECTIONS["distance x1.3"]}
    runs = ex.injection_runs(world.model, reference, world.months[2], FAST, 2, chosen)
    assert runs[["injection", "seed"]].values.tolist() == [["distance x1.3", 0],
                                                            ["distance x1.3", 1]]  # fmt: skip
    assert runs["detected"].all()
    assert all("feature_drift" in alerts for alerts in runs["alerts"])


def test_held_out_rows_leave_out_the_reference_sample(world: ReplayWorld) -> None:
    params = FAST.model_copy(update={"reference_rows": 1_000})
    rest = ex.held_out_rows(world.training, params)
    assert len(rest) == len(world.training) - 1_000
    taken = reference_positions(world.training, params)  # what build_reference samples
    assert rest.equals(world.training.drop(index=taken).reset_index(drop=True))


def test_false_alarm_runs_stay_quiet_on_unchanged_training_rows(
    world: ReplayWorld, reference: Reference
) -> None:
    pool = ex.held_out_rows(world.training, FAST)
    runs = ex.false_alarm_runs(world.model, reference, pool, 1500, 2, FAST)
    assert runs["seed"].tolist() == [0, 1]
    assert not runs["retrain"].any()


def test_feature_drift_curve_grows_with_the_change(
    world: ReplayWorld, reference: Reference
) -> None:
    month = world.months[2]
    changes = {f: inject.shift_numeric(month, "distance", f) for f in (1.0, 1.3)}
    curve = ex.feature_drift_curve(world.model, reference, month, "distance", changes)
    assert curve.loc[1.0, "psi"] < curve.loc[1.3, "psi"]
    assert not curve.loc[1.0, "drifted"] and curve.loc[1.3, "drifted"]
    assert (curve["psi_limit"] == reference.psi_limits["distance"]).all()


def test_label_rate_curve_moves_the_rate_not_the_scores(world: ReplayWorld) -> None:
    month = world.months[2]
    scores = model_scores(world.model, month)
    curve = ex.label_rate_curve(month, scores, [0.1, 0.4])
    assert curve["label_rate"].to_numpy() == pytest.approx([0.1, 0.4], abs=1e-3)
    assert curve["mean_score"].nunique() == 1 and curve["mean_score"].iloc[0] == np.mean(scores)
    assert curve.loc[0.4, "calibration_gap"] < curve.loc[0.1, "calibration_gap"]


def test_read_benchmark_tables_the_detection_results(tmp_path: Path) -> None:
    results = {"detection": {"base_month": 10, "base_alerts": [],
                             "distance x1.1": {"target": "distance", "detected": 4, "seeds": 5,
                                               "detected_before": False}},
               "false_alarms": {"pooled_samples": 20, "pooled_with_any_alert": 0}}  # fmt: skip
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    table, false_alarms = ex.read_benchmark(path)
    assert table.index.name == "injected into month 10"
    assert table.loc["distance x1.1", "detected"] == 4
    assert false_alarms["pooled_samples"] == 20
    with pytest.raises(FileNotFoundError, match=r"benchmarks\.monitoring\.bench"):
        ex.read_benchmark(tmp_path / "nope.json")


def test_read_benchmark_reads_the_committed_results() -> None:
    table, false_alarms = ex.read_benchmark()
    assert isinstance(table, pd.DataFrame) and len(table) >= 4
    assert false_alarms["pooled_samples"] >= 1

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.monitor import monitor_month, period_of
from module09_monitoring.reference import Reference, model_scores
from module09_monitoring.tests.conftest import FAST

SUMMARY_KEYS = {"month", "drift_share", "drifted_features", "roc_auc", "retrain"}


def test_period_of_names_one_month_or_a_range() -> None:
    one = pd.DataFrame({"year": [2013, 2013], "month": [9, 9]})
    many = pd.DataFrame({"year": [2013, 2013], "month": [11, 9]})
    assert period_of(one) == (9, "2013-09")
    assert period_of(many) == ([9, 11], "2013-09_to_2013-11")


def _run(world: ReplayWorld, reference: Reference, flights: pd.DataFrame, **kw: object) -> dict:
    return monitor_month(
        flights,
        model_scores(world.model, flights),
        world.model,
        reference,
        kw.pop("params", FAST),
        **kw,
    )


def test_monitor_month_summarises_a_labelled_month(
    world: ReplayWorld, reference: Reference
) -> None:
    entry = _run(world, reference, world.months[3])
    assert set(entry) >= SUMMARY_KEYS
    assert entry["month"] == 12
    assert entry["labelled_rows"] == len(world.months[3])
    assert 0.5 < entry["roc_auc"] < 1
    assert entry["label_rate"] == pytest.approx(world.months[3]["late"].mean(), abs=1e-6)
    assert entry["quality_report"] == "written"


def test_monitor_month_without_labels_skips_quality_and_says_so(
    world: ReplayWorld, reference: Reference, caplog: pytest.LogCaptureFixture
) -> None:
    flights = world.months[0].drop(columns=["late"])
    with caplog.at_level(logging.WARNING):
        entry = _run(world, reference, flights)
    assert entry["roc_auc"] is None and entry["label_rate"] is None
    assert entry["quality_report"] == "skipped: 0 labelled rows (< 500)"
    assert "quality report skipped" in caplog.text
    assert not {"calibration", "quality", "label_shift"} & set(entry["alerts"])


def test_monitor_month_counts_only_the_labels_that_arrived(
    world: ReplayWorld, reference: Reference
) -> None:
    flights = world.months[1].copy()
    flights["late"] = flights["late"].astype(float)
    flights.loc[flights.index[:1100], "late"] = np.nan
    entry = _run(world, reference, flights)
    assert entry["labelled_rows"] == len(flights) - 1100
    assert entry["quality_report"].startswith("skipped")


def test_monitor_month_refuses_to_write_reports_without_the_decision_threshold(
    world: ReplayWorld, reference: Reference, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="needs threshold= to write reports"):
        _run(world, reference, world.months[0], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == [], "nothing half-written"


def test_monitor_month_writes_reports_that_agree_with_the_summary(
    world: ReplayWorld, reference: Reference, tmp_path: Path
) -> None:
    params = FAST.model_copy(update={"html": True})
    entry = _run(world, reference, world.months[0], params=params, out_dir=tmp_path, threshold=0.2)
    folder = tmp_path / "2013-09"
    names = {"data_drift", "prediction_drift", "classification"}
    assert {p.name for p in folder.iterdir()} >= {
        f"{n}.{e}" for n in names for e in ("json", "html")
    }
    detail = json.loads((folder / "monitor.json").read_text())
    assert {k: detail[k] for k in entry} == entry
    tests = json.loads((folder / "data_drift.json").read_text())["tests"]
    failed = sorted(
        t["name"].removeprefix("Value Drift for column ")
        for t in tests
        if t["status"] == "FAIL" and t["name"].startswith("Value Drift")
    )
    assert failed == sorted(entry["drifted_features"])

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module09_monitoring import inject
from module09_monitoring.check import (
    check_flights,
    check_log,
    headline_json,
    read_flights,
    with_labels,
)
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.tests.conftest import FAST


@pytest.fixture(scope="module")
def saved(world: ReplayWorld, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The world's model as a folder and its training rows as Parquet (what the CLI reads)."""
    from module06_lifecycle.fixtures import save_model_dir

    folder = tmp_path_factory.mktemp("check")
    world.training.to_parquet(folder / "train.parquet")
    return {
        "model": save_model_dir(world.model, folder / "model"),
        "training": folder / "train.parquet",
    }


def test_with_labels_leaves_cancelled_flights_unlabelled() -> None:
    out = with_labels(pd.DataFrame({"arr_delay": [3.0, 40.0, np.nan]}), 15)
    assert out["late"].tolist()[:2] == [0.0, 1.0] and np.isnan(out["late"].iloc[2])


@pytest.mark.parametrize(
    ("content", "name", "error", "match"),
    [
        (None, "absent.parquet", FileNotFoundError, "not found"),
        (b"not a parquet file", "bad.parquet", ValueError, "cannot read"),
        (b"a,b\n1,2\n", "columns.csv", ValueError, "missing column"),
        (b"x.txt", "notes.txt", ValueError, "expected a .parquet or .csv"),
    ],
    ids=["missing", "garbage", "columns", "suffix"],
)
def test_read_flights_explains_unreadable_input(
    tmp_path: Path, content: bytes | None, name: str, error: type, match: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=match):
        read_flights(path)


def test_read_flights_rejects_rows_that_break_the_contract(
    world: ReplayWorld, tmp_path: Path
) -> None:
    bad = world.months[0].assign(sched_dep_time=2575)
    bad.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ValueError, match="sched_dep_time"):
        read_flights(tmp_path / "bad.csv")


@pytest.mark.slow  # saves and loads an MLflow model
def test_check_flights_reports_a_csv_month_with_labels(
    world: ReplayWorld, saved: dict, tmp_path: Path
) -> None:
    world.months[2].drop(columns=["late"]).to_csv(tmp_path / "nov.csv", index=False)
    entry = check_flights(tmp_path / "nov.csv", saved["training"], saved["model"], FAST)
    assert entry["month"] == 11
    assert entry["labelled_rows"] == len(world.months[2])  # labels rebuilt from arr_delay
    assert entry["roc_auc"] is not None


@pytest.mark.slow  # saves and loads an MLflow model
def test_check_flights_finds_injected_drift_without_labels(
    world: ReplayWorld, saved: dict, tmp_path: Path
) -> None:
    moved = inject.shift_numeric(world.months[2], "distance", 1.5)
    moved["distance"] = moved["distance"].clip(upper=4983).round()  # the contract caps it
    moved.drop(columns=["late", "arr_delay"]).to_parquet(tmp_path / "moved.parquet")
    entry = check_flights(tmp_path / "moved.parquet", saved["training"], saved["model"], FAST)
    assert "distance" in entry["drifted_features"]
    assert entry["roc_auc"] is None
    assert list(__import__("json").loads(headline_json(entry)))[:5] == [
        "month",
        "drift_share",
        "drifted_features",
        "roc_auc",
        "retrain",
    ]


@pytest.mark.slow
def test_check_log_reads_a_sqlite_url_as_its_path(
    world: ReplayWorld, saved: dict[str, Path], tmp_path: Path
) -> None:
    from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
    from module08_deployment.prediction_log import SQLiteStore
    from module09_monitoring.reference import model_scores

    flights = world.months[0]
    scores = model_scores(world.model, flights)
    records = flights[SCHEDULE_COLUMNS].to_dict("records")
    rows = [(f"p{i}", "r", "2013-09-30T12:00:00+00:00", "m", "1", 0.2, float(p), int(p >= 0.2),
             *[r[c] for c in SCHEDULE_COLUMNS], None)
            for i, (p, r) in enumerate(zip(scores, records, strict=True))]  # fmt: skip
    store = SQLiteStore(tmp_path / "predictions.db")
    store.connect()
    store.write(rows)
    store.close()
    by_path = check_log(tmp_path / "predictions.db", None, saved["training"], saved["model"], FAST)
    by_url = check_log(f"sqlite:///{tmp_path}/predictions.db", None, saved["training"],
                       saved["model"], FAST)  # fmt: skip
    assert by_url == by_path and by_url["rows"] == len(flights)

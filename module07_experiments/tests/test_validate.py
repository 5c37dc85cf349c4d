from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from labs_common.data import load_tables
from module07_experiments.validate import JOIN_FLOORS, app, explain, validate_tables


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return load_tables()


def test_validate_tables_real_data_passes(tables: dict[str, pd.DataFrame]) -> None:
    report = validate_tables(tables)
    assert report["ok"], explain(report)
    assert set(report["joins"]) == set(JOIN_FLOORS)
    assert report["tables"]["weather"]["warnings"], "the 1,048 mph wind is a known warning"


def _corrupt(flights: pd.DataFrame, how: str) -> pd.DataFrame:
    bad = flights.head(3000).copy()
    if how == "missing-column":
        return bad.drop(columns=["distance"])
    if how == "wrong-dtype":
        return bad.assign(month=bad["month"].astype(str))
    if how == "out-of-range":
        bad.loc[5, "sched_dep_time"] = 2575
        return bad
    return pd.concat([bad, bad.iloc[[10]]], ignore_index=True)  # duplicated key


@pytest.mark.parametrize(
    ("how", "expected"),
    [("missing-column", "distance"), ("wrong-dtype", "flights.month"),
     ("out-of-range", "flights.sched_dep_time"), ("duplicated-key", "year+month+day")],
    ids=["missing-column", "wrong-dtype", "out-of-range", "duplicated-key"],
)  # fmt: skip
def test_validate_tables_corrupted_flights_fail_with_column_and_rule(
    tables: dict[str, pd.DataFrame], how: str, expected: str
) -> None:
    report = validate_tables({**tables, "flights": _corrupt(tables["flights"], how)})
    assert not report["ok"]
    message = explain(report)
    assert expected in message
    assert "rule" in message and "examples" in message


def test_validate_tables_join_floor_breaks(tables: dict[str, pd.DataFrame]) -> None:
    few_planes = tables["planes"].head(100)
    report = validate_tables({**tables, "planes": few_planes})
    assert not report["ok"]
    assert "join flights -> planes" in explain(report)


def test_validate_stage_exits_1_and_leaves_the_report(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Bad raw data: the stage writes its report (to read why), prints it, and exits 1."""
    raw = tmp_path / "raw"
    raw.mkdir()
    broken = {**tables, "flights": _corrupt(tables["flights"], "out-of-range")}
    for name, frame in broken.items():
        frame.to_parquet(raw / f"{name}.parquet")
    report = tmp_path / "validation.json"
    result = CliRunner().invoke(app, ["--raw-dir", str(raw), "--report", str(report)])
    assert result.exit_code == 1
    assert json.loads(report.read_text())["ok"] is False
    assert "flights.sched_dep_time" in explain(json.loads(report.read_text()))

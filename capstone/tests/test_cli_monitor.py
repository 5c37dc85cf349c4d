"""``labs monitor``: JSON on stdout, exit 0 with or without drift, exit 1 on unreadable input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capstone.cli import app
from labs_common import paths

runner = CliRunner()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.parquet", None, "not found"),
        ("garbage.parquet", b"these bytes are not parquet", "cannot read"),
        ("columns.csv", b"a,b\n1,2\n", "missing column"),
    ],
    ids=["missing", "garbage", "columns"],
)
def test_monitor_fails_in_one_line_on_unreadable_input(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["monitor", "--current", str(path)])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_monitor_without_a_file_prints_the_last_replay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "REPORTS", tmp_path)
    result = runner.invoke(app, ["monitor"])
    assert result.exit_code == 1
    assert "dvc repro monitor" in " ".join(result.output.split())
    (tmp_path / "monitoring").mkdir()
    (tmp_path / "monitoring" / "summary.json").write_text('[{"month": 9, "retrain": true}]\n')
    result = runner.invoke(app, ["monitor"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{"month": 9, "retrain": True}]


@pytest.mark.data
@pytest.mark.slow
def test_monitor_prints_json_and_exits_0_when_drift_is_found(tmp_path: Path) -> None:
    from module09_monitoring import inject

    train = pd.read_parquet(paths.PROCESSED / "train.parquet").sample(20_000, random_state=0)
    train.to_parquet(tmp_path / "reference.parquet")
    october = pd.read_parquet(paths.PROCESSED / "valid.parquet").query("month == 10")
    moved = inject.shift_numeric(october.sample(8_000, random_state=0), "distance", 1.3)
    moved["distance"] = moved["distance"].clip(upper=4983).round()
    moved.drop(columns=["late"]).to_csv(tmp_path / "october.csv", index=False)
    result = runner.invoke(
        app,
        [
            "monitor",
            "--current",
            str(tmp_path / "october.csv"),
            "--reference",
            str(tmp_path / "reference.parquet"),
        ],
    )
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert list(entry)[:5] == ["month", "drift_share", "drifted_features", "roc_auc", "retrain"]
    assert entry["month"] == 10
    assert "distance" in entry["drifted_features"]
    assert entry["roc_auc"] is not None  # labels rebuilt from arr_delay

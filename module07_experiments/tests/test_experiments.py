from __future__ import annotations

import subprocess
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient

from labs_common import paths
from module03_architecture.versioning import file_md5
from module07_experiments import experiments as ex


def _search_runs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run_id": ["a", "b"],
            "experiment_id": ["1", "1"],
            "status": ["FINISHED", "FAILED"],
            "start_time": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True),
            "metrics.valid_roc_auc": [0.69, 0.70],
            "params.model": ["hgb", "logreg"],
            "tags.mlflow.user": ["me", "me"],
            "tags.data.train.md5": ["x" * 32, "y" * 32],
            "tags.git.commit": ["abc", "abc-dirty"],
        }
    )


def test_require_pipeline_names_the_missing_files_and_the_fix(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    ex.require_pipeline(tmp_path, ("a.txt",))
    with pytest.raises(FileNotFoundError, match=r"\['b/c.json'\]: run `dvc repro`"):
        ex.require_pipeline(tmp_path, ("a.txt", "b/c.json"))


def test_tidy_runs_keeps_params_metrics_lineage_newest_first() -> None:
    table = ex.tidy_runs(_search_runs_frame())
    assert table["run_id"].tolist() == ["b", "a"]
    assert list(table.columns) == ["run_id", "start_time", "status", "metrics.valid_roc_auc",
                                   "params.model", "data.train.md5", "git.commit"]  # fmt: skip


def test_tidy_runs_of_an_empty_store_has_the_id_columns() -> None:
    assert list(ex.tidy_runs(pd.DataFrame())) == ex.RUN_COLUMNS


def test_check_lineage_says_same_changed_missing_not_recorded(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.csv").write_text(f"{name}\n")
    tags = {"data.a.md5": file_md5(tmp_path / "a.csv"), "data.b.md5": "0" * 32,
            "data.gone.md5": "1" * 32}  # fmt: skip
    files = {"a": tmp_path / "a.csv", "b": tmp_path / "b.csv", "gone": tmp_path / "gone.csv",
             "new": tmp_path / "a.csv"}  # fmt: skip
    table = ex.check_lineage(tags, files).set_index("name")
    assert table["status"].to_dict() == {"a": "same", "b": "changed", "gone": "missing",
                                         "new": "not recorded"}  # fmt: skip


def test_describe_commit_knows_head_and_flags_dirty() -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()  # fmt: skip
    info = ex.describe_commit(f"{head}-dirty")
    assert info["sha"] == head and info["dirty"] and info["known"] and info["subject"]


@pytest.mark.parametrize("recorded", ["unknown", "", "f" * 40], ids=["unknown", "empty", "absent"])
def test_describe_commit_of_an_unknown_commit_is_not_known(recorded: str) -> None:
    info = ex.describe_commit(recorded)
    assert not info["known"] and info["subject"] == ""


def test_exp_table_names_rows_and_drops_empty_columns_and_hashes() -> None:
    rows = [
        {"Experiment": None, "rev": "workspace", "typ": "baseline", "parent": None,
         "State": None, "Executor": None, "auc": 0.61, "train.C": 1.0, "data.npz": "a" * 32},
        {"Experiment": "big-c", "rev": "1a2b3c4", "typ": "branch_base", "parent": None,
         "State": None, "Executor": None, "auc": 0.62, "train.C": 10.0, "data.npz": "a" * 32},
    ]  # fmt: skip
    table = ex.exp_table(rows)
    assert table.index.tolist() == ["workspace", "big-c"]
    assert list(table.columns) == ["rev", "typ", "auc", "train.C"]
    assert "data.npz" in ex.exp_table(rows, keep_hashes=True)


@pytest.mark.slow
def test_runs_table_reads_runs_back_with_lineage(mlflow_tmp: str) -> None:
    for auc in (0.6, 0.7):
        ex.runs_table("lesson")  # sets the experiment, as the train stage does
        with mlflow.start_run():
            mlflow.log_param("model", "hgb")
            mlflow.log_metric("valid_roc_auc", auc)
            mlflow.set_tags({"data.train.md5": "d" * 32, "git.commit": "abc"})
    table = ex.runs_table("lesson")
    assert table["metrics.valid_roc_auc"].tolist() == [0.7, 0.6]
    assert {"data.train.md5", "git.commit", "params.model"} <= set(table.columns)


@pytest.mark.slow
def test_trace_alias_follows_the_alias_to_run_and_lineage(mlflow_tmp: str, tmp_path: Path) -> None:
    with mlflow.start_run() as run:
        mlflow.log_param("model", "hgb")
        mlflow.set_tags({"data.train.md5": "d" * 32, "git.commit": "abc"})
    client = MlflowClient()
    client.create_registered_model("m")
    version = client.create_model_version("m", source=str(tmp_path), run_id=run.info.run_id,
                                          tags={"test_roc_auc": "0.7"})  # fmt: skip
    client.set_registered_model_alias("m", "champion", version.version)
    trace = ex.trace_alias("m", "champion", client)
    assert trace["version"] == 1 and trace["run_id"] == run.info.run_id
    assert trace["lineage"] == {"data.train.md5": "d" * 32, "git.commit": "abc"}
    assert trace["params"] == {"model": "hgb"} and trace["version_tags"]["test_roc_auc"] == "0.7"

from __future__ import annotations

from pathlib import Path

import mlflow
import pytest

from module07_experiments.tracking import file_md5, git_commit, lineage_tags, use_experiment


def test_file_md5_changes_with_one_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("x\n1\n")
    before = file_md5(path)
    path.write_text("x\n2\n")
    assert file_md5(path) != before and len(before) == 32


def test_git_commit_outside_a_repository_is_unknown(tmp_path: Path) -> None:
    assert git_commit(tmp_path) == "unknown"


def test_lineage_tags_name_data_and_code(tmp_path: Path) -> None:
    (tmp_path / "t.parquet").write_bytes(b"data")
    tags = lineage_tags({"train": tmp_path / "t.parquet"})
    assert tags["data.train.md5"] == file_md5(tmp_path / "t.parquet")
    assert "git.commit" in tags


@pytest.mark.slow
def test_use_experiment_keeps_artifacts_beside_the_store(mlflow_tmp: str, tmp_path: Path) -> None:
    first = use_experiment("lesson")
    assert use_experiment("lesson") == first  # idempotent
    location = mlflow.get_experiment(first).artifact_location
    assert location.startswith((tmp_path / "artifacts").as_uri())

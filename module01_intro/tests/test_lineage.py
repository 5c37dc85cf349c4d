"""Tests of the lineage helpers: the artefact chain and DVC-style content hashes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from module01_intro import lineage


def test_lineage_table_fresh_clone(tmp_path: Path) -> None:
    got = lineage.lineage_table(root=tmp_path)
    assert got.index[0] == "raw CSVs"
    assert got.loc["raw CSVs", "exists"]  # the package ships the raw data
    assert not got.drop(index="raw CSVs")["exists"].any()


def test_lineage_table_sees_made_artefacts(tmp_path: Path) -> None:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    got = lineage.lineage_table(root=tmp_path)
    assert got.loc["raw Parquet", "exists"]
    assert not got.loc["model", "exists"]


def test_file_md5_matches_hashlib_and_changes_with_content(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n")
    first = lineage.file_md5(path)
    assert first == hashlib.md5(b"a,b\n1,2\n").hexdigest()
    path.write_text("a,b\n1,3\n")
    assert lineage.file_md5(path) != first


DVC_YAML = """
stages:
  ingest:
    cmd: python -m module03_architecture.ingest
    deps: [module03_architecture/ingest.py, labs_common/data.py]
    outs: [data/raw]
  train:
    cmd: python -m module07_experiments.train
    deps: [data/processed/train.parquet, module04_ml_fundamentals/train.py, module05_business]
    params: [train, {params.yaml: [features.use_weather]}]
    outs: [models/model]
    metrics:
      - reports/train.json:
          cache: false
"""


def test_dvc_stages_splits_data_code_and_outputs(tmp_path: Path) -> None:
    path = tmp_path / "dvc.yaml"
    path.write_text(DVC_YAML)
    got = lineage.dvc_stages(path)
    assert list(got.index) == ["ingest", "train"]
    assert got.loc["ingest", "inputs"] == ""
    assert got.loc["ingest", "code"] == "module03_architecture/ingest.py, labs_common/data.py"
    assert got.loc["train", "inputs"] == "data/processed/train.parquet"
    assert got.loc["train", "code"] == "module04_ml_fundamentals/train.py, module05_business"
    assert got.loc["train", "params"] == "train, features.use_weather"
    assert got.loc["train", "outputs"] == "models/model, reports/train.json"


def test_dvc_stages_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "dvc.yaml"
    path.write_text("")
    assert lineage.dvc_stages(path).empty

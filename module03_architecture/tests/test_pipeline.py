"""Tests of the stage graph: edges from deps/outs, layers, lineage, and agreement with DVC."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from graphlib import CycleError
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from module03_architecture import pipeline

TINY = """
stages:
  ingest:
    cmd: python -m ingest
    deps: [src/ingest.py]
    outs: [data/raw]
  validate:
    cmd: python -m validate
    deps: [data/raw/flights.parquet]
    metrics: [{reports/validation.json: {cache: false}}]
  features:
    cmd: python -m features
    deps: [data/raw, src/features.py]
    outs: [data/processed/features.parquet]
  train:
    cmd: python -m train
    deps: [data/processed/features.parquet]
    params: [train.seed]
    outs: [{models/model.skops: {cache: false}}]
  evaluate:
    cmd: python -m evaluate
    deps: [models/model.skops, data/processed/features.parquet]
    metrics: [{reports/metrics.json: {cache: false}}]
  register:
    cmd: python -m register
    deps: [reports/metrics.json, reports/validation.json]
"""
EXPECTED = [("evaluate", "register"), ("features", "evaluate"), ("features", "train"),
            ("ingest", "features"), ("ingest", "validate"), ("train", "evaluate"),
            ("validate", "register")]  # fmt: skip


@pytest.fixture
def dvc_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "dvc.yaml"
    path.write_text(TINY)
    (tmp_path / "params.yaml").write_text("train: {seed: 1}\n")
    return path


def test_stage_graph_edges_from_deps_and_outs(dvc_yaml: Path) -> None:
    assert pipeline.stage_graph(dvc_yaml) == EXPECTED


def test_stage_graph_no_edge_for_sibling_prefix(tmp_path: Path) -> None:
    path = tmp_path / "dvc.yaml"
    path.write_text("stages:\n  a: {cmd: x, outs: [data/raw]}\n  b: {cmd: y, deps: [data/raw2]}\n")
    assert pipeline.stage_graph(path) == []


def test_execution_layers_group_parallel_stages(dvc_yaml: Path) -> None:
    layers = pipeline.execution_layers(pipeline.stage_graph(dvc_yaml))
    assert layers == [["ingest"], ["features", "validate"], ["train"], ["evaluate"], ["register"]]


def test_execution_layers_keeps_isolated_nodes_and_refuses_cycles() -> None:
    assert pipeline.execution_layers([("a", "b")], ["lonely"]) == [["a", "lonely"], ["b"]]
    with pytest.raises(CycleError):
        pipeline.execution_layers([("a", "b"), ("b", "a")])


def test_lineage_of_a_file_lists_inputs_then_stages(dvc_yaml: Path) -> None:
    got = pipeline.lineage(dvc_yaml, "reports/metrics.json")
    assert got == ["src/features.py", "src/ingest.py", "ingest", "features", "train", "evaluate"]


def test_lineage_of_a_stage_excludes_itself(dvc_yaml: Path) -> None:
    assert pipeline.lineage(dvc_yaml, "validate") == ["src/ingest.py", "ingest"]


def test_lineage_unknown_target_raises(dvc_yaml: Path) -> None:
    with pytest.raises(ValueError, match="no stage is named or writes"):
        pipeline.lineage(dvc_yaml, "nowhere.csv")


def test_draw_stage_graph_one_box_per_stage(dvc_yaml: Path) -> None:
    ax = pipeline.draw_stage_graph(pipeline.stage_graph(dvc_yaml))
    labels = sorted(t.get_text() for t in ax.texts if t.get_text())
    arrows = [t for t in ax.texts if not t.get_text()]
    assert labels == sorted({s for e in EXPECTED for s in e}) and len(arrows) == len(EXPECTED)
    plt.close(ax.figure)


@pytest.mark.slow
def test_stage_graph_matches_dvc_dag(dvc_yaml: Path) -> None:
    dvc = shutil.which("dvc", path=str(Path(os.sys.executable).parent))
    if dvc is None:
        pytest.skip("dvc is not installed next to this Python")
    env = {**os.environ, "DVC_NO_ANALYTICS": "1"}
    subprocess.run([dvc, "init", "--no-scm", "-q"], cwd=dvc_yaml.parent, check=True, env=env)
    dot = subprocess.run([dvc, "dag", "--dot"], cwd=dvc_yaml.parent, check=True, env=env,
                         capture_output=True, text=True).stdout  # fmt: skip
    assert sorted(re.findall(r'"(\w+)" -> "(\w+)"', dot)) == pipeline.stage_graph(dvc_yaml)

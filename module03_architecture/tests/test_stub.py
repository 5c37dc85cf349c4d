"""DVC's own answer to "what reruns?", on the capstone's graph with instant stub stages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from module03_architecture import stub


def test_run_stub_stage_output_follows_its_params_and_deps(tmp_path: Path) -> None:
    a = {"cmd": "x", "deps": ["in.txt"], "params": ["p.k"], "outs": ["out.json", "folder"]}
    b = {"cmd": "y", "deps": ["folder/t.parquet"], "outs": ["z"]}
    stages = {"stages": {"a": a, "b": b}}
    (tmp_path / "dvc.yaml").write_text(yaml.safe_dump(stages))
    (tmp_path / "params.yaml").write_text(yaml.safe_dump({"p": {"k": 1, "other": 1}}))
    (tmp_path / "in.txt").write_text("v1")
    stub.run_stub_stage("a", tmp_path)
    first = (tmp_path / "out.json").read_text()
    assert (tmp_path / "folder" / "t.parquet").read_text() == first  # what b reads exists
    stub.set_param(tmp_path, "p.other", 2)  # a parameter the stage does not read
    stub.run_stub_stage("a", tmp_path)
    assert (tmp_path / "out.json").read_text() == first
    stub.set_param(tmp_path, "p.k", 2)
    stub.run_stub_stage("a", tmp_path)
    assert (tmp_path / "out.json").read_text() != first
    with pytest.raises(KeyError, match=r"p\.missing is not in"):
        stub.set_param(tmp_path, "p.missing", 0)


def test_stages_run_reads_dvc_repro_output() -> None:
    out = "Stage 'train' didn't change, skipping\nRunning stage 'evaluate':\n> cmd\n" \
          "Running stage 'register':\n"  # fmt: skip
    assert stub.stages_run(out) == ["evaluate", "register"]


@pytest.mark.slow
def test_cost_change_reruns_evaluate_register_and_monitor(tmp_path: Path) -> None:
    root = stub.make_stub_project(tmp_path / "stub")
    assert "up to date" in stub.run(root, "dvc", "status")
    stub.set_param(root, "cost.missed_delay", 8.0)
    status = stub.run(root, "dvc", "status")
    assert "evaluate:" in status and "train:" not in status
    assert stub.stages_run(stub.run(root, "dvc", "repro")) == ["evaluate", "register", "monitor"]

"""The real pipeline, end to end: what ``make test`` has just built, and a broken input.

Why it matters: a course repository that only "works on my machine" teaches nothing. ``make
test`` runs ``dvc repro register`` before the tests; in CI that is a fresh clone, so its run
is the end-to-end run from committed files alone, and these tests read what it made (they
skip, saying why, in a workspace that is not up to date). Determinism is checked against
the strongest witness there is: the hashes the committed ``dvc.lock`` records from the run
on the author's machine. A second full run in a copy would repeat the same minutes and
prove less. The monitor stage (the replay) has its own tests.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

from labs_common import contract, paths
from labs_common.artifacts import read_dvc_lock
from labs_common.config import load_params
from labs_common.sandbox import copy_repo, dvc
from module07_experiments.tracking import file_md5

pytestmark = pytest.mark.slow

METRIC_KEYS = {
    "test_roc_auc", "test_pr_auc", "test_log_loss", "threshold", "test_cost",
    "cost_flag_none", "cost_flag_all", "cost_saving_vs_best_trivial", "slices",
}  # fmt: skip
#: Outputs that differ between two clean runs by design: the DuckDB file's internal layout,
#: and what MLflow names afresh each run (run and model ids, registry versions).
VARIES = {
    p.relative_to(paths.ROOT).as_posix()
    for p in (contract.WAREHOUSE, contract.MODEL_DIR, contract.TRAIN_RUN, contract.REGISTRY_REPORT)
}


@pytest.fixture(scope="module")
def built() -> Path:
    """The workspace, reproduced up to ``register`` (``make test`` does it first)."""
    status = dvc(paths.ROOT, "status", "register", check=False)
    if status.returncode != 0 or "up to date" not in status.stdout:
        pytest.skip(f"the workspace pipeline is not up to date; run `dvc repro register`:\n"
                    f"{status.stdout[-600:]}")  # fmt: skip
    return paths.ROOT


def _read(artifact: Path) -> dict:
    return json.loads(artifact.read_text())


def test_pipeline_writes_the_promised_metrics(built: Path) -> None:
    metrics = _read(contract.METRICS)
    assert set(metrics) >= METRIC_KEYS
    assert metrics["test_roc_auc"] >= load_params(built / "params.yaml").register.min_roc_auc
    assert metrics["cost_saving_vs_best_trivial"] > 0
    threshold = _read(contract.THRESHOLD_REPORT)
    assert {"theoretic", "validation_grid", "prior_shift"} <= set(threshold["rules"])
    registry = _read(contract.REGISTRY_REPORT)
    # A workspace that ran before holds a champion already: the version is not always 1.
    assert registry["alias"] == "champion" and registry["version"] >= 1, registry


def test_second_repro_does_nothing(built: Path) -> None:
    again = dvc(built, "repro", "register")
    assert "Running stage" not in again.stdout, again.stdout


def test_params_diff_and_metrics_show_work(built: Path) -> None:
    assert "test_roc_auc" in dvc(built, "metrics", "show").stdout
    assert dvc(built, "params", "diff").returncode == 0


def _uncommitted(root: Path) -> set[str]:
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return {line[3:] for line in out.splitlines()} - {"dvc.lock"}


def _stage_deps(stage: dict) -> dict[str, object]:
    """A stage's inputs as the lock records them (an input that varies by design left out)."""
    deps = {d["path"]: d.get("md5") for d in stage.get("deps", []) if d["path"] not in VARIES}
    return {**deps, "params": stage.get("params")}


def test_a_clean_run_reproduces_the_committed_outputs(built: Path) -> None:
    """Same inputs, same outputs: for every stage up to ``register`` whose code, data and
    params are those the committed ``dvc.lock`` records, each output this run made has the
    hash that lock records (but for :data:`VARIES`)."""
    shown = subprocess.run(["git", "show", "HEAD:dvc.lock"], cwd=built, capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    committed = (yaml.safe_load(shown) or {}).get("stages") or {}
    now, edited = read_dvc_lock(built / "dvc.lock"), _uncommitted(built)
    compared, stale = [], []
    for name, stage in now.items():
        if name not in committed or name == "monitor":
            continue
        if _stage_deps(stage) != _stage_deps(committed[name]):
            if not edited & set(_stage_deps(stage)):
                stale.append(name)
            continue
        outs = {o["path"]: o["md5"] for o in stage.get("outs", []) if o["path"] not in VARIES}
        before = {o["path"]: o["md5"] for o in committed[name].get("outs", [])
                  if o["path"] not in VARIES}  # fmt: skip
        assert outs == before, f"stage {name}: same inputs as the committed run, other outputs"
        compared.append(name)
    assert not stale, (f"the committed dvc.lock is stale for {stale}: their committed "
                       "inputs differ from its record: run `dvc repro`, commit it")  # fmt: skip
    if "evaluate" not in compared:
        pytest.skip(f"uncommitted changes ({sorted(edited)}) feed evaluate: nothing to compare")
    assert {"train", "evaluate"} <= set(compared), compared


def test_bad_data_stops_at_validate_and_touches_nothing(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    dvc(root, "repro", "ingest")
    raw = root / "data" / "raw" / "flights.parquet"
    flights = pd.read_parquet(raw)
    pd.concat([flights, flights.iloc[[7]]]).assign(
        distance=lambda d: d["distance"].astype(str)
    ).to_parquet(raw)
    before = file_md5(raw)
    result = dvc(root, "repro", "--downstream", "validate", check=False)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "flights.distance" in output and "year+month+day" in output
    assert file_md5(raw) == before
    assert not (root / "data" / "interim" / "flights_labelled.parquet").exists()
    assert not (root / "models").exists()

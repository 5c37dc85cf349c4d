"""The real pipeline, end to end, in a fresh copy of the repository (slow: about 2 min).

It runs every stage up to ``register``; ``make test`` itself runs the whole ``dvc repro``
(monitor included) in the workspace before the tests, and the monitor has its own tests.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from labs_common import paths
from labs_common.config import load_params
from labs_common.sandbox import copy_repo, dvc
from module07_experiments.tracking import file_md5

pytestmark = pytest.mark.slow

METRIC_KEYS = {
    "test_roc_auc", "test_pr_auc", "test_log_loss", "threshold", "test_cost",
    "cost_flag_none", "cost_flag_all", "cost_saving_vs_best_trivial", "slices",
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("e2e") / "repo")
    result = dvc(root, "repro", "register", check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root


def _metrics(root: Path) -> dict:
    return json.loads((root / "reports" / "metrics.json").read_text())


def test_pipeline_writes_the_promised_metrics(built: Path) -> None:
    metrics = _metrics(built)
    assert set(metrics) >= METRIC_KEYS
    assert metrics["test_roc_auc"] >= load_params(built / "params.yaml").register.min_roc_auc
    assert metrics["cost_saving_vs_best_trivial"] > 0
    threshold = json.loads((built / "reports" / "threshold.json").read_text())
    assert {"theoretic", "validation_grid", "prior_shift"} <= set(threshold["rules"])
    registry = json.loads((built / "reports" / "registry.json").read_text())
    # The copy may carry the registry it was copied from, so the version is not always 1.
    assert registry["alias"] == "champion" and registry["version"] >= 1


def test_second_repro_does_nothing(built: Path) -> None:
    status = dvc(built, "status", "register")
    assert "up to date" in status.stdout, status.stdout
    again = dvc(built, "repro", "register")
    assert "Running stage" not in again.stdout


def test_params_diff_and_metrics_show_work(built: Path) -> None:
    assert "test_roc_auc" in dvc(built, "metrics", "show").stdout
    assert dvc(built, "params", "diff").returncode == 0


def test_clean_runs_give_identical_metrics(built: Path) -> None:
    """Two clean runs: this one, and the workspace's own when it is up to date."""
    workspace = paths.REPORTS / "metrics.json"
    status = dvc(paths.ROOT, "status", "evaluate", check=False)
    if not workspace.exists() or "up to date" not in status.stdout:
        pytest.skip("the workspace pipeline is not built or not up to date; run `dvc repro`")
    assert _metrics(built) == json.loads(workspace.read_text())


def test_exp_run_with_a_changed_param_is_tracked(built: Path) -> None:
    """`dvc exp run -S` re-runs only the stages that read the param, as an experiment."""
    run = dvc(built, "exp", "run", "-S", "register.tolerance=0.003", "register", check=False)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "Running stage 'register'" in run.stdout and "Running stage 'train'" not in run.stdout
    shown = list(csv.DictReader(io.StringIO(dvc(built, "exp", "show", "--csv").stdout)))
    exp = next(row for row in shown if row["register.tolerance"] == "0.003")
    # The experiment's metrics come from the DVC cache: `!` here means they were not cached.
    assert float(exp["test_roc_auc"]) == pytest.approx(_metrics(built)["test_roc_auc"])


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

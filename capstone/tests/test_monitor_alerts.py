"""``labs monitor --fail-on-drift/--fail-on-alert`` and ``--workspace``, on a small real world.

Why it matters: the scheduled monitor alerts someone only if the command fails when the
data moved, and stays green when it did not. Both cases run the real monitors (PSI on
Evidently's bins, the rules of params.yaml) on flights the test cannot predict in detail:
a fresh sample of the training months, and the same sample with distances stretched.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from capstone.cli import ALERT_EXIT, app
from module04_ml_fundamentals.features import LABEL

runner = CliRunner()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fitted model folder, its training rows, an unchanged and a drifted flights file."""
    from module06_lifecycle.fixtures import save_model_dir
    from module09_monitoring import inject
    from module09_monitoring.fixtures import build_world

    folder = tmp_path_factory.mktemp("alerts")
    built = build_world(folder / "raw", rows_per_month=1500, seed=3)
    files = {
        "model": save_model_dir(built.model, folder / "model"),
        "reference": folder / "t.parquet",
    }
    built.training.to_parquet(files["reference"])
    sample = built.training.sample(4000, random_state=7).drop(columns=[LABEL])
    files["unchanged"] = folder / "unchanged.csv"
    sample.to_csv(files["unchanged"], index=False)
    moved = inject.shift_numeric(sample, "distance", 1.4)
    moved["distance"] = moved["distance"].clip(upper=4983).round()
    files["drifted"] = folder / "drifted.csv"
    moved.to_csv(files["drifted"], index=False)
    return files


def _monitor(world: dict[str, Path], name: str, *extra: str):
    args = ["monitor", "--current", str(world[name]), "--reference", str(world["reference"])]
    return runner.invoke(app, [*args, "--model", str(world["model"]), *extra])


@pytest.mark.slow
def test_fail_on_drift_passes_an_unchanged_sample(world: dict[str, Path]) -> None:
    result = _monitor(world, "unchanged", "--fail-on-drift")
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert entry["drifted_features"] == [] and not entry["prediction_drift"]


@pytest.mark.slow
def test_fail_on_drift_fails_on_drifted_data_and_says_why(world: dict[str, Path]) -> None:
    plain = _monitor(world, "drifted")
    assert plain.exit_code == 0, "without the flag, drift is reported, not failed"
    result = _monitor(world, "drifted", "--fail-on-drift")
    assert result.exit_code == ALERT_EXIT, result.output
    assert "distance" in json.loads(result.stdout)["drifted_features"]
    assert "alert:" in result.output and "distance" in result.output


@pytest.mark.slow
def test_fail_on_alert_fails_on_any_rule(world: dict[str, Path]) -> None:
    result = _monitor(world, "drifted", "--fail-on-alert")
    assert result.exit_code == ALERT_EXIT
    assert json.loads(result.stdout)["alerts"]


@pytest.mark.slow
def test_workspace_receives_the_months_snapshots(world: dict[str, Path], tmp_path: Path) -> None:
    from evidently.ui.workspace import Workspace

    from module09_monitoring.workspace import PROJECT

    space, out = tmp_path / "workspace", tmp_path / "reports"
    result = _monitor(world, "unchanged", "--out", str(out), "--workspace", str(space))
    assert result.exit_code == 0, result.output
    ws = Workspace(str(space))
    (project,) = ws.search_project(PROJECT)
    runs = [ws.get_run(project.id, run_id) for run_id in ws.list_runs(project.id)]
    names = sorted(run.name for run in runs)
    period = json.loads(result.stdout)["period"]  # labelled rows: a quality report too
    reports = ["classification", "data_drift", "prediction_drift"]
    assert names == [f"{period} {name}" for name in reports], names
    assert (out / period / "data_drift.json").is_file()
    again = _monitor(world, "unchanged", "--out", str(out), "--workspace", str(space))
    assert again.exit_code == 0
    assert len(Workspace(str(space)).list_runs(project.id)) == 2 * len(runs), "one project"
    assert PROJECT in _ui_projects(space), "the Evidently UI serves the workspace"


def _ui_projects(space: Path) -> str:
    """Start ``evidently ui`` on the workspace (loopback, offline); return /api/projects."""
    import subprocess
    import sys
    import time

    import httpx

    from module08_deployment.server import free_port
    from module09_monitoring.workspace import ui_command

    port = free_port()
    argv = ui_command(space, port)
    argv[0] = str(Path(sys.executable).with_name("evidently"))
    ui = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            assert ui.poll() is None, f"evidently ui exited with {ui.returncode}"
            try:
                return httpx.get(f"http://127.0.0.1:{port}/api/projects", timeout=5).text
            except httpx.HTTPError:
                time.sleep(1)
        raise TimeoutError("evidently ui did not answer within 120 s")
    finally:
        ui.terminate()
        ui.wait(timeout=30)


def test_workspace_without_out_is_refused(world: dict[str, Path], tmp_path: Path) -> None:
    result = _monitor(world, "unchanged", "--workspace", str(tmp_path / "ws"))
    assert result.exit_code == 1
    assert "--workspace needs --out" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("value", "message"),
    [("mysql://u@h/db", "not supported"), ("sqlite:////nowhere/predictions.db", "does not exist")],
    ids=["unsupported-scheme", "missing-sqlite-file"],
)
def test_log_url_errors_are_one_line(value: str, message: str) -> None:
    result = runner.invoke(app, ["monitor", "--log", value])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


def test_unchanged_sample_is_really_from_the_training_rows(world: dict[str, Path]) -> None:
    sample, training = pd.read_csv(world["unchanged"]), pd.read_parquet(world["reference"])
    assert len(sample) == 4000 and sample["flight"].isin(training["flight"]).all()

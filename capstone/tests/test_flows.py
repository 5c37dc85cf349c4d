"""The Prefect flows run locally (a temporary server), on threads and on a Dask cluster."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from capstone import flows
from module09_monitoring.context import monitoring_context
from module09_monitoring.fixtures import ReplayWorld, build_world
from module09_monitoring.params import MonitorParams
from module09_monitoring.replay import run_replay

#: Small and fast; the quality floor of the gates lowered so a tiny model can be promoted.
PARAMS = MonitorParams(reference_rows=5_000, html=False, promotion_min_roc_auc=0.5)


@pytest.fixture(scope="session")
def prefect() -> Iterator[None]:
    """One temporary Prefect server and database for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture(scope="module")
def world_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReplayWorld, dict[str, str]]:
    """A small world saved as the flows read it: a model folder and Parquet files."""
    from module06_lifecycle.fixtures import save_model_dir

    folder = tmp_path_factory.mktemp("flows")
    world = build_world(folder / "raw", rows_per_month=1200, seed=1)
    files = {
        "model_dir": str(save_model_dir(world.model, folder / "model")),
        "training": str(folder / "train.parquet"),
        "production": str(folder / "production.parquet"),
    }
    world.training.to_parquet(files["training"])
    pd.concat(world.months, ignore_index=True).to_parquet(files["production"])
    return world, files


def test_dvc_repro_argv_uses_this_python() -> None:
    assert flows.dvc_repro_argv(["train"]) == [sys.executable, "-m", "dvc", "repro", "train"]


def test_run_command_raises_with_the_commands_error() -> None:
    argv = [sys.executable, "-c", "import sys; sys.exit('stage broke')"]
    with pytest.raises(RuntimeError, match="stage broke"):
        flows.run_command.fn(argv, ".")


def test_dask_runner_attaches_by_address_or_starts_a_cluster() -> None:
    attached = flows.dask_runner(address="tcp://10.0.0.5:8786")
    assert attached.address == "tcp://10.0.0.5:8786"
    assert flows.dask_runner(workers=3).cluster_kwargs["n_workers"] == 3


@pytest.mark.slow
def test_train_flow_runs_the_command(prefect: None) -> None:
    out = flows.train(command=[sys.executable, "-c", "print('repro done')"])
    assert out == "repro done"


@pytest.mark.slow
def test_batch_score_writes_one_file_per_month(prefect: None, world_files: tuple) -> None:
    world, files = world_files
    out_dir = Path(files["model_dir"]).parent / "scored"
    written = flows.batch_score([9, 12], files["production"], files["model_dir"], str(out_dir))
    assert [Path(p).name for p in written] == ["month=09.parquet", "month=12.parquet"]
    scored = pd.read_parquet(written[1])
    assert len(scored) == len(world.months[3])
    assert scored["probability"].between(0, 1).all()


@pytest.mark.slow
def test_batch_score_on_dask_gives_the_same_scores(prefect: None, world_files: tuple) -> None:
    _, files = world_files
    base = Path(files["model_dir"]).parent
    local = flows.batch_score(
        [10, 11], files["production"], files["model_dir"], str(base / "threads")
    )
    on_dask = flows.batch_score.with_options(task_runner=flows.dask_runner(2, processes=False))
    dask_files = on_dask([10, 11], files["production"], files["model_dir"], str(base / "dask"))
    for a, b in zip(local, dask_files, strict=True):
        pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))


@pytest.mark.slow
def test_batch_score_attaches_to_a_running_scheduler(
    prefect: None, world_files: tuple, loopback_cluster
) -> None:
    from distributed import Client

    _, files = world_files
    base = Path(files["model_dir"]).parent
    local = flows.batch_score([9, 12], files["production"], files["model_dir"], str(base / "here"))
    with loopback_cluster(1) as cluster:
        runner = flows.dask_runner(address=cluster.scheduler_address)
        on_it = flows.batch_score.with_options(task_runner=runner)
        remote = on_it([9, 12], files["production"], files["model_dir"], str(base / "there"))
        ran = set(cluster.scheduler.task_prefixes)
        with Client(cluster.scheduler_address) as client:  # the flow left the cluster running
            assert len(client.scheduler_info()["workers"]) == 1
    assert any("score_partition" in prefix for prefix in ran), ran
    for a, b in zip(local, remote, strict=True):
        pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))


@pytest.mark.slow
def test_monitor_and_retrain_flow_matches_the_dvc_stage(
    prefect: None, world_files: tuple, tmp_path: Path
) -> None:
    world, files = world_files
    entries = flows.monitor_and_retrain(
        months=[9, 10, 11, 12],
        model_dir=files["model_dir"],
        training=files["training"],
        production=[files["production"]],
        raw_dir=str(world.raw_dir),
        out_dir=str(tmp_path / "flow"),
        params=PARAMS,
    )
    summary = json.loads((tmp_path / "flow" / "summary.json").read_text())
    assert summary == entries
    assert [e["month"] for e in summary] == [9, 10, 11, 12]
    threshold = flows._predictor(files["model_dir"]).threshold
    ctx = monitoring_context(threshold, params=PARAMS, raw_dir=world.raw_dir)
    model = flows._predictor(files["model_dir"]).model
    assert run_replay(model, pd.read_parquet(files["training"]), world.months, ctx) == summary


def test_per_month_names_each_task_run_after_its_month() -> None:
    names = []

    class Step:  # the one method of a Prefect task the wrapper uses
        def with_options(self, task_run_name: str) -> object:
            names.append(task_run_name)
            return lambda *args: len(args)

    call = flows._per_month(Step(), "retrain", month_at=2)
    assert call("champion", "history", pd.DataFrame({"month": [11, 11]}), "ctx") == 4
    assert names == ["retrain-11"]

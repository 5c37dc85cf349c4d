"""The served deployment registers with a real Prefect server, and a triggered run completes.

Why it matters: a schedule is only proven by a run the server started. This test starts
``prefect server start`` on loopback (its own PREFECT_HOME), serves the deployment with
``python -m capstone.schedule`` as ``labs schedule`` does, waits for the server to list
it with its cron schedule, triggers one run through the API on a small world, and waits
for that run to complete and write its summary. Bounded: every wait has a deadline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest

from capstone import schedule
from module08_deployment.server import free_port

#: The replay's knobs for a small world (same as the flow tests).
PARAMS = {"reference_rows": 5_000, "html": False, "promotion_min_roc_auc": 0.5}


def test_full_name_is_flow_slash_deployment() -> None:
    assert schedule.full_name() == "monitor_and_retrain/monthly-monitor"


def _wait(what: str, check, seconds: float, procs: list[subprocess.Popen]) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for proc in procs:
            assert proc.poll() is None, f"{proc.args[:4]} exited ({proc.returncode}) before {what}"
        try:
            found = check()
        except Exception:  # noqa: BLE001 - not up yet: any error means "try again"
            found = None
        if found:
            return found
        time.sleep(1)
    raise TimeoutError(f"{what}: not within {seconds:.0f} s")


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A real Prefect server on 127.0.0.1 with its own home; its URL and environment."""
    url = f"http://127.0.0.1:{free_port()}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": url,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path}/mlflow.db"}  # fmt: skip
    port = url.split(":")[2].split("/")[0]
    argv = [str(Path(sys.executable).with_name("prefect")), "server", "start",
            "--host", "127.0.0.1", "--port", port]  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait("server health", lambda: httpx.get(f"{url}/health", timeout=2).json(), 180, [server])
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_served_deployment_registers_and_a_triggered_run_completes(
    prefect_server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from module06_lifecycle.fixtures import save_model_dir
    from module09_monitoring.fixtures import build_world

    url, env = prefect_server
    world = build_world(tmp_path / "raw", rows_per_month=1000, seed=2)
    world.training.to_parquet(tmp_path / "train.parquet")
    pd.concat(world.months, ignore_index=True).to_parquet(tmp_path / "production.parquet")
    parameters = {
        "months": [9],
        "model_dir": str(save_model_dir(world.model, tmp_path / "model")),
        "training": str(tmp_path / "train.parquet"),
        "production": [str(tmp_path / "production.parquet")],
        "raw_dir": str(world.raw_dir),
        "out_dir": str(tmp_path / "monitoring"),
        "params": PARAMS,
    }
    served = subprocess.Popen([sys.executable, "-m", "capstone.schedule", "--cron", "0 6 2 * *"],
                              env=env, stdout=(tmp_path / "serve.log").open("w"),
                              stderr=subprocess.STDOUT)  # fmt: skip
    try:
        with temporary_settings({PREFECT_API_URL: url}):

            def registered() -> object:
                with get_client(sync_client=True) as client:
                    return client.read_deployment_by_name(schedule.full_name())

            deployment = _wait("deployment registered", registered, 180, [served])
            crons = [s.schedule.cron for s in deployment.schedules]
            assert crons == ["0 6 2 * *"], crons
            run = run_deployment(schedule.full_name(), parameters=parameters, timeout=420)
        assert run.state.is_completed(), f"{run.state}\n{(tmp_path / 'serve.log').read_text()}"
        summary = json.loads((tmp_path / "monitoring" / "summary.json").read_text())
        assert [entry["month"] for entry in summary] == [9]
    finally:
        served.terminate()
        served.wait(timeout=60)

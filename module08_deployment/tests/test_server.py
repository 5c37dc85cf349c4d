"""The real server: uvicorn on a free loopback port, HTTP from another process, SIGTERM."""

from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from module06_lifecycle.fixtures import TinySetup
from module08_deployment.prediction_log import read_prediction_log
from module08_deployment.server import free_port, running_server, service_command
from module08_deployment.service.schemas import EXAMPLE_FLIGHT

pytestmark = pytest.mark.slow


def predict_status(client: httpx.Client) -> int:
    return client.post("/predict", json=EXAMPLE_FLIGHT).status_code


def test_uvicorn_serves_and_flushes_the_log_on_sigterm(
    tiny_setup: TinySetup, tmp_path: Path, clean_env: None
) -> None:
    port, db = free_port(), tmp_path / "predictions.db"
    env = {
        "MLFLOW_TRACKING_URI": tiny_setup.tracking_uri,
        "LABS_MODEL_URI": f"models:/{tiny_setup.name}@champion",
        "LABS_PREDICTIONS_DB": str(db),
        "LABS_LOG_FLUSH_SECONDS": "30",  # nothing is written before SIGTERM, unless full
    }
    base = f"http://127.0.0.1:{port}"
    server = running_server(service_command(port), f"{base}/ready", env, tmp_path / "log")
    with server as proc, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/model").json()["version"] == tiny_setup.version
        with ThreadPoolExecutor(4) as pool:
            codes = list(pool.map(lambda _: predict_status(client), range(20)))
        batch = client.post("/predict/batch", json={"flights": [EXAMPLE_FLIGHT] * 30})
        metrics = client.get("/metrics").text
    assert codes == [200] * 20 and batch.status_code == 200
    assert 'labs_http_requests_total{method="POST",route="/predict",status="200"} 20.0' in metrics
    # uvicorn shuts down gracefully on SIGTERM, then re-raises it: exit status -15.
    assert proc.returncode in (0, -signal.SIGTERM), (tmp_path / "log").read_text()
    assert len(read_prediction_log(db)) == 50, "every answered prediction is in the log"

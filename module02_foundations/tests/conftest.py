"""Fixtures of module 02: the real tables, loaded once per test session (about 1 s)."""

from __future__ import annotations

import pandas as pd
import pytest

from labs_common.data import load_table


@pytest.fixture(scope="session")
def flights() -> pd.DataFrame:
    """All 336,776 flights with the course dtypes (do not modify in a test)."""
    return load_table("flights")


@pytest.fixture(scope="session")
def planes() -> pd.DataFrame:
    """The 3,322 planes."""
    return load_table("planes")


@pytest.fixture(scope="session")
def weather() -> pd.DataFrame:
    """The 26,115 hourly weather observations."""
    return load_table("weather")

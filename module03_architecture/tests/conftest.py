"""Fixtures of module 03: one real warehouse per test session, built under a tmp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from module03_architecture.ingest import build_warehouse, write_raw


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five raw tables as Parquet, written once by the ingest stage's own function."""
    out = tmp_path_factory.mktemp("raw")
    write_raw(out)
    return out


@pytest.fixture(scope="session")
def warehouse_path(raw_dir: Path) -> Path:
    """A real warehouse built from ``raw_dir`` (about 6 s, once per session)."""
    db = raw_dir.parent / "warehouse.duckdb"
    build_warehouse(raw_dir, db)
    return db

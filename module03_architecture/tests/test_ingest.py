"""Tests of the ingest stage: raw Parquet files and the warehouse with its views."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from labs_common.config import load_params
from labs_common.data import TABLES, load_table
from module03_architecture.ingest import VIEWS, build_warehouse


def test_write_raw_writes_every_table_with_package_rows(raw_dir: Path) -> None:
    assert sorted(p.stem for p in raw_dir.glob("*.parquet")) == sorted(TABLES)
    airlines = pd.read_parquet(raw_dir / "airlines.parquet")
    assert len(airlines) == len(load_table("airlines"))


def test_write_raw_keeps_timezone_of_time_hour(raw_dir: Path) -> None:
    flights = pd.read_parquet(raw_dir / "flights.parquet", columns=["time_hour"])
    assert str(flights["time_hour"].dt.tz) == "America/New_York"


def test_build_warehouse_has_tables_and_views(warehouse_path: Path) -> None:
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        names = {
            r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
        n_flights = con.execute("SELECT count(*) FROM flights").fetchone()[0]
        n_enriched = con.execute("SELECT count(*) FROM flights_enriched").fetchone()[0]
        monthly = con.execute("SELECT sum(flights) FROM monthly_delays").fetchone()[0]
    assert {*TABLES, *VIEWS} <= names
    assert n_flights == n_enriched == monthly == 336_776


def test_monthly_delays_matches_pandas(warehouse_path: Path, raw_dir: Path) -> None:
    """late_share counts arrived flights only (a cancelled one has no label), as pandas does."""
    flights = pd.read_parquet(raw_dir / "flights.parquet", columns=["month", "arr_delay"])
    arrived = flights.dropna(subset=["arr_delay"])
    late_minutes = load_params().features.late_minutes
    expected = (arrived["arr_delay"] > late_minutes).groupby(arrived["month"]).mean()
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        got = con.execute(
            "SELECT month, sum(late_share * (flights - no_arrival)) / sum(flights - no_arrival)"
            " AS s FROM monthly_delays GROUP BY month ORDER BY month"
        ).df()
    pd.testing.assert_series_equal(
        got.set_index("month")["s"], expected, check_names=False, check_index_type=False
    )


def test_build_warehouse_fails_on_missing_table(tmp_path: Path, raw_dir: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "flights.parquet").write_bytes((raw_dir / "flights.parquet").read_bytes())
    with pytest.raises(duckdb.IOException, match="weather"):
        build_warehouse(tmp_path / "raw", tmp_path / "w.duckdb")
    assert not (tmp_path / "w.duckdb").exists()

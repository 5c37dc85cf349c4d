"""Tests of the warehouse helpers: read-only access, SQL = pandas, features, partitions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from module03_architecture import warehouse as wh


@pytest.fixture
def con(warehouse_path: Path) -> duckdb.DuckDBPyConnection:
    with wh.connect(warehouse_path) as c:
        yield c


def test_connect_is_read_only(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(duckdb.InvalidInputException, match="read-only"):
        con.execute("CREATE TABLE t AS SELECT 1 AS x")


def test_connect_missing_file_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"module03_architecture\.ingest"):
        wh.connect(tmp_path / "nope.duckdb")


def test_query_binds_parameters(warehouse_path: Path, raw_dir: Path) -> None:
    got = wh.query(
        "SELECT count(*) AS n FROM flights WHERE origin = ? AND month = ?",
        ["JFK", 3],
        warehouse_path,
    )
    flights = pd.read_parquet(raw_dir / "flights.parquet", columns=["origin", "month"])
    assert got["n"].iloc[0] == ((flights["origin"] == "JFK") & (flights["month"] == 3)).sum()


@pytest.mark.parametrize("late", [0, 15, 60], ids=["late0", "late15", "late60"])
def test_late_share_sql_agrees_with_pandas(
    con: duckdb.DuckDBPyConnection, raw_dir: Path, late: int
) -> None:
    flights = pd.read_parquet(raw_dir / "flights.parquet")
    in_sql = wh.late_share_sql(con, late)
    in_pandas = wh.late_share_pandas(flights, late)
    assert len(in_sql) == len(in_pandas) > 1000
    pd.testing.assert_frame_equal(in_sql, in_pandas, check_dtype=False)


def test_late_share_pandas_on_tiny_flights(tiny_flights: pd.DataFrame) -> None:
    got = wh.late_share_pandas(tiny_flights, 15)
    known = tiny_flights.dropna(subset=["arr_delay"])
    assert got["flights"].sum() == len(known)
    overall = np.average(got["late_share"], weights=got["flights"])
    assert overall == pytest.approx((known["arr_delay"] > 15).mean())


def test_route_hour_features_serving_row_equals_training_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    train = wh.route_hour_features(con, months=[1, 2, 3], smoothing=50)
    one = wh.route_hour_features(con, months=[1, 2, 3], smoothing=50, route=("JFK", "LAX", 9))
    assert len(one) == 1
    row = train.set_index(["origin", "dest", "hour"]).loc[("JFK", "LAX", 9)]
    assert one["route_late_rate"].iloc[0] == pytest.approx(row["route_late_rate"])


def test_route_hour_features_smoothing_pulls_toward_prior(
    con: duckdb.DuckDBPyConnection, raw_dir: Path
) -> None:
    flights = pd.read_parquet(raw_dir / "flights.parquet", columns=["month", "arr_delay"])
    known = flights[flights["month"].isin([1, 2]) & flights["arr_delay"].notna()]
    prior = (known["arr_delay"] > 15).mean()
    heavy = wh.route_hour_features(con, months=[1, 2], smoothing=1e9)
    np.testing.assert_allclose(heavy["route_late_rate"], prior, rtol=1e-4)


def test_route_hour_features_needs_months(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="at least one month"):
        wh.route_hour_features(con, months=[])


def test_write_partitioned_and_pruning(raw_dir: Path, tmp_path: Path) -> None:
    files = wh.write_partitioned(raw_dir / "flights.parquet", tmp_path / "by_month")
    assert sorted({p.parent.name for p in files}) == sorted(f"month={m}" for m in range(1, 13))
    glob = (tmp_path / "by_month" / "**" / "*.parquet").as_posix()
    sql = f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning=true) WHERE month = 3"
    with duckdb.connect() as c:
        plan = wh.explain_analyze(c, sql)
        n_march = c.execute(sql).fetchone()[0]
        assert wh.time_query(c, sql, repeat=2) > 0
    assert wh.files_scanned(plan) == (1, 12)
    months = pd.read_parquet(raw_dir / "flights.parquet", columns=["month"])["month"]
    assert n_march == (months == 3).sum()


def test_write_partitioned_rejects_sql_in_column(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="plain column name"):
        wh.write_partitioned(tmp_path / "x.parquet", tmp_path, by="month); DROP TABLE x; --")


def test_row_groups_scanned_skips_groups_of_sorted_file(raw_dir: Path, tmp_path: Path) -> None:
    flights = pd.read_parquet(raw_dir / "flights.parquet", columns=["month", "arr_delay"])
    path = tmp_path / "sorted.parquet"
    flights.sort_values("month").to_parquet(path, row_group_size=20_000)
    sql = f"SELECT avg(arr_delay) FROM read_parquet('{path.as_posix()}') WHERE month = 3"
    with duckdb.connect() as c:
        read, total = wh.row_groups_scanned(wh.explain_analyze(c, sql))
    assert total == -(-len(flights) // 20_000) and 1 <= read <= 3


def test_row_groups_scanned_without_line_raises() -> None:
    with pytest.raises(ValueError, match="Row Groups Scanned"):
        wh.row_groups_scanned("Table Scan\nFunction: SEQ_SCAN")


def test_files_scanned_without_line_raises() -> None:
    with pytest.raises(ValueError, match="Scanning Files"):
        wh.files_scanned("Table Scan\nFunction: SEQ_SCAN")


def test_ensure_warehouse_builds_missing(tmp_path: Path, raw_dir: Path) -> None:
    for p in raw_dir.glob("*.parquet"):
        (tmp_path / p.name).write_bytes(p.read_bytes())
    db = wh.ensure_warehouse(tmp_path, tmp_path / "w.duckdb")
    assert wh.query("SELECT count(*) AS n FROM airlines", db_path=db)["n"].iloc[0] == 16

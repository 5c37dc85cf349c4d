from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from module08_deployment.prediction_log import (
    COLUMNS,
    SQLiteStore,
    create_table_sql,
    insert_sql,
    is_dsn,
    open_store,
    read_prediction_log,
)


def make_row(i: int, ts: str = "2026-01-01T00:00:00+00:00") -> tuple:
    schedule = (2013, 11, 1, 545, 855, "AA", 2243, None, "JFK", "MIA", 1089)
    return (f"p{i}", "r1", ts, "flight-delay", "3", 0.2, 0.1 * i, int(0.1 * i >= 0.2), *schedule,
            None)  # fmt: skip


def test_row_helper_matches_the_columns() -> None:
    assert len(make_row(0)) == len(COLUMNS)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("postgresql://u@h/db", True), ("postgres://h/db", True), ("data/p.db", False)],
)
def test_is_dsn_tells_postgres_from_a_file(target: str, expected: bool) -> None:
    assert is_dsn(target) is expected


def test_sql_statements_use_each_dialects_types_and_markers() -> None:
    assert "ts TIMESTAMPTZ NOT NULL" in create_table_sql("postgres")
    assert "delayed INTEGER" in create_table_sql("sqlite")
    assert insert_sql("sqlite").count("?") == len(COLUMNS)
    assert insert_sql("postgres").count("%s") == len(COLUMNS)


def test_sqlite_store_round_trips_rows(tmp_path: Path) -> None:
    store = open_store(tmp_path / "sub" / "p.db")
    assert isinstance(store, SQLiteStore)
    store.connect()
    store.write([make_row(1), make_row(3, "2026-01-01T00:00:01+00:00")])
    store.close()
    log = read_prediction_log(tmp_path / "sub" / "p.db")
    assert list(log.columns) == COLUMNS
    assert log["prediction_id"].tolist() == ["p1", "p3"]
    assert log["delayed"].tolist() == [False, True]
    assert log["ts"].dt.tz is not None and log["tailnum"].isna().all()


def test_sqlite_store_uses_wal_so_readers_do_not_block(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "p.db")
    store.connect()
    mode = sqlite3.connect(tmp_path / "p.db").execute("PRAGMA journal_mode").fetchone()[0]
    store.close()
    assert mode == "wal"


def test_sqlite_store_rejects_a_duplicate_prediction_id(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "p.db")
    store.connect()
    store.write([make_row(1)])
    with pytest.raises(sqlite3.IntegrityError):
        store.write([make_row(2), make_row(1)])
    store.close()
    assert len(read_prediction_log(tmp_path / "p.db")) == 1, "a failed batch writes nothing"


def test_read_prediction_log_of_an_empty_database_has_the_columns(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "empty.db").close()
    log = read_prediction_log(tmp_path / "empty.db")
    assert log.empty and list(log.columns) == COLUMNS


def test_read_prediction_log_says_where_the_file_should_be(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"absent.db does not exist; start the service"):
        read_prediction_log(tmp_path / "absent.db")


@pytest.mark.slow
def test_postgres_store_round_trips_rows(postgres_dsn: str) -> None:
    store = open_store(postgres_dsn)
    store.connect()
    store.write([make_row(1), make_row(3, "2026-01-01T00:00:01+00:00")])
    store.close()
    log = read_prediction_log(postgres_dsn)
    log = log[log["prediction_id"].isin(["p1", "p3"])]  # other tests share the server
    assert log["delayed"].tolist() == [False, True]
    assert log["ts"].iloc[1] == pd.Timestamp("2026-01-01T00:00:01Z")

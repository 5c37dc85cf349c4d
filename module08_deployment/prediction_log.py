"""The prediction log: every prediction the service makes, stored durably and readable later.

Why it matters: a model in production is a black box unless you keep what it saw and what
it said. The monitor (module 09) reads this log to compare production inputs and scores
with training, and joins the real arrival delays once they are known (by the flight key:
date, carrier, flight number, origin, scheduled departure). SQLite is the default (a file,
no server); PostgreSQL is used when a DSN is given (the compose stack does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pandas as pd

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS

TABLE = "predictions"
#: One row per scored flight. ``request_id`` groups the flights of one request.
COLUMNS = [
    "prediction_id",
    "request_id",
    "ts",
    "model_name",
    "model_version",
    "threshold",
    "probability",
    "delayed",
    *SCHEDULE_COLUMNS,
    "time_hour",
]
_TYPES = {"prediction_id": "TEXT PRIMARY KEY", "request_id": "TEXT NOT NULL",
          "ts": "{ts} NOT NULL", "model_name": "TEXT", "model_version": "TEXT",
          "threshold": "{real}", "probability": "{real}", "delayed": "{bool}",
          "year": "INTEGER", "month": "INTEGER", "day": "INTEGER", "sched_dep_time": "INTEGER",
          "sched_arr_time": "INTEGER", "carrier": "TEXT", "flight": "INTEGER", "tailnum": "TEXT",
          "origin": "TEXT", "dest": "TEXT", "distance": "INTEGER", "time_hour": "TEXT"}  # fmt: skip
_DIALECT = {
    "sqlite": {"ts": "TEXT", "real": "REAL", "bool": "INTEGER", "mark": "?"},
    "postgres": {"ts": "TIMESTAMPTZ", "real": "DOUBLE PRECISION", "bool": "BOOLEAN", "mark": "%s"},
}

Row = tuple


def is_dsn(target: str | Path) -> bool:
    """True for a PostgreSQL connection string, False for a SQLite file path."""
    return str(target).startswith(("postgresql://", "postgres://"))


def create_table_sql(dialect: str) -> str:
    """The ``CREATE TABLE IF NOT EXISTS`` statement for ``sqlite`` or ``postgres``."""
    kinds = _DIALECT[dialect]
    cols = ", ".join(f"{c} {_TYPES[c].format(**kinds)}" for c in COLUMNS)
    return f"CREATE TABLE IF NOT EXISTS {TABLE} ({cols})"


def insert_sql(dialect: str) -> str:
    """The parameterised ``INSERT`` of one row (values in :data:`COLUMNS` order)."""
    marks = ", ".join([_DIALECT[dialect]["mark"]] * len(COLUMNS))
    return f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})"


class Store(Protocol):
    """Where rows go. ``connect`` is called in the thread that will write."""

    def connect(self) -> None: ...
    def write(self, rows: Sequence[Row]) -> None: ...
    def check(self) -> None: ...  # raise if a write would fail now (the writer probes)
    def close(self) -> None: ...


class SQLiteStore:
    """A SQLite file in WAL mode: readers (the monitor) never block the writer."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None

    def connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(create_table_sql("sqlite"))
        self._conn.commit()

    def write(self, rows: Sequence[Row]) -> None:
        assert self._conn is not None, "call connect() first"
        with self._conn:  # one transaction per batch
            self._conn.executemany(insert_sql("sqlite"), rows)

    def check(self) -> None:
        """Take the write lock and give it back: raises while another process holds it."""
        assert self._conn is not None, "call connect() first"
        self._conn.execute("BEGIN IMMEDIATE")
        self._conn.execute("ROLLBACK")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PostgresStore:
    """A PostgreSQL table, written with psycopg 3 (one transaction per batch)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._conn = None

    def connect(self) -> None:
        import psycopg

        self._conn = psycopg.connect(self.dsn, connect_timeout=10)
        with self._conn.transaction():
            self._conn.execute(create_table_sql("postgres"))

    def write(self, rows: Sequence[Row]) -> None:
        assert self._conn is not None, "call connect() first"
        pg_rows = [_as_postgres(row) for row in rows]
        with self._conn.transaction(), self._conn.cursor() as cur:
            cur.executemany(insert_sql("postgres"), pg_rows)

    def check(self) -> None:
        """A round trip to the server (raises when the connection is gone)."""
        assert self._conn is not None, "call connect() first"
        with self._conn.transaction():
            self._conn.execute("SELECT 1")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _as_postgres(row: Row) -> Row:
    delayed = COLUMNS.index("delayed")
    return (*row[:delayed], bool(row[delayed]), *row[delayed + 1 :])


def open_store(target: str | Path) -> Store:
    """Return the store for a DSN (PostgreSQL) or a file path (SQLite), not yet connected."""
    return PostgresStore(str(target)) if is_dsn(target) else SQLiteStore(Path(target))


def read_prediction_log(target: str | Path) -> pd.DataFrame:
    """Read the whole prediction log into a frame (empty, with the columns, if none yet).

    Args:
        target: the SQLite file (``data/predictions/predictions.db`` by default) or a
            ``postgresql://`` DSN.

    Returns:
        One row per prediction in time order; ``ts`` is a UTC timestamp, ``delayed`` a bool.
    """
    query = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY ts, prediction_id"
    if is_dsn(target):
        rows = _read_postgres(str(target), query)
    elif Path(target).exists():
        with sqlite3.connect(f"file:{target}?mode=ro", uri=True) as conn:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)
            ).fetchone()
            rows = conn.execute(query).fetchall() if has_table else []
    else:
        raise FileNotFoundError(
            f"{target} does not exist; start the service (`make serve`) and send predictions, "
            "or pass the path set in LABS_PREDICTIONS_DB"
        )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["ts"] = pd.to_datetime(df["ts"], utc=True)
    df["delayed"] = df["delayed"].astype(bool)
    return df


def _read_postgres(dsn: str, query: str) -> list[Row]:
    import psycopg

    with psycopg.connect(dsn, connect_timeout=10) as conn:
        exists = conn.execute("SELECT to_regclass(%s)", (TABLE,)).fetchone()[0]
        return conn.execute(query).fetchall() if exists else []

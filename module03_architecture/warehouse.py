"""Lesson 01, databases in ML systems: query the warehouse that the ``ingest`` stage builds.

Why it matters: a model sees its data through queries. Training and serving must run the
*same* query, or the model meets features in production that it never saw in training
(training/serving skew). Partitions keep those queries fast as the data grows.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from labs_common import paths
from labs_common.data import TABLES
from labs_common.label import is_late, late_sql, resolve_minutes

log = logging.getLogger(__name__)

ROUTE_HOUR = ["origin", "dest", "hour"]

#: The label rule as SQL (labs_common.label), its threshold bound as the parameter ``$late``.
LATE_SHARE_SQL = f"""
    SELECT origin, dest, hour, count(*) AS flights,
           avg({late_sql("$late")}) AS late_share
    FROM flights WHERE arr_delay IS NOT NULL
    GROUP BY origin, dest, hour ORDER BY origin, dest, hour
"""

#: One query for training (every route) and serving (one route): the skew-free feature.
ROUTE_FEATURES_SQL = f"""
    WITH base AS (
        SELECT origin, dest, hour, {late_sql("$late")} AS late
        FROM flights WHERE arr_delay IS NOT NULL AND list_contains($months, month)
    ), prior AS (SELECT avg(late) AS p FROM base)
    SELECT origin, dest, hour, count(*) AS n_flights,
           (sum(late) + $smoothing * any_value(prior.p)) / (count(*) + $smoothing)
               AS route_late_rate
    FROM base CROSS JOIN prior
    WHERE ($origin IS NULL OR origin = $origin) AND ($dest IS NULL OR dest = $dest)
      AND ($hour IS NULL OR hour = $hour)
    GROUP BY origin, dest, hour ORDER BY origin, dest, hour
"""


def connect(db_path: Path = paths.WAREHOUSE, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, read-only by default.

    Why it matters: only the ingest stage writes the warehouse; every reader opens it
    read-only, so a lesson or a service can never corrupt the pipeline's data.

    Raises:
        FileNotFoundError: the warehouse was not built yet.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(
            f"{db_path} does not exist; run `python -m module03_architecture.ingest` first"
        )
    return duckdb.connect(str(db_path), read_only=read_only)


def query(
    sql: str,
    params: Sequence[object] | Mapping[str, object] | None = None,
    db_path: Path = paths.WAREHOUSE,
) -> pd.DataFrame:
    """Run one parametrized SQL query on the warehouse and return a DataFrame.

    Why it matters: values travel as parameters (``$name`` or ``?``), never pasted into the
    SQL string, which prevents SQL injection and lets the database reuse the plan.
    """
    with connect(db_path) as con:
        return con.execute(sql, params).df()


def late_share_sql(con: duckdb.DuckDBPyConnection, late_minutes: int | None = None) -> pd.DataFrame:
    """Late-arrival share by route and scheduled hour, computed in the database."""
    return con.execute(LATE_SHARE_SQL, {"late": resolve_minutes(late_minutes)}).df()


def late_share_pandas(flights: pd.DataFrame, late_minutes: int | None = None) -> pd.DataFrame:
    """The same feature as :func:`late_share_sql`, computed in pandas.

    Why it matters: two implementations of one feature drift apart silently (NULL
    handling, ``>`` versus ``>=``); a test comparing them catches it.
    """
    known = flights.loc[flights["arr_delay"].notna(), [*ROUTE_HOUR, "arr_delay"]]
    known = known.assign(late=is_late(known["arr_delay"], late_minutes).astype(float))
    out = known.groupby(ROUTE_HOUR, observed=True)["late"].agg(flights="size", late_share="mean")
    out = out.reset_index().astype({"origin": str, "dest": str})
    return out.sort_values(ROUTE_HOUR, ignore_index=True)


def route_hour_features(
    con: duckdb.DuckDBPyConnection,
    months: Sequence[int],
    late_minutes: int | None = None,
    smoothing: float = 50.0,
    route: tuple[str, str, int] | None = None,
) -> pd.DataFrame:
    """Smoothed late rate per route and hour, learned from ``months`` only.

    Why it matters: training calls it for every route; serving calls it for one
    ``(origin, dest, hour)``. One function, one SQL text: no training/serving skew.

    Args:
        con: a warehouse connection.
        months: the months the rate may learn from (the past, never the scored month).
        late_minutes: arrival delay above which a flight counts as late (None: params.yaml).
        smoothing: pseudo-count pulling small routes toward the overall rate.
        route: ``(origin, dest, hour)`` to look up one route, or None for all routes.
    """
    if not months:
        raise ValueError("months must name at least one month to learn from, got []")
    origin, dest, hour = route if route else (None, None, None)
    params = {"late": resolve_minutes(late_minutes), "months": [int(m) for m in months],
              "smoothing": smoothing, "origin": origin, "dest": dest, "hour": hour}  # fmt: skip
    return con.execute(ROUTE_FEATURES_SQL, params).df()


def write_partitioned(source: Path, out_dir: Path, by: str = "month") -> list[Path]:
    """Write a Parquet file as a hive-partitioned folder (``out_dir/month=3/...``).

    Why it matters: a query filtering on the partition column then opens only the
    matching folders (partition pruning) instead of scanning the whole table.

    Returns:
        The Parquet files written, sorted.
    """
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", by):
        raise ValueError(f"partition column must be a plain column name, got {by!r}")
    src, out = Path(source).as_posix(), Path(out_dir).as_posix()
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{src}')) TO '{out}' "
            f"(FORMAT PARQUET, PARTITION_BY ({by}), OVERWRITE_OR_IGNORE)"
        )
    files = sorted(Path(out_dir).rglob("*.parquet"))
    log.info("Wrote %d partition files under %s", len(files), out_dir)
    return files


def explain_analyze(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """Return DuckDB's ``EXPLAIN ANALYZE`` plan of ``sql`` as text."""
    return "\n".join(row[1] for row in con.execute(f"EXPLAIN ANALYZE {sql}").fetchall())


def files_scanned(plan: str) -> tuple[int, int]:
    """Read ``Scanning Files: k/n`` from a plan: files opened out of files available.

    Raises:
        ValueError: the plan has no such line (not a partitioned Parquet scan).
    """
    match = re.search(r"Scanning Files:\s*(\d+)\s*/\s*(\d+)", plan)
    if match is None:
        raise ValueError("no 'Scanning Files: k/n' line in the plan; scan a partitioned folder")
    return int(match.group(1)), int(match.group(2))


def row_groups_scanned(plan: str) -> tuple[int, int]:
    """Read ``Row Groups Scanned: k / n`` from a plan: Parquet row groups read out of all.

    Why it matters: Parquet stores min/max per column and row group; a filter skips the
    row groups whose range cannot match. Sorting the data by the filtered column makes
    those ranges narrow, which works like a coarse index.

    Raises:
        ValueError: the plan has no such line (not a Parquet scan).
    """
    match = re.search(r"Row Groups Scanned:\s*(\d+)\s*/\s*(\d+)", plan)
    if match is None:
        raise ValueError("no 'Row Groups Scanned: k / n' line in the plan; scan Parquet files")
    return int(match.group(1)), int(match.group(2))


def time_query(con: duckdb.DuckDBPyConnection, sql: str, repeat: int = 5) -> float:
    """Best wall time in seconds of ``repeat`` runs of ``sql`` (best-of hides noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        best = min(best, time.perf_counter() - start)
    return best


def ensure_warehouse(raw_dir: Path = paths.RAW, db_path: Path = paths.WAREHOUSE) -> Path:
    """Build the raw Parquet files and the warehouse if they are missing; return its path.

    Why it matters: a notebook on a fresh clone should run without `dvc repro` first.
    """
    from module03_architecture.ingest import build_warehouse, write_raw

    if not all((Path(raw_dir) / f"{t}.parquet").exists() for t in TABLES):
        write_raw(Path(raw_dir))
    if not Path(db_path).exists():
        build_warehouse(Path(raw_dir), Path(db_path))
    return Path(db_path)

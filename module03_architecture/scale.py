"""Lesson 02, big data: one aggregation, four engines, on flights scaled up 10x-100x.

Why it matters: pandas needs the whole table in memory, so its peak memory grows with the
data until the machine says no. Streaming the data in chunks, a query engine (DuckDB) and
a parallel frame library (Dask) keep memory flat. ``benchmark.py`` measures them;
``capacity.py`` extrapolates the measurements to the machine's memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from labs_common import paths
from labs_common.data import load_table, read_table
from labs_common.label import is_late, late_sql

log = logging.getLogger(__name__)

COLUMNS = ["year", "month", "day", "carrier", "origin", "dest", "flight", "arr_delay", "distance"]
KEYS = ["carrier", "month"]
_READ = ["carrier", "month", "arr_delay"]
_SUMS = ["flights", "late", "known", "delay_sum"]


def make_scaled_flights(
    flights: pd.DataFrame, factor: int, out_dir: Path, seed: int = 42
) -> list[Path]:
    """Write ``factor`` jittered copies of ``flights`` as Parquet files in ``out_dir``.

    Why it matters: 2013 is small; repeating it with new flight numbers and jittered
    delays gives a realistic table 10x-100x bigger, seeded so every run is the same.

    Returns:
        One file per copy, ``part-0000.parquet``, ``part-0001.parquet``, ...
    """
    if factor < 1:
        raise ValueError(f"factor must be a positive whole number, got {factor}")
    base = flights[COLUMNS].astype({"carrier": str, "origin": str, "dest": str})
    rng = np.random.default_rng(seed)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for old in Path(out_dir).glob("part-*.parquet"):  # a smaller rerun must not mix copies
        old.unlink()
    files = []
    for k in range(factor):
        jitter = rng.integers(-5, 6, len(base)) if k else 0  # copy 0 is the real data
        part = base.assign(flight=base["flight"] + 10_000 * k, arr_delay=base["arr_delay"] + jitter)
        files.append(Path(out_dir) / f"part-{k:04d}.parquet")
        part.to_parquet(files[-1], index=False)
    log.info("Wrote %s rows in %d files to %s", f"{factor * len(base):,}", factor, out_dir)
    return files


def add_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy with the columns whose sums make the aggregate (works on Dask too)."""
    return df.assign(
        flights=1,
        late=is_late(df["arr_delay"]).astype("int64"),
        known=df["arr_delay"].notnull().astype("int64"),
        delay_sum=df["arr_delay"].fillna(0.0),
    )[[*KEYS, *_SUMS]]


def finish_aggregate(sums: pd.DataFrame) -> pd.DataFrame:
    """Combine partial sums into the result: flights, late share and mean delay per key."""
    flat = sums.reset_index() if set(KEYS) & set(sums.index.names or []) else sums
    flat = flat.astype({"carrier": str, "month": "int64"}).groupby(KEYS)[_SUMS].sum()
    out = pd.DataFrame({"flights": flat["flights"].astype("int64"),
                        "late_share": flat["late"] / flat["flights"],
                        "mean_arr_delay": flat["delay_sum"] / flat["known"]})  # fmt: skip
    return out.reset_index().sort_values(KEYS, ignore_index=True)


def aggregate_pandas(folder: Path) -> pd.DataFrame:
    """(a) Load every file into one DataFrame, then group: memory grows with the data."""
    return finish_aggregate(add_counts(pd.read_parquet(folder, columns=_READ)).groupby(KEYS).sum())


def aggregate_chunked(folder: Path, batch_size: int = 500_000) -> pd.DataFrame:
    """(b) Stream record batches file by file; keep only small partial sums.

    Why it matters: memory stays at about one batch whatever the data size. Reading file
    by file with ``ParquetFile.iter_batches`` keeps it so; a ``pyarrow.dataset`` scanner
    reads ahead faster than pandas consumes, and buffered over 1 GB at 100x when we
    measured it.
    """
    parts = [
        add_counts(batch.to_pandas()).groupby(KEYS).sum()
        for path in sorted(Path(folder).glob("*.parquet"))
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_size, columns=_READ)
    ]
    return finish_aggregate(pd.concat(parts))


def aggregate_duckdb(folder: Path) -> pd.DataFrame:
    """(c) Let DuckDB stream the Parquet files: SQL, out of core, on every core."""
    glob = (Path(folder) / "*.parquet").as_posix()
    sql = f"""SELECT carrier, month, count(*) AS flights,
                     coalesce(sum({late_sql()}), 0)::BIGINT AS late,
                     count(arr_delay) AS known, coalesce(sum(arr_delay), 0) AS delay_sum
              FROM read_parquet('{glob}') GROUP BY carrier, month"""
    with duckdb.connect() as con:
        return finish_aggregate(con.execute(sql).df())


def aggregate_dask(folder: Path) -> pd.DataFrame:
    """(d) A Dask dataframe: the pandas API, split into partitions, run in parallel."""
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(folder), columns=_READ)
    return finish_aggregate(add_counts(ddf).groupby(KEYS).sum().compute())


METHODS: dict[str, Callable[[Path], pd.DataFrame]] = {
    "pandas": aggregate_pandas,
    "chunked": aggregate_chunked,
    "duckdb": aggregate_duckdb,
    "dask": aggregate_dask,
}


def load_flights() -> pd.DataFrame:
    """The raw flights: the ingest stage's Parquet file if it exists, else the package's."""
    raw = paths.RAW / "flights.parquet"
    return read_table(raw) if raw.exists() else load_table("flights")

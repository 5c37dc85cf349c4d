"""Lesson 02, big data: one aggregation, four engines, on flights scaled up 10x-100x.

Why it matters: pandas needs the whole table in memory, so its peak memory grows with the
data until the machine says no. Streaming the data in chunks, a query engine (DuckDB) and
a parallel frame library (Dask) keep memory flat; measuring them shows where a single
machine ends and when a cluster starts to pay off.

Run it: ``python -m module03_architecture.scale --factor 10`` (prints a table of timings).
"""

from __future__ import annotations

import logging
import os
import resource
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import typer

from labs_common import paths
from labs_common.data import read_table

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

COLUMNS = ["year", "month", "day", "carrier", "origin", "dest", "flight", "arr_delay", "distance"]
KEYS = ["carrier", "month"]
_READ = ["carrier", "month", "arr_delay"]
#: Where ``main`` writes the scale-up: a temp folder, never the repository.
SCALED_DIR = Path(tempfile.gettempdir()) / "flights_scaled"
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
        late=(df["arr_delay"] > 15).astype("int64"),
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
    """(b) Stream record batches with pyarrow.dataset; keep only small partial sums."""
    parts = [
        add_counts(batch.to_pandas()).groupby(KEYS).sum()
        for batch in ds.dataset(folder, format="parquet").to_batches(
            columns=_READ, batch_size=batch_size
        )
    ]
    return finish_aggregate(pd.concat(parts))


def aggregate_duckdb(folder: Path) -> pd.DataFrame:
    """(c) Let DuckDB stream the Parquet files: SQL, out of core, on every core."""
    glob = (Path(folder) / "*.parquet").as_posix()
    sql = f"""SELECT carrier, month, count(*) AS flights,
                     sum(CASE WHEN arr_delay > 15 THEN 1 ELSE 0 END) AS late,
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


@dataclass(frozen=True)
class Measurement:
    """Wall time and extra peak memory (resident set) of one method on one dataset."""

    method: str
    seconds: float
    peak_mb: float


def _run_isolated(method: str, folder: str) -> tuple[float, float, pd.DataFrame]:
    import dask.dataframe  # noqa: F401 - import before the baseline, like the others

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = METHODS[method](Path(folder))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return seconds, (after - before) / 1024, result


def measure_method(method: str, folder: Path) -> tuple[Measurement, pd.DataFrame]:
    """Run one method in a fresh process; return its time, peak memory and result.

    Why it matters: a process never gives its peak back, so memory is only comparable
    when each method starts in a clean process; ``ru_maxrss`` then counts every byte
    (Python, NumPy, Arrow and DuckDB alike), which ``tracemalloc`` would miss.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; possible values are: {list(METHODS)}")
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        seconds, peak_mb, result = pool.submit(_run_isolated, method, str(folder)).result()
    return Measurement(method, seconds, peak_mb), result


def compare_methods(folder: Path, methods: list[str] | None = None) -> pd.DataFrame:
    """Measure each method on ``folder``, check they agree, return one row per method.

    Raises:
        AssertionError: two methods disagree on the aggregate.
    """
    rows, first = [], None
    for name in methods or list(METHODS):
        m, result = measure_method(name, folder)
        if first is None:
            first = result
        pd.testing.assert_frame_equal(result, first, check_dtype=False, rtol=1e-9)
        rows.append({**m.__dict__, "rows": int(result["flights"].sum())})
    return pd.DataFrame(rows)


def machine_memory_gb() -> float:
    """Physical memory of this machine in GB (Linux and macOS)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9


def max_rows_in_memory(peak_mb: float, rows: int, memory_gb: float) -> int:
    """Rows an in-memory method could hold before ``memory_gb`` runs out, by linear scaling.

    Example:
        >>> max_rows_in_memory(peak_mb=1000, rows=10_000_000, memory_gb=16)
        160000000
    """
    if peak_mb <= 0 or rows <= 0:
        raise ValueError(f"peak_mb and rows must be positive, got {peak_mb} and {rows}")
    return int(memory_gb * 1000 / peak_mb * rows)


@app.command()
def main(factor: int = 10, out_dir: Path = SCALED_DIR) -> None:
    """Scale flights up ``factor`` times and print the four methods' time and memory."""
    from rich.console import Console
    from rich.table import Table

    files = make_scaled_flights(read_table(paths.RAW / "flights.parquet"), factor, out_dir)
    table = Table(title=f"{factor}x flights ({len(files)} files)")
    for col in ("method", "seconds", "peak MB", "rows"):
        table.add_column(col)
    for r in compare_methods(out_dir).itertuples():
        table.add_row(r.method, f"{r.seconds:.2f}", f"{r.peak_mb:,.0f}", f"{r.rows:,}")
    Console().print(table)


if __name__ == "__main__":
    app()

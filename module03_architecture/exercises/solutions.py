"""Reference answers to module 03's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq


def late_share_by_carrier_sql(
    con: duckdb.DuckDBPyConnection, late_minutes: int = 15
) -> pd.DataFrame:
    """Late share of arrived flights per carrier, in SQL with a bound parameter."""
    sql = """SELECT carrier::VARCHAR AS carrier, count(*) AS flights,
                    avg(CASE WHEN arr_delay > $late THEN 1.0 ELSE 0.0 END) AS late_share
             FROM flights WHERE arr_delay IS NOT NULL GROUP BY carrier ORDER BY carrier"""
    return con.execute(sql, {"late": late_minutes}).df()


def flights_from_origin(con: duckdb.DuckDBPyConnection, origin: str) -> int:
    """Number of flights from ``origin``; the value is bound, never pasted into the SQL."""
    return int(con.execute("SELECT count(*) FROM flights WHERE origin = ?", [origin]).fetchone()[0])


def weather_match_share(con: duckdb.DuckDBPyConnection) -> float:
    """Share of flights with a weather row at their origin and scheduled hour."""
    sql = """SELECT avg(CASE WHEN w.origin IS NULL THEN 0.0 ELSE 1.0 END)
             FROM flights f LEFT JOIN weather w
               ON w.origin = f.origin AND w.time_hour = f.time_hour"""
    return float(con.execute(sql).fetchone()[0])


def late_share_by_origin_chunked(folder: Path, batch_size: int = 100_000) -> pd.Series:
    """Late share per origin from streamed record batches: sum counts, divide once."""
    parts = []
    for path in sorted(Path(folder).glob("*.parquet")):
        for batch in pq.ParquetFile(path).iter_batches(batch_size, columns=["origin", "arr_delay"]):
            df = batch.to_pandas().dropna(subset=["arr_delay"])
            df = df.assign(origin=df["origin"].astype(str), late=df["arr_delay"] > 15)
            parts.append(df.groupby("origin")["late"].agg(["sum", "count"]))
    total = pd.concat(parts).groupby(level=0).sum()
    return total["sum"] / total["count"]


def mean_delay_by_origin_duckdb(folder: Path) -> pd.Series:
    """Mean arrival delay per origin, DuckDB streaming the Parquet files."""
    glob = (Path(folder) / "*.parquet").as_posix()
    sql = f"""SELECT origin::VARCHAR AS origin, avg(arr_delay) AS d
              FROM read_parquet('{glob}') GROUP BY origin"""
    with duckdb.connect() as con:
        return con.execute(sql).df().set_index("origin")["d"].sort_index()


def rows_at_memory(rows: list[int], peak_mb: list[float], memory_gb: float) -> float:
    """Rows at which the fitted line ``fixed + slope * rows`` reaches ``memory_gb``."""
    slope, fixed = np.polyfit(np.asarray(rows, dtype=float), np.asarray(peak_mb, dtype=float), 1)
    return float((memory_gb * 1000 - fixed) / slope) if slope > 0 else float("inf")


def model_version_id(code_sha: str, data_md5: str, params: Mapping[str, object]) -> str:
    """A model's id: a hash of its code, its data and its parameters (key order ignored)."""
    payload = json.dumps([code_sha, data_md5, params], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def missing_for_next_level(report: pd.DataFrame) -> list[str]:
    """Missing practices of the lowest incomplete level above 0."""
    missing = report[(report["level"] > 0) & ~report["found"].astype(bool)]
    if missing.empty:
        return []
    return sorted(missing.loc[missing["level"] == missing["level"].min(), "practice"])


def ci_jobs(changed: list[str], pipeline_deps: list[str]) -> set[str]:
    """``test`` for code changes (DevOps), ``repro`` for data, params and stage inputs (MLOps)."""
    jobs = set()
    if any(path.endswith((".py", ".ipynb")) for path in changed):
        jobs.add("test")
    deps = [d.rstrip("/") for d in pipeline_deps]
    if any(
        path in ("params.yaml", "dvc.yaml")
        or any(path == d or path.startswith(d + "/") for d in deps)
        for path in changed
    ):
        jobs.add("repro")
    return jobs


def stages_to_rerun(edges: list[tuple[str, str]], changed: str) -> list[str]:
    """The changed stage and everything downstream, in an order that respects the edges."""
    todo, rerun = [changed], {changed}
    while todo:
        stage = todo.pop()
        for up, down in edges:
            if up == stage and down not in rerun:
                rerun.add(down)
                todo.append(down)
    order = TopologicalSorter({d: {u for u, dd in edges if dd == d} for d in rerun}).static_order()
    return [s for s in order if s in rerun]


def parallel_groups(edges: list[tuple[str, str]]) -> list[list[str]]:
    """Layers of stages whose upstreams all sit in earlier layers."""
    graph: dict[str, set[str]] = {}
    for up, down in edges:
        graph.setdefault(up, set())
        graph.setdefault(down, set()).add(up)
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    layers = []
    while sorter.is_active():
        layers.append(sorted(sorter.get_ready()))
        sorter.done(*layers[-1])
    return layers


def changed_keys(old: pd.DataFrame, new: pd.DataFrame, key: str) -> list[object]:
    """Keys whose row hash differs between versions, plus keys added or removed."""
    h_old = pd.util.hash_pandas_object(old, index=False).set_axis(old[key])
    h_new = pd.util.hash_pandas_object(new, index=False).set_axis(new[key])
    both = h_old.index.intersection(h_new.index)
    edited = both[h_old[both].to_numpy() != h_new[both].to_numpy()]
    added_or_removed = h_old.index.symmetric_difference(h_new.index)
    return sorted([*edited, *added_or_removed])


def handoff_edges(edges: list[tuple[str, str]], owner: Mapping[str, str]) -> list[tuple[str, str]]:
    """Edges whose ends belong to different disciplines, sorted."""
    return sorted((a, b) for a, b in edges if owner[a] != owner[b])

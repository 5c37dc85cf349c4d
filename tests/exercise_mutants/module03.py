"""Wrong answers to module 03's exercises, each a small change of the reference answer."""

from __future__ import annotations

import hashlib
import json
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from module03_architecture.exercises import solutions
from module03_architecture.tests.test_exercises import (
    _alphabetical_rerun,
    _carrier_counting_cancelled,
    _edited_only,
    _mean_of_batch_means,
    _order_sensitive_id,
    _origin_pasted,
    _prefix_without_slash,
    _proportional,
    _weather_inner_join,
    _whole_table,
    _with_level_zero,
)


def _carrier_sql(con, late_minutes=15, *, op=">", fixed=False, order="carrier"):
    late = 15 if fixed else late_minutes
    sql = f"""SELECT carrier::VARCHAR AS carrier, count(*) AS flights,
              avg(CASE WHEN arr_delay {op} $late THEN 1.0 ELSE 0.0 END) AS late_share
              FROM flights WHERE arr_delay IS NOT NULL GROUP BY carrier ORDER BY {order}"""
    return con.execute(sql, {"late": late}).df()


def _origin_count(con, origin, *, arrived=False, like=False):
    where = "origin LIKE ?" if like else "origin = ?"
    where += " AND arr_delay IS NOT NULL" if arrived else ""
    value = origin[:2] + "%" if like else origin
    return int(con.execute(f"SELECT count(*) FROM flights WHERE {where}", [value]).fetchone()[0])


def _weather_share(con, *, on="w.origin = f.origin AND w.time_hour = f.time_hour", distinct=False):
    sql = f"""SELECT avg(CASE WHEN w.origin IS NULL THEN 0.0 ELSE 1.0 END)
              FROM flights f LEFT JOIN weather w ON {on}"""
    if distinct:
        sql = """SELECT count(DISTINCT f.time_hour) FILTER (WHERE w.origin IS NOT NULL)::DOUBLE
                 / count(DISTINCT f.time_hour) FROM flights f LEFT JOIN weather w
                 ON w.origin = f.origin AND w.time_hour = f.time_hour"""
    return float(con.execute(sql).fetchone()[0])


def _chunked(folder: Path, batch_size: int = 100_000, *, ge=False, first_file=False):
    parts = []
    files = sorted(Path(folder).glob("*.parquet"))
    for path in files[:1] if first_file else files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size, columns=["origin", "arr_delay"]):
            df = batch.to_pandas().dropna(subset=["arr_delay"])
            late = df["arr_delay"] >= 15 if ge else df["arr_delay"] > 15
            df = df.assign(origin=df["origin"].astype(str), late=late)
            parts.append(df.groupby("origin")["late"].agg(["sum", "count"]))
    total = pd.concat(parts).groupby(level=0).sum()
    return total["sum"] / total["count"]


def _duck(folder: Path, *, expr="avg(arr_delay)", first_file=False) -> pd.Series:
    files = sorted(Path(folder).glob("*.parquet"))
    source = files[0].as_posix() if first_file else (Path(folder) / "*.parquet").as_posix()
    sql = f"SELECT origin::VARCHAR AS origin, {expr} AS d FROM read_parquet('{source}') GROUP BY 1"
    with duckdb.connect() as con:
        return con.execute(sql).df().set_index("origin")["d"].sort_index()


def _rows_at(rows, peak_mb, memory_gb, *, mb=1000, no_inf=False):
    slope, fixed = np.polyfit(np.asarray(rows, float), np.asarray(peak_mb, float), 1)
    if slope <= 0 and not no_inf:
        return float("inf")
    return float((memory_gb * mb - fixed) / slope)


def _vid(code_sha, data_md5, params, *, skip=None):
    parts = {"code": code_sha, "data": data_md5, "params": params}
    parts.pop(skip, None)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def _next_level(report, *, every=False, unsorted=False):
    missing = report[(report["level"] > 0) & ~report["found"].astype(bool)]
    if missing.empty:
        return []
    if every:
        return sorted(missing["practice"])
    chosen = missing.loc[missing["level"] == missing["level"].min(), "practice"]
    return list(chosen) if unsorted else sorted(chosen)


def _ci(changed, deps, *, py_only=False, no_params=False):
    jobs = set()
    if any(p.endswith(".py" if py_only else (".py", ".ipynb")) for p in changed):
        jobs.add("test")
    special = () if no_params else ("params.yaml", "dvc.yaml")
    if any(p in special or any(p == d or p.startswith(d + "/") for d in deps) for p in changed):
        jobs.add("repro")
    return jobs


def _children_only(edges, changed):
    return [changed, *sorted({d for u, d in edges if u == changed})]


def _rerun_without_changed(edges, changed):
    return [s for s in solutions.stages_to_rerun(edges, changed) if s != changed]


def _layers(edges, *, unsorted=False, depth_from_first=False):
    graph: dict[str, set[str]] = {}
    for up, down in edges:
        graph.setdefault(up, set())
        graph.setdefault(down, set()).add(up)
    if depth_from_first:  # a stage's layer = 1 + the layer of its *first* upstream only
        layer: dict[str, int] = {}
        for node in TopologicalSorter(graph).static_order():
            ups = sorted(graph[node])
            layer[node] = layer[ups[0]] + 1 if ups else 0
        return [sorted(n for n in layer if layer[n] == i) for i in range(max(layer.values()) + 1)]
    sorter = TopologicalSorter(graph)
    sorter.prepare()
    layers = []
    while sorter.is_active():
        ready = list(sorter.get_ready())
        layers.append(ready if unsorted else sorted(ready))
        sorter.done(*ready)
    return [sorted(x, reverse=True) for x in layers] if unsorted else layers


def _changed(old, new, key, *, no_removed=False, one_column=False):
    cols = [key, "arr_delay"] if one_column else list(old.columns)
    h_old = pd.util.hash_pandas_object(old[cols], index=False).set_axis(old[key])
    h_new = pd.util.hash_pandas_object(new[cols], index=False).set_axis(new[key])
    both = h_old.index.intersection(h_new.index)
    edited = both[h_old[both].to_numpy() != h_new[both].to_numpy()]
    other = (
        h_new.index.difference(h_old.index)
        if no_removed
        else h_old.index.symmetric_difference(h_new.index)
    )
    return sorted([*edited, *other])


MUTANTS = {
    "late_share_by_carrier_sql": {
        "cancelled flights counted": _carrier_counting_cancelled,
        ">= instead of >": lambda con, late_minutes=15: _carrier_sql(con, late_minutes, op=">="),
        "late_minutes ignored": lambda con, late_minutes=15: _carrier_sql(con, fixed=True),
        "sorted by share": lambda con, late_minutes=15: _carrier_sql(
            con, late_minutes, order="late_share"
        ),
    },
    "flights_from_origin": {
        "value pasted into the SQL": _origin_pasted,
        "arrived flights only": lambda con, o: _origin_count(con, o, arrived=True),
        "LIKE on a prefix": lambda con, o: _origin_count(con, o, like=True),
    },
    "weather_match_share": {
        "inner join": _weather_inner_join,
        "joined on origin only": lambda con: _weather_share(con, on="w.origin = f.origin"),
        "share of distinct hours": lambda con: _weather_share(con, distinct=True),
    },
    "late_share_by_origin_chunked": {
        "mean of batch means": _mean_of_batch_means,
        "whole table read at once": _whole_table,
        ">= 15": lambda folder, batch_size=100_000: _chunked(folder, batch_size, ge=True),
        "first file only": lambda folder, batch_size=100_000: _chunked(
            folder, batch_size, first_file=True
        ),
    },
    "mean_delay_by_origin_duckdb": {
        "first file only": lambda folder: _duck(folder, first_file=True),
        "missing delays as 0": lambda folder: _duck(folder, expr="avg(coalesce(arr_delay, 0))"),
        "median": lambda folder: _duck(folder, expr="median(arr_delay)"),
    },
    "rows_at_memory": {
        "proportional to the largest run": _proportional,
        "1024 MB per GB": lambda r, p, m: _rows_at(r, p, m, mb=1024),
        "no inf for a flat line": lambda r, p, m: _rows_at(r, p, m, no_inf=True),
    },
    "model_version_id": {
        "key order matters": _order_sensitive_id,
        "params left out": lambda c, d, p: _vid(c, d, p, skip="params"),
        "data left out": lambda c, d, p: _vid(c, d, p, skip="data"),
    },
    "missing_for_next_level": {
        "level 0 counted": _with_level_zero,
        "every missing practice": lambda r: _next_level(r, every=True),
        "not sorted": lambda r: _next_level(r, unsorted=True),
    },
    "ci_jobs": {
        "prefix without '/'": _prefix_without_slash,
        "notebooks not tested": lambda c, d: _ci(c, d, py_only=True),
        "params.yaml ignored": lambda c, d: _ci(c, d, no_params=True),
    },
    "stages_to_rerun": {
        "alphabetical order": _alphabetical_rerun,
        "direct children only": _children_only,
        "changed stage left out": _rerun_without_changed,
    },
    "parallel_groups": {
        "everything in one layer": lambda edges: [sorted({n for e in edges for n in e})],
        "layers not sorted": lambda edges: _layers(edges, unsorted=True),
        "layer after the first upstream only": lambda edges: _layers(edges, depth_from_first=True),
    },
    "changed_keys": {
        "edited rows only": _edited_only,
        "removed rows left out": lambda o, n, k: _changed(o, n, k, no_removed=True),
        "one column compared": lambda o, n, k: _changed(o, n, k, one_column=True),
    },
    "handoff_edges": {
        "in input order, not sorted": lambda edges, owner: [
            (a, b) for a, b in edges if owner[a] != owner[b]
        ],
        "edges inside one discipline": lambda edges, owner: sorted(
            (a, b) for a, b in edges if owner[a] == owner[b]
        ),
        "only hand-overs out of DataOps": lambda edges, owner: sorted(
            (a, b) for a, b in edges if owner[a] == "DataOps" != owner[b]
        ),
        "reversed edges": lambda edges, owner: sorted(
            (b, a) for a, b in edges if owner[a] != owner[b]
        ),
    },
}

"""Checks of module 03's exercises; ``labs check 3`` runs them against ``starter.py``.

Expectations are computed with pandas, numpy, graphlib or the module's own package
(``scale``, ``maturity``, ``pipeline``), never typed in, so they stay right if the data
changes. The data is the real 2013 flights, in an in-memory DuckDB or a scaled-up folder
under a temporary directory.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from unittest import mock

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from labs_common.data import load_table
from labs_common.exercises import Exercise
from module03_architecture import maturity, pipeline, scale

PIPELINE = [("ingest", "validate"), ("ingest", "features"), ("features", "split"),
            ("split", "train"), ("split", "evaluate"), ("train", "evaluate"),
            ("evaluate", "register"), ("validate", "register"),
            ("register", "monitor")]  # fmt: skip


@lru_cache(maxsize=4)
def _table(name: str) -> pd.DataFrame:
    return load_table(name)


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name in ("flights", "weather"):
        con.register(f"{name}_df", _table(name))
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
    return con


@lru_cache(maxsize=1)
def _scaled_folder() -> Path:
    root = Path(tempfile.mkdtemp(prefix="labs03_"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    scale.make_scaled_flights(_table("flights"), 2, root / "x2")
    return root / "x2"


def _as_series(got: object) -> pd.Series:
    assert isinstance(got, pd.Series), f"return a pandas Series, got {type(got).__name__}"
    return got.set_axis(got.index.astype(str))


def check_late_share_by_carrier_sql(fn: Callable[..., object]) -> None:
    flights = _table("flights").dropna(subset=["arr_delay"])
    with _con() as con:
        for late in (15, 60):
            got = fn(con, late_minutes=late)
            assert isinstance(got, pd.DataFrame), f"return a DataFrame, got {type(got).__name__}"
            assert list(got.columns) == ["carrier", "flights", "late_share"], (
                f"columns should be carrier, flights, late_share; got {list(got.columns)}"
            )
            grouped = flights["arr_delay"].gt(late).groupby(flights["carrier"].astype(str))
            expected = grouped.agg(["size", "mean"]).sort_index()
            assert got["carrier"].astype(str).tolist() == expected.index.tolist(), (
                "one row per carrier, sorted by carrier (ORDER BY carrier)"
            )
            assert np.array_equal(got["flights"], expected["size"]), (
                "flights counts differ: count arrived flights only (arr_delay IS NOT NULL)"
            )
            assert np.allclose(got["late_share"], expected["mean"]), (
                f"late_minutes={late}: late_share differs; use arr_delay > $late as a parameter"
            )


def check_flights_from_origin(fn: Callable[..., object]) -> None:
    origins = _table("flights")["origin"].astype(str)
    with _con() as con:
        got = fn(con, "JFK")
        assert type(got) is int, f"return a plain int, got {type(got).__name__}"
        assert got == int((origins == "JFK").sum()), f"JFK: expected {(origins == 'JFK').sum()}"
        sneaky = fn(con, "JFK' OR '1'='1")
    assert sneaky == 0, (
        f"the value \"JFK' OR '1'='1\" matched {sneaky} flights: it was pasted into the SQL "
        "(SQL injection). Bind it: con.execute(sql, (origin,))"
    )


def check_weather_match_share(fn: Callable[..., object]) -> None:
    flights, weather = _table("flights"), _table("weather")
    keys = flights[["origin", "time_hour"]].astype({"origin": str})
    found = keys.merge(weather[["origin", "time_hour"]].astype({"origin": str}).drop_duplicates(),
                       how="left", indicator=True)["_merge"].eq("both")  # fmt: skip
    with _con() as con:
        got = fn(con)
    assert np.isclose(got, found.mean()), (
        f"expected {found.mean():.4f}, got {got}; a LEFT JOIN keeps every flight in the count"
    )


def check_late_share_by_origin_chunked(fn: Callable[..., object]) -> None:
    folder = _scaled_folder()
    flights = pd.read_parquet(folder, columns=["origin", "arr_delay"]).dropna()
    expected = flights["arr_delay"].gt(15).groupby(flights["origin"].astype(str)).mean()
    refuse = mock.Mock(side_effect=AssertionError("read record batches, not the whole table"))
    with mock.patch.object(pd, "read_parquet", refuse), mock.patch.object(pq, "read_table", refuse):
        got = _as_series(fn(folder, batch_size=7_777))
    assert sorted(got.index) == sorted(expected.index), f"index should be {list(expected.index)}"
    assert np.allclose(got[expected.index], expected), (
        f"expected {expected.round(4).to_dict()}, got {got.round(4).to_dict()}; "
        "sum late and arrived counts over batches, then divide once"
    )


def check_mean_delay_by_origin_duckdb(fn: Callable[..., object]) -> None:
    folder = _scaled_folder()
    flights = pd.read_parquet(folder, columns=["origin", "arr_delay"])
    expected = flights["arr_delay"].groupby(flights["origin"].astype(str)).mean()
    got = _as_series(fn(folder))
    assert sorted(got.index) == sorted(expected.index), f"index should be {list(expected.index)}"
    assert np.allclose(got[expected.index], expected), (
        f"expected {expected.round(3).to_dict()}, got {got.round(3).to_dict()}"
    )


def check_rows_at_memory(fn: Callable[..., object]) -> None:
    rows = [1e6, 2e6, 4e6, 8e6]
    peak = [300 + 90 * r / 1e6 + noise for r, noise in zip(rows, [2, -3, 1, 0], strict=True)]
    slope, fixed = np.polyfit(rows, peak, 1)
    expected = (16 * 1000 - fixed) / slope
    got = fn(rows, peak, 16)
    assert np.isclose(got, expected, rtol=1e-6), (
        f"expected {expected:,.0f} rows, got {got:,.0f}; fit fixed + slope * rows, do not "
        "scale the largest measurement proportionally (that ignores the fixed cost)"
    )
    flat = fn(rows, [60.0, 59.0, 60.0, 58.0], 16)
    assert flat == float("inf"), f"memory does not grow: expected inf, got {flat}"


def check_model_version_id(fn: Callable[..., object]) -> None:
    params = {"seed": 42, "model": "hgb", "grid": {"lr": [0.05, 0.1]}}
    base = fn("a1b2c3", "d4e5f6", params)
    assert isinstance(base, str) and len(base) >= 12, f"return >= 12 hex digits, got {base!r}"
    assert all(c in "0123456789abcdef" for c in base), f"use hex digits only, got {base!r}"
    assert fn("a1b2c3", "d4e5f6", dict(reversed(params.items()))) == base, (
        "the order of keys in params must not matter (json.dumps(..., sort_keys=True))"
    )
    variants = {"code": fn("a1b2c4", "d4e5f6", params), "data": fn("a1b2c3", "d4e5f7", params),
                "params": fn("a1b2c3", "d4e5f6", {**params, "grid": {"lr": [0.05]}})}  # fmt: skip
    same = [name for name, value in variants.items() if value == base]
    assert not same, f"changing the {same} did not change the id"


def check_missing_for_next_level(fn: Callable[..., object]) -> None:
    report = maturity.check_evidence()
    rng = np.random.default_rng(3)
    cases = [report, report.assign(found=True), report.assign(found=rng.random(len(report)) > 0.5),
             report.assign(found=report["level"] != 2)]  # fmt: skip
    for case in cases:
        missing = case[(case["level"] > 0) & ~case["found"]]
        lowest = missing["level"].min() if len(missing) else None
        expected = sorted(missing.loc[missing["level"] == lowest, "practice"])
        got = list(fn(case))
        assert got == expected, (
            f"with found = {case['found'].tolist()}: expected {expected}, got {got}"
        )


def check_ci_jobs(fn: Callable[..., object]) -> None:
    deps = ["data/raw", "module04_ml_fundamentals/features.py"]
    cases = {("README.md",): set(), ("module09_monitoring/drift.py",): {"test"},
             ("module04_ml_fundamentals/features.py",): {"test", "repro"},
             ("params.yaml",): {"repro"}, ("data/raw/flights.parquet",): {"repro"},
             ("data/raw2/flights.parquet",): set(),
             ("docs/x.md", "module01_intro/notebooks/02_eda.ipynb"): {"test"}}  # fmt: skip
    for changed, expected in cases.items():
        got = set(fn(list(changed), deps))
        assert got == expected, f"changed {list(changed)}: expected {expected or '{}'}, got {got}"


def check_stages_to_rerun(fn: Callable[..., object]) -> None:
    for changed in ("ingest", "split", "train", "monitor"):
        got = list(fn(PIPELINE, changed))
        expected = {changed}
        todo = [changed]
        while todo:
            node = todo.pop()
            expected |= {d for u, d in PIPELINE if u == node}
            todo += [d for u, d in PIPELINE if u == node]
        assert set(got) == expected and len(got) == len(expected), (
            f"changing {changed!r} reruns {sorted(expected)}, got {got}"
        )
        wrong = [
            (u, d) for u, d in PIPELINE if u in got and d in got and got.index(u) > got.index(d)
        ]
        assert not wrong, f"{wrong[0][0]} must run before {wrong[0][1]}, got the order {got}"


def check_parallel_groups(fn: Callable[..., object]) -> None:
    for edges in (PIPELINE, [("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")]):
        expected = pipeline.execution_layers(edges)
        got = [list(layer) for layer in fn(edges)]
        assert got == expected, f"expected the layers {expected}, got {got}"


def check_changed_keys(fn: Callable[..., object]) -> None:
    old = _table("flights").head(2_000).reset_index(names="row_id")
    new = old.copy()
    new.loc[[10, 500], "arr_delay"] = new.loc[[10, 500], "arr_delay"] + 1
    new.loc[1_200, "dest"] = "ATL" if new.loc[1_200, "dest"] != "ATL" else "BOS"
    new = pd.concat([new.drop(index=7), old.tail(1).assign(row_id=99_999)], ignore_index=True)
    merged = old.merge(new, on="row_id", how="outer", suffixes=("_o", "_n"), indicator=True)
    cols = [c for c in old.columns if c != "row_id"]
    differs = np.zeros(len(merged), bool)
    for c in cols:
        o, n = merged[f"{c}_o"].astype(object), merged[f"{c}_n"].astype(object)
        differs |= ~((o == n) | (o.isna() & n.isna())).to_numpy()
    expected = sorted(merged.loc[differs | (merged["_merge"] != "both"), "row_id"])
    got = sorted(fn(old, new, "row_id"))
    assert got == expected, f"expected the keys {expected}, got {got}"
    assert list(fn(old, old.copy(), "row_id")) == [], "an unchanged copy has no changed keys"


CHECKS = [
    Exercise("late_share_by_carrier_sql", check_late_share_by_carrier_sql,
             "WHERE arr_delay IS NOT NULL GROUP BY carrier ORDER BY carrier; avg(CASE WHEN ...)"),
    Exercise("flights_from_origin", check_flights_from_origin,
             "con.execute('... WHERE origin = ?', (origin,)).fetchone(), then int() of its item"),
    Exercise("weather_match_share", check_weather_match_share,
             "FROM flights f LEFT JOIN weather w ON both keys; avg of 'w.origin IS NOT NULL'"),
    Exercise("late_share_by_origin_chunked", check_late_share_by_origin_chunked,
             "pq.ParquetFile(path).iter_batches(batch_size, columns=...) per file; sum counts"),
    Exercise("mean_delay_by_origin_duckdb", check_mean_delay_by_origin_duckdb,
             "read_parquet('folder/*.parquet'); .df().set_index('origin')['...']"),
    Exercise("rows_at_memory", check_rows_at_memory,
             "slope, fixed = np.polyfit(rows, peak_mb, 1); solve fixed + slope * r = 1000 * GB"),
    Exercise("model_version_id", check_model_version_id,
             "hashlib.sha256(json.dumps((code_sha, data_md5, params), sort_keys=True).encode())"),
    Exercise("missing_for_next_level", check_missing_for_next_level,
             "filter level > 0 and ~found, then the rows of the smallest level left"),
    Exercise("ci_jobs", check_ci_jobs,
             "path == dep or path.startswith(dep + '/'); endswith(('.py', '.ipynb'))"),
    Exercise("stages_to_rerun", check_stages_to_rerun,
             "collect downstream stages, then keep pipeline.execution_layers order"),
    Exercise("parallel_groups", check_parallel_groups,
             "graphlib.TopologicalSorter: prepare(), get_ready(), done()"),
    Exercise("changed_keys", check_changed_keys,
             "pd.util.hash_pandas_object(df, index=False), indexed by the key column; compare"),
]  # fmt: skip


# Notebook 03 (DataOps, ModelOps, DevOps). Appended: random graphs and owners, so a fixed
# answer fails.


def check_handoff_edges(fn: Callable[..., object]) -> None:
    import random

    from module03_architecture import ops

    rng = random.Random(17)
    for n in (3, 6, 12):
        stages = [f"s{i}" for i in range(n)]
        edges = [(a, b) for i, a in enumerate(stages) for b in stages[i + 1 :]
                 if rng.random() < 0.4]  # fmt: skip
        rng.shuffle(edges)
        owner = {s: rng.choice(sorted(ops.DISCIPLINES)) for s in stages}
        got = fn(list(edges), owner)
        expected = ops.handoffs(edges, owner)
        assert list(got) == expected, (
            f"{len(edges)} random edges, owners {owner}: expected {expected}, got {list(got)}"
        )
    same = {s: "DataOps" for s in ("a", "b", "c")}
    assert list(fn([("a", "b"), ("b", "c")], same)) == [], "one owner everywhere: no hand-over"


CHECKS += [
    Exercise("handoff_edges", check_handoff_edges,
             "sorted((a, b) for a, b in edges if owner[a] != owner[b])"),
]  # fmt: skip

"""Checks of module 03's exercises; ``labs check 3`` runs them against ``starter.py``.

Expectations are computed with pandas, numpy, graphlib or the module's own package
(``scale``, ``maturity``, ``pipeline``), never typed in, on inputs drawn at random for
each run: random samples of the real 2013 flights (in an in-memory DuckDB or a scaled-up
folder under a temporary directory), random pipelines and random commits.
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

from labs_common.exercises import (
    Checks,
    assert_equal_answers_for_equal_inputs,
    check_rng,
    course_table,
    current_seed,
)
from module03_architecture import maturity, ops, pipeline, scale

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()

PIPELINE = [("ingest", "validate"), ("ingest", "features"), ("features", "split"),
            ("split", "train"), ("split", "evaluate"), ("train", "evaluate"),
            ("evaluate", "register"), ("validate", "register"),
            ("register", "monitor")]  # fmt: skip


def _sample(rng: np.random.Generator, name: str = "flights", low: int = 5_000,
            high: int = 30_000) -> pd.DataFrame:  # fmt: skip
    """A random sample of a real table, of a random size."""
    return course_table(name).sample(int(rng.integers(low, high)), random_state=rng)


def _con(flights: pd.DataFrame, weather: pd.DataFrame | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, frame in (("flights", flights), ("weather", weather)):
        if frame is not None:
            con.register(f"{name}_df", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
    return con


@lru_cache(maxsize=2)
def _scaled_folder(seed: int) -> Path:
    """A random sample of the flights, scaled up into a few jittered Parquet files."""
    rng = np.random.default_rng([seed, 99])
    root = Path(tempfile.mkdtemp(prefix="labs03_"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    flights = _sample(rng, low=20_000, high=60_000)
    scale.make_scaled_flights(flights, int(rng.integers(2, 4)), root / "x", int(rng.integers(1e6)))
    return root / "x"


def _as_series(got: object) -> pd.Series:
    assert isinstance(got, pd.Series), f"return a pandas Series, got {type(got).__name__}"
    return got.set_axis(got.index.astype(str))


@CHECKS.exercise(forbidden=("module03_architecture.warehouse.late_share_sql",))
def check_late_share_by_carrier_sql(fn: Callable[..., object]) -> None:
    """filter the arrived flights in WHERE, one group per carrier, sorted; a share is the average of
    a 1/0 CASE; bind late_minutes as a named parameter
    """
    rng = check_rng()
    sample = _sample(rng)
    for late in (int(rng.integers(5, 30)), int(rng.integers(45, 90))):
        sample["arr_delay"] = sample["arr_delay"].mask(rng.random(len(sample)) < 0.03, late)
        flights = sample.dropna(subset=["arr_delay"])
        with _con(sample) as con:
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
            f"late_minutes={late} on {len(sample)} random flights (some exactly {late} minutes "
            "late): late_share differs; use arr_delay > $late as a parameter"
        )


@CHECKS.exercise
def check_flights_from_origin(fn: Callable[..., object]) -> None:
    """a ? placeholder and a tuple of values in con.execute; fetchone() gives a row, and the count
    is its first item
    """
    rng = check_rng()
    sample = _sample(rng)
    origins = sample["origin"].astype(str)
    with _con(sample) as con:
        for origin in (*rng.permutation(["EWR", "JFK", "LGA"])[:2], "BOS"):
            got = fn(con, str(origin))
            assert type(got) is int, f"return a plain int, got {type(got).__name__}"
            expected = int((origins == origin).sum())
            assert got == expected, (
                f"{origin} in {len(sample)} random flights: expected {expected}, got {got}"
            )
        sneaky = fn(con, "JFK' OR '1'='1")
    assert sneaky == 0, (
        f"the value \"JFK' OR '1'='1\" matched {sneaky} flights: it was pasted into the SQL "
        "(SQL injection). Bind it: con.execute(sql, (origin,))"
    )


@CHECKS.exercise
def check_weather_match_share(fn: Callable[..., object]) -> None:
    """an inner join drops the unmatched flights from the denominator; which join keeps them, and
    what is NULL for them afterwards?
    """
    rng = check_rng()
    flights = _sample(rng)
    weather = course_table("weather").sample(frac=rng.uniform(0.5, 0.95), random_state=rng)
    keys = flights[["origin", "time_hour"]].astype({"origin": str})
    found = keys.merge(weather[["origin", "time_hour"]].astype({"origin": str}).drop_duplicates(),
                       how="left", indicator=True)["_merge"].eq("both")  # fmt: skip
    with _con(flights, weather) as con:
        got = fn(con)
    assert np.isclose(got, found.mean()), (
        f"{len(flights)} random flights, {len(weather)} random weather rows: expected "
        f"{found.mean():.4f}, got {got}; a LEFT JOIN keeps every flight in the count"
    )


@CHECKS.exercise(forbidden=("module03_architecture.scale.aggregate_chunked",))
def check_late_share_by_origin_chunked(fn: Callable[..., object]) -> None:
    """pyarrow.parquet.ParquetFile has iter_batches(batch_size, columns=...); keep counts per origin
    across batches (a mean of means weights batches wrongly)
    """
    folder = _scaled_folder(current_seed())
    flights = pd.read_parquet(folder, columns=["origin", "arr_delay"]).dropna()
    expected = flights["arr_delay"].gt(15).groupby(flights["origin"].astype(str)).mean()
    refuse = mock.Mock(side_effect=AssertionError("read record batches, not the whole table"))
    batch_size = int(check_rng().integers(3_000, 20_000))
    with mock.patch.object(pd, "read_parquet", refuse), mock.patch.object(pq, "read_table", refuse):
        got = _as_series(fn(folder, batch_size=batch_size))
    assert sorted(got.index) == sorted(expected.index), f"index should be {list(expected.index)}"
    assert np.allclose(got[expected.index], expected), (
        f"expected {expected.round(4).to_dict()}, got {got.round(4).to_dict()}; "
        "sum late and arrived counts over batches, then divide once"
    )


@CHECKS.exercise(forbidden=("module03_architecture.scale.aggregate_duckdb",))
def check_mean_delay_by_origin_duckdb(fn: Callable[..., object]) -> None:
    """DuckDB's read_parquet accepts a glob over the folder; .df() turns the result into pandas;
    every file counts
    """
    folder = _scaled_folder(current_seed())
    flights = pd.read_parquet(folder, columns=["origin", "arr_delay"])
    expected = flights["arr_delay"].groupby(flights["origin"].astype(str)).mean()
    got = _as_series(fn(folder))
    assert sorted(got.index) == sorted(expected.index), f"index should be {list(expected.index)}"
    assert np.allclose(got[expected.index], expected), (
        f"over the {len(list(folder.glob('*.parquet')))} files expected "
        f"{expected.round(3).to_dict()}, got {got.round(3).to_dict()}"
    )


@CHECKS.exercise(
    forbidden=(
        "module03_architecture.capacity.max_rows_in_memory",
        "module03_architecture.capacity.fit_growth",
    )
)
def check_rows_at_memory(fn: Callable[..., object]) -> None:
    """fit a degree-1 polynomial to (rows, peak_mb) and solve the line for the memory in MB; a line
    that does not rise never reaches it
    """
    rows = [1e6, 2e6, 4e6, 8e6]
    peak = [300 + 90 * r / 1e6 + noise for r, noise in zip(rows, [2, -3, 1, 0], strict=True)]
    slope, fixed = np.polyfit(rows, peak, 1)
    expected = (16 * 1000 - fixed) / slope
    got = fn(rows, peak, 16)
    assert np.isclose(got, expected, rtol=1e-6), (
        f"expected {expected:,.0f} rows, got {got:,.0f}; fit fixed + slope * rows, do not "
        "scale the largest measurement proportionally (that ignores the fixed cost)"
    )
    rng = check_rng()
    rows = np.sort(rng.uniform(1e5, 1e7, int(rng.integers(4, 8)))).tolist()
    peak = (rng.uniform(100, 800) + rng.uniform(20, 200) * np.array(rows) / 1e6
            + rng.normal(0, 2, len(rows))).tolist()  # fmt: skip
    memory = float(rng.choice([4, 8, 16, 32]))
    slope, fixed = np.polyfit(rows, peak, 1)
    expected = (memory * 1000 - fixed) / slope
    got = fn(rows, peak, memory)
    assert np.isclose(got, expected, rtol=1e-6), (
        f"random measurements, {memory:g} GB: expected {expected:,.0f} rows, got {got:,.0f}"
    )
    flat_peak = (rng.uniform(50, 80) - rng.uniform(0, 1) * np.arange(len(rows))).tolist()
    flat = fn(rows, flat_peak, memory)
    assert flat == float("inf"), f"memory does not grow: expected inf, got {flat}"


@CHECKS.exercise
def check_model_version_id(fn: Callable[..., object]) -> None:
    """serialise the three inputs canonically (json can sort keys) before hashing with hashlib;
    every input must reach the hash
    """
    rng = check_rng()
    code, data = rng.bytes(6).hex(), rng.bytes(6).hex()
    params = {"seed": int(rng.integers(100)), "model": str(rng.choice(["hgb", "logreg"])),
              "grid": {"lr": rng.uniform(0, 1, 2).round(3).tolist()}}  # fmt: skip
    base = fn(code, data, params)
    assert isinstance(base, str) and len(base) >= 12, f"return >= 12 hex digits, got {base!r}"
    assert all(c in "0123456789abcdef" for c in base), f"use hex digits only, got {base!r}"
    assert fn(code, data, dict(reversed(params.items()))) == base, (
        "the order of keys in params must not matter (json.dumps(..., sort_keys=True))"
    )
    pool = [(code, data, params), (code, data, dict(reversed(params.items()))),
            (code[:-1] + "x", data, params), (code, data[:-1] + "x", params),
            (code, data, {**params, "grid": {"lr": [0.05]}}),
            (code, data, {**params, "seed": params["seed"] + 1})]  # fmt: skip
    same_model = [0, 0, 1, 2, 3, 4]  # the first two differ only by the order of the keys
    assert_equal_answers_for_equal_inputs(
        fn,
        pool,
        same_model,
        rng,
        repeats=4,
        same="the same model must get the same id",
        different="changing the code, the data or a parameter must change the id",
    )


@CHECKS.exercise
def check_missing_for_next_level(fn: Callable[..., object]) -> None:
    """level 0 never counts; among the rest, find the lowest level that still has a practice not
    found
    """
    report = maturity.check_evidence()
    rng = check_rng()
    cases = [report.assign(found=True), report.assign(found=report["level"] != 2),
             *(report.assign(found=rng.random(len(report)) < rng.uniform(0.3, 0.9))
               for _ in range(4))]  # fmt: skip
    for case in cases:
        case = case.sample(frac=1, random_state=rng)  # the rows in any order
        missing = case[(case["level"] > 0) & ~case["found"]]
        lowest = missing["level"].min() if len(missing) else None
        expected = sorted(missing.loc[missing["level"] == lowest, "practice"])
        got = list(fn(case))
        assert got == expected, (
            f"with found = {case.set_index('practice')['found'].to_dict()}: expected {expected}, "
            f"got {got}"
        )


def _ci_case(rng: np.random.Generator, deps: list[str]) -> tuple[list[str], set[str]]:
    """A random commit: some files of each kind, with the jobs each kind needs."""
    dep = str(rng.choice(deps))
    kinds = {(f"src/m{rng.integers(99)}.py",): {"test"}, ("docs/x.md", "README.md"): set(),
             (f"notes/n{rng.integers(9)}.ipynb",): {"test"}, ("params.yaml",): {"repro"},
             ("dvc.yaml",): {"repro"}, (dep,): {"repro"},
             (f"{dep}/f{rng.integers(9)}.csv",): {"repro"},
             (f"{dep}2/f.csv", f"{dep}_old"): set()}  # fmt: skip
    chosen = [k for k in kinds if rng.random() < 0.3] or [next(iter(kinds))]
    return [p for k in chosen for p in k], set().union(*(kinds[k] for k in chosen))


@CHECKS.exercise
def check_ci_jobs(fn: Callable[..., object]) -> None:
    """a path is inside a dependency only at a '/' boundary (data/raw2 is not inside data/raw); the
    two jobs are decided independently
    """
    deps = ["data/raw", "module04_ml_fundamentals/features.py"]
    cases = {("README.md",): set(), ("module09_monitoring/drift.py",): {"test"},
             ("module04_ml_fundamentals/features.py",): {"test", "repro"},
             ("params.yaml",): {"repro"}, ("data/raw/flights.parquet",): {"repro"},
             ("data/raw2/flights.parquet",): set(),
             ("docs/x.md", "module01_intro/notebooks/02_eda.ipynb"): {"test"}}  # fmt: skip
    for changed, expected in cases.items():
        got = set(fn(list(changed), deps))
        assert got == expected, f"changed {list(changed)}: expected {expected or '{}'}, got {got}"
    rng = check_rng()
    for _ in range(12):
        deps = [f"data/d{rng.integers(99)}", f"conf/c{rng.integers(99)}.toml"]
        changed, expected = _ci_case(rng, deps)
        got = set(fn(changed, deps))
        assert got == expected, (
            f"deps {deps}, changed {changed}: expected {expected or '{}'}, got {got}"
        )


def _random_dag(rng: np.random.Generator) -> list[tuple[str, str]]:
    """A random pipeline: stage names shuffled so that name order is not run order."""
    names = rng.permutation([f"{w}_{i}" for i, w in enumerate("abcdefghij")])[: rng.integers(5, 10)]
    edges = [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))
             if rng.random() < 0.35]  # fmt: skip
    edges += [(names[i], names[i + 1]) for i in range(len(names) - 1) if rng.random() < 0.5]
    return [(str(u), str(d)) for u, d in dict.fromkeys(edges)]


def _downstream(edges: list[tuple[str, str]], changed: str) -> set[str]:
    found, todo = {changed}, [changed]
    while todo:
        node = todo.pop()
        new = {d for u, d in edges if u == node} - found
        found |= new
        todo += list(new)
    return found


@CHECKS.exercise
def check_stages_to_rerun(fn: Callable[..., object]) -> None:
    """walk the edges downstream from the changed stage, then order what you found so every upstream
    comes first (graphlib, or pipeline.execution_layers)
    """
    rng = check_rng()
    graphs = [(PIPELINE, c) for c in ("ingest", "split", "train", "monitor")]
    for _ in range(4):
        edges = _random_dag(rng)
        graphs.append((edges, str(rng.choice([u for u, _ in edges]))))
    for edges, changed in graphs:
        got = list(fn(edges, changed))
        expected = _downstream(edges, changed)
        assert set(got) == expected and len(got) == len(expected), (
            f"edges {edges}: changing {changed!r} reruns {sorted(expected)}, got {got}"
        )
        wrong = [(u, d) for u, d in edges if u in got and d in got and got.index(u) > got.index(d)]
        assert not wrong, f"{wrong[0][0]} must run before {wrong[0][1]}, got the order {got}"


@CHECKS.exercise(forbidden=("module03_architecture.pipeline.execution_layers",))
def check_parallel_groups(fn: Callable[..., object]) -> None:
    """graphlib.TopologicalSorter hands out every stage whose upstreams are done; prepare() first,
    sort each layer
    """
    rng = check_rng()
    graphs = [PIPELINE, [("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")]]
    for edges in [*graphs, *(_random_dag(rng) for _ in range(4))]:
        expected = pipeline.execution_layers(edges)
        got = [list(layer) for layer in fn(edges)]
        assert got == expected, f"edges {edges}: expected the layers {expected}, got {got}"


@CHECKS.exercise
def check_changed_keys(fn: Callable[..., object]) -> None:
    """pd.util.hash_pandas_object gives one number per row; index them by the key and compare; keys
    on one side only count too
    """
    rng = check_rng()
    old = _sample(rng, low=1_000, high=3_000).reset_index(drop=True)
    old = old.reset_index(names="row_id").assign(row_id=lambda d: d["row_id"] * 7 + 3)
    new = old.copy()
    # Three disjoint sets of rows (arr_delay edited, dest edited, removed), so each kind of
    # change decides the answer alone: a comparison of one column misses the other's rows.
    picked = rng.choice(len(old), 9, replace=False)
    edited = picked[: int(rng.integers(1, 6))]
    new.loc[edited, "arr_delay"] = new.loc[edited, "arr_delay"].fillna(0) + 1
    row = int(picked[5])
    new.loc[row, "dest"] = "ATL" if new.loc[row, "dest"] != "ATL" else "BOS"
    gone = picked[6 : 6 + int(rng.integers(1, 4))]
    added = old.sample(int(rng.integers(1, 4)), random_state=rng)
    added = added.assign(row_id=np.arange(len(added)) + 10 * len(old))
    new = pd.concat([new.drop(index=gone), added], ignore_index=True)
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


# Notebook 03 (DataOps, ModelOps, DevOps). Graphs and owners are drawn from check_rng(), so a
# fixed answer, or one replayed from another run, fails.


@CHECKS.exercise(forbidden=("module03_architecture.ops.handoffs",))
def check_handoff_edges(fn: Callable[..., object]) -> None:
    """look up the owner of both stages of each edge and keep the edges where they differ; tuples
    sort by their first item, then their second
    """
    same = {s: "DataOps" for s in ("a", "b", "c")}
    assert list(fn([("a", "b"), ("b", "c")], same)) == [], "one owner everywhere: no hand-over"
    rng = check_rng()
    disciplines = sorted(ops.DISCIPLINES)
    for n in (int(rng.integers(3, 6)), int(rng.integers(6, 10)), int(rng.integers(10, 16))):
        stages = [f"s{i}" for i in rng.permutation(n)]  # a topological order, names shuffled
        edges = [(a, b) for i, a in enumerate(stages) for b in stages[i + 1 :]
                 if rng.random() < 0.4]  # fmt: skip
        edges = [edges[i] for i in rng.permutation(len(edges))]
        owner = {s: str(rng.choice(disciplines)) for s in stages}
        expected = ops.handoffs(edges, owner)
        got = fn(list(edges), dict(owner))
        assert list(got) == expected, (
            f"{len(edges)} random edges, owners {owner}: expected {expected}, got {list(got)}"
        )

"""The exercise checks of module 03: solutions pass, untouched starters fail, and typical
wrong answers are caught with a helpful message."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

from labs_common.exercises import run_checks
from module03_architecture.exercises import checks, solutions


def test_solutions_all_pass() -> None:
    results = run_checks(3, "solutions")
    assert len(results) == len(checks.CHECKS) == 13
    assert [(r.name, r.message) for r in results if not r.passed] == []


def test_untouched_starters_all_todo() -> None:
    results = run_checks(3, "starter")
    assert [(r.name, r.status, r.message) for r in results if r.status != "todo"] == []


def _carrier_counting_cancelled(con: duckdb.DuckDBPyConnection, late_minutes: int = 15):
    sql = """SELECT carrier::VARCHAR AS carrier, count(*) AS flights,
             avg(CASE WHEN arr_delay > $late THEN 1.0 ELSE 0.0 END) AS late_share
             FROM flights GROUP BY carrier ORDER BY carrier"""
    return con.execute(sql, {"late": late_minutes}).df()


def _origin_pasted(con: duckdb.DuckDBPyConnection, origin: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM flights WHERE origin = '{origin}'").fetchone()[0])


def _weather_inner_join(con: duckdb.DuckDBPyConnection) -> float:
    sql = """SELECT avg(CASE WHEN w.origin IS NULL THEN 0.0 ELSE 1.0 END) FROM flights f
             JOIN weather w ON w.origin = f.origin AND w.time_hour = f.time_hour"""
    return float(con.execute(sql).fetchone()[0])


def _mean_of_batch_means(folder: Path, batch_size: int = 100_000) -> pd.Series:
    means = []
    for batch in ds.dataset(folder).to_batches(
        columns=["origin", "arr_delay"], batch_size=batch_size
    ):
        df = batch.to_pandas().dropna()
        means.append(df["arr_delay"].gt(15).groupby(df["origin"].astype(str)).mean())
    return pd.concat(means).groupby(level=0).mean()


def _whole_table(folder: Path, batch_size: int = 100_000) -> pd.Series:
    df = pd.read_parquet(folder).dropna(subset=["arr_delay"])
    return df["arr_delay"].gt(15).groupby(df["origin"].astype(str)).mean()


def _proportional(rows: list[int], peak_mb: list[float], memory_gb: float) -> float:
    return memory_gb * 1000 / peak_mb[-1] * rows[-1]


def _order_sensitive_id(code_sha: str, data_md5: str, params: dict) -> str:
    return hashlib.sha256(json.dumps([code_sha, data_md5, params]).encode()).hexdigest()[:16]


def _with_level_zero(report: pd.DataFrame) -> list[str]:
    missing = report[~report["found"]]
    return sorted(missing.loc[missing["level"] == missing["level"].min(), "practice"])


def _prefix_without_slash(changed: list[str], pipeline_deps: list[str]) -> set[str]:
    jobs = {"test"} if any(p.endswith((".py", ".ipynb")) for p in changed) else set()
    hit = any(
        p.startswith(d) or p in ("params.yaml", "dvc.yaml") for p in changed for d in pipeline_deps
    )
    return jobs | ({"repro"} if hit else set())


def _alphabetical_rerun(edges: list[tuple[str, str]], changed: str) -> list[str]:
    return sorted(solutions.stages_to_rerun(edges, changed))


def _edited_only(old: pd.DataFrame, new: pd.DataFrame, key: str) -> list[object]:
    both = old.merge(new, on=key, suffixes=("", "_n"))[key]
    return [k for k in solutions.changed_keys(old, new, key) if k in set(both)]


@pytest.mark.parametrize(
    ("name", "wrong", "match"),
    [
        ("late_share_by_carrier_sql", _carrier_counting_cancelled, "arrived flights only"),
        ("flights_from_origin", _origin_pasted, "SQL injection"),
        ("weather_match_share", _weather_inner_join, "LEFT JOIN keeps every flight"),
        ("late_share_by_origin_chunked", _mean_of_batch_means, "divide once"),
        ("late_share_by_origin_chunked", _whole_table, "not the whole table"),
        ("rows_at_memory", _proportional, "fixed cost"),
        ("model_version_id", _order_sensitive_id, "order of keys"),
        ("missing_for_next_level", _with_level_zero, "expected"),
        ("ci_jobs", _prefix_without_slash, "data/raw2"),
        ("stages_to_rerun", _alphabetical_rerun, "must run before"),
        ("parallel_groups", lambda edges: [sorted({n for e in edges for n in e})], "layers"),
        ("changed_keys", _edited_only, "expected the keys"),
    ],
    ids=lambda v: v if isinstance(v, str) and " " not in v else None,
)
def test_checks_catch_typical_mistakes(name: str, wrong: Callable[..., object], match: str) -> None:
    check = checks.CHECKS.named(name).check
    with pytest.raises(AssertionError, match=match):
        check(wrong)


def test_rows_at_memory_flat_is_infinite() -> None:
    assert solutions.rows_at_memory([1, 2, 3], [5.0, 5.0, 4.0], 8) == np.inf

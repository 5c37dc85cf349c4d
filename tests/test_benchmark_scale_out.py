"""The scale-out benchmark: its partitions, its table, and module 08's README agreeing with it.

The benchmark itself takes minutes (`python -m benchmarks.scale_out`); these tests check
what it writes and that the README shows the figures of the results file, not older ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks import scale_out as bench
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS

RESULTS_JSON = bench.RESULTS.with_suffix(".json")
REQUIRED = ["rows", "workers", "single_process_s", "distributed_s", "speedup", "same_scores"]


def result(**changes: object) -> dict:
    """A results dict shaped like the benchmark's (figures made up, for the table's logic)."""
    base = {
        "rows": 1000, "copies": 2, "partitions": 4, "partition_rows": 250, "workers": 2,
        "single_process_s": 10.0, "single_cpu_s": 9.5, "distributed_s": 5.0,
        "worker_cpu_s": [4.7, 4.9], "scheduler_and_client_cpu_s": 0.3, "speedup": 2.0,
        "speedup_with_a_free_core_per_worker": 1.94, "goal_speedup": 1.6, "meets_goal": True,
        "same_scores": True, "single_core_share": 0.95, "worker_core_share": [0.94, 0.98],
        "cluster_start_s": 2.0, "model_send_s": 0.2, "warm_up_s": 1.0, "cpu_count": 2,
        "python": "3.11", "load_average_before": [0.5, 0.4, 0.3],
        "load_average_after": [1.9, 1.0, 0.5], "sched_autogroup": True,
        "single_cpu_per_partition_s": 2.375, "worker_cpu_per_partition_s": 2.4,
        "dask_malloc_trim": {"partitions": 2, "distributed_s": 4.0,
                             "worker_cpu_per_partition_s": 3.1},
    }  # fmt: skip
    return {**base, **changes}


def readme_block(text: str) -> str:
    return text.split(bench.BEGIN, 1)[1].split(bench.END, 1)[0].strip()


def test_write_partitions_copies_the_schedule_in_order(tiny_flights: pd.DataFrame, tmp_path):
    files = bench.write_partitions(tiny_flights, copies=3, parts_per_copy=4, folder=tmp_path)
    assert len(files) == 12
    back = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    assert list(back.columns) == SCHEDULE_COLUMNS
    expected = pd.concat([tiny_flights[SCHEDULE_COLUMNS]] * 3, ignore_index=True)
    np.testing.assert_array_equal(back["flight"], expected["flight"])
    assert len(back) == 3 * len(tiny_flights)


def test_table_shows_both_runs_and_the_goal():
    table = bench.to_markdown(result())
    assert "| one process | 1 | 1,000 | 10.0 | 100 | 9.5 | 1.00x | - |" in table
    assert "| Dask `LocalCluster` | 2 | 1,000 | 5.0 | 200 | 4.7 + 4.9 (+ 0.3) | 2.00x | True |" in (
        table
    )
    assert "Goal: at least 1.6x (met: True)" in table
    assert "2.375 in one process, 2.4 on the workers; 3.1 on workers that keep" in table
    assert "autogroup" not in table  # a quiet machine needs no warning


def test_table_warns_when_the_machine_was_busy():
    busy = result(load_average_before=[9.5, 9.0, 8.0], worker_core_share=[0.3, 0.31])
    table = bench.to_markdown(busy)
    assert "each worker 0.3 and 0.31 of a core" in " ".join(table.split())
    assert "Re-run on a quiet machine" in table


def test_update_readme_replaces_only_the_block(tmp_path: Path):
    page = tmp_path / "README.md"
    page.write_text(f"# T\n\nbefore\n\n{bench.BEGIN}\nold\n{bench.END}\n\nafter\n")
    bench.update_readme("| new |\n", page)
    assert page.read_text() == f"# T\n\nbefore\n\n{bench.BEGIN}\n| new |\n{bench.END}\n\nafter\n"


@pytest.mark.skipif(not RESULTS_JSON.exists(), reason="run python -m benchmarks.scale_out")
def test_results_have_the_issues_fields_and_the_readme_shows_them():
    measured = json.loads(RESULTS_JSON.read_text())
    assert set(REQUIRED) <= set(measured)
    assert measured["rows"] >= 10 * 336_776 and measured["workers"] >= 2
    assert measured["same_scores"] is True
    table = bench.to_markdown(measured)
    assert bench.RESULTS.with_suffix(".md").read_text() == table
    assert readme_block(bench.README.read_text()) == table.strip()

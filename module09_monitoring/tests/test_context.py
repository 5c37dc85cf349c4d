from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from labs_common.config import load_params
from module09_monitoring.context import load_months, monitoring_context, month_flights
from module09_monitoring.tests.conftest import FAST


def test_monitoring_context_takes_gates_and_costs_from_params_yaml() -> None:
    course = load_params()
    ctx = monitoring_context(0.37, out_dir=Path("out"))
    assert (ctx.params, ctx.gates, ctx.costs) == (course.monitor, course.register, course.cost)
    assert (ctx.threshold, ctx.out_dir, ctx.workspace) == (0.37, Path("out"), None)
    assert monitoring_context(0.5, params=FAST).params == FAST


@pytest.mark.parametrize("month", [0, 13], ids=["zero", "thirteen"])
def test_month_flights_rejects_a_month_that_does_not_exist(month: int) -> None:
    with pytest.raises(ValueError, match=f"month must be in 1..12, got {month}"):
        month_flights(pd.DataFrame({"month": [1]}), month)


def test_month_flights_refuses_a_month_the_files_do_not_hold() -> None:
    with pytest.raises(
        ValueError, match=r"no flights of month 7: these files hold months \[9, 10\]"
    ):
        month_flights(pd.DataFrame({"month": [10, 9, 9]}), 7)


def test_load_months_reads_every_file_and_keeps_the_order_asked(tmp_path: Path) -> None:
    early = pd.DataFrame({"month": [9, 10, 9], "day": [1, 2, 3]})
    late = pd.DataFrame({"month": [12, 11, 12], "day": [4, 5, 6]})
    files = [tmp_path / "valid.parquet", tmp_path / "test.parquet"]
    early.to_parquet(files[0])
    late.to_parquet(files[1])
    months = load_months([12, 9, 11], files)
    assert [m["day"].tolist() for m in months] == [[4, 6], [1, 3], [5]]
    assert all(m.index.tolist() == list(range(len(m))) for m in months)

"""Tests of the isolated measurements: clean processes, agreeing results, honest memory."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from module03_architecture import benchmark, scale


@pytest.fixture
def folder(tiny_flights: pd.DataFrame, tmp_path: Path) -> Path:
    scale.make_scaled_flights(tiny_flights, 2, tmp_path / "x2")
    return tmp_path / "x2"


def test_measure_method_returns_result_of_a_fresh_process(folder: Path) -> None:
    m, result = benchmark.measure_method("duckdb", folder)
    assert m.method == "duckdb" and m.seconds > 0 and math.isfinite(m.peak_mb)
    pd.testing.assert_frame_equal(result, scale.aggregate_duckdb(folder))


def test_measure_method_rejects_unknown_method(folder: Path) -> None:
    with pytest.raises(ValueError, match="possible values are"):
        benchmark.measure_method("spark", folder)


def test_compare_methods_all_agree_and_count_rows(folder: Path, tiny_flights: pd.DataFrame) -> None:
    table = benchmark.compare_methods(folder)
    assert table["method"].tolist() == list(scale.METHODS)
    assert (table["rows"] == 2 * len(tiny_flights)).all()
    assert list(table.columns) == ["method", "seconds", "peak_mb", "rows"]


def test_compare_scales_one_row_per_factor_and_method(
    tiny_flights: pd.DataFrame, tmp_path: Path
) -> None:
    table = benchmark.compare_scales(tiny_flights, [1, 3], tmp_path, ["pandas", "duckdb"])
    assert list(table.columns) == ["factor", "method", "seconds", "peak_mb", "rows"]
    assert table[["factor", "method"]].values.tolist() == [
        [1, "pandas"], [1, "duckdb"], [3, "pandas"], [3, "duckdb"]]  # fmt: skip
    assert (table["rows"] == table["factor"] * len(tiny_flights)).all()


def test_peak_rss_mb_sees_a_large_allocation() -> None:
    if not benchmark.reset_peak_rss():
        pytest.skip("resetting the peak needs Linux's /proc/self/clear_refs")
    before = benchmark.peak_rss_mb()
    block = np.ones(25_000_000)  # 200 MB, touched so it is resident
    assert block.sum() > 0
    assert benchmark.peak_rss_mb() - before > 150


def test_main_prints_table_and_fits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = pd.DataFrame({"factor": [1, 2, 1, 2], "method": ["pandas", "pandas", "duckdb", "duckdb"],
                         "seconds": [1.0, 2.0, 0.5, 0.6], "peak_mb": [100.0, 200.0, 40.0, 40.0],
                         "rows": [1_000_000, 2_000_000] * 2})  # fmt: skip
    calls = []
    monkeypatch.setattr(benchmark, "compare_scales", lambda *a: calls.append(a) or fake)
    monkeypatch.setattr(benchmark, "load_flights", lambda: None)
    args = ["--factor", "1", "--factor", "2", "--method", "pandas", "--method", "duckdb"]
    csv = tmp_path / "m.csv"
    out = CliRunner().invoke(benchmark.app, [*args, "--out-dir", str(tmp_path), "--csv", str(csv)])
    assert out.exit_code == 0, out.output
    pd.testing.assert_frame_equal(pd.read_csv(csv), fake, check_dtype=False)
    assert calls == [(None, [1, 2], tmp_path, ["pandas", "duckdb"])]
    assert "duckdb" in out.output and "Linear fits" in out.output and "100.0" in out.output

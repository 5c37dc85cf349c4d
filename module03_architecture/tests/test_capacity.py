"""Tests of the capacity extrapolation: linear fits, where RAM runs out, the scaling plot."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from module03_architecture import capacity


@pytest.fixture
def measured() -> pd.DataFrame:
    """Two methods at three sizes: pandas grows 80 MB per million rows, duckdb stays flat."""
    mrows = np.array([1.0, 2.0, 4.0])
    return pd.DataFrame({
        "method": ["pandas"] * 3 + ["duckdb"] * 3,
        "rows": np.tile(mrows * 1e6, 2).astype(int),
        "seconds": np.concatenate([0.5 * mrows, 0.1 + 0.05 * mrows]),
        "peak_mb": np.concatenate([20 + 80 * mrows, np.full(3, 45.0)]),
    })  # fmt: skip


def test_max_rows_in_memory_scales_linearly() -> None:
    assert capacity.max_rows_in_memory(peak_mb=1000, rows=10_000_000, memory_gb=16) == 160_000_000


@pytest.mark.parametrize("peak, rows", [(0, 10), (10, 0), (-1, 5)], ids=["peak0", "rows0", "neg"])
def test_max_rows_in_memory_rejects_non_positive(peak: float, rows: int) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        capacity.max_rows_in_memory(peak, rows, 16)


def test_fit_growth_recovers_slope_intercept_and_wall(measured: pd.DataFrame) -> None:
    fits = capacity.fit_growth(measured, memory_gb=8).set_index("method")
    assert fits.loc["pandas", "mb_per_mrows"] == pytest.approx(80)
    assert fits.loc["pandas", "fixed_mb"] == pytest.approx(20)
    assert fits.loc["pandas", "s_per_mrows"] == pytest.approx(0.5)
    assert fits.loc["pandas", "max_rows"] == pytest.approx((8000 - 20) / 80 * 1e6)


def test_fit_growth_flat_memory_never_hits_the_wall(measured: pd.DataFrame) -> None:
    fits = capacity.fit_growth(measured, memory_gb=8).set_index("method")
    assert np.isinf(fits.loc["duckdb", "max_rows"])


def test_fit_growth_needs_two_sizes(measured: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="one size only"):
        capacity.fit_growth(measured[measured["rows"] == 1_000_000], memory_gb=8)


def test_fit_growth_names_missing_columns(measured: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"\['peak_mb'\]"):
        capacity.fit_growth(measured.drop(columns="peak_mb"), memory_gb=8)


def test_plot_scaling_draws_both_panels_on_log_axes(measured: pd.DataFrame) -> None:
    fig = capacity.plot_scaling(measured, memory_gb=8)
    ax_t, ax_m = fig.axes
    assert ax_t.get_xscale() == ax_m.get_yscale() == "log"
    assert [t.get_text() for t in ax_t.get_legend().get_texts()] == ["pandas", "duckdb"]
    assert 8000 in [line.get_ydata()[0] for line in ax_m.get_lines()]  # the RAM line
    plt.close(fig)


def test_machine_memory_gb_is_plausible() -> None:
    assert 0.5 < capacity.machine_memory_gb() < 10_000

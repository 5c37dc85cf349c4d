"""Lesson 02, big data: from measured peaks to "where does this machine end?".

Why it matters: you rarely get to run the 100x table before you need it. Fitting how
memory and time grew over a few sizes, then extrapolating to the machine's RAM, tells you
in advance which engine will hit the wall, and when streaming or a cluster becomes a must.
"""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

_MEASURED = {"method", "rows", "seconds", "peak_mb"}


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


def fit_growth(measurements: pd.DataFrame, memory_gb: float) -> pd.DataFrame:
    """Fit ``peak_mb`` and ``seconds`` as straight lines in millions of rows, per method.

    Why it matters: the slope (MB per million rows) is the number that decides; a fixed
    cost (the intercept) does not grow, a slope does. Solving ``fixed + slope * rows =
    RAM`` gives the rows at which the method runs out of memory.

    Args:
        measurements: one row per method and size, with method, rows, seconds, peak_mb
            (what ``benchmark.compare_scales`` returns); at least two sizes per method.
        memory_gb: the memory to extrapolate to, e.g. :func:`machine_memory_gb`.

    Returns:
        Per method: mb_per_mrows, fixed_mb, s_per_mrows and max_rows (inf when memory
        does not grow with the rows).
    """
    missing = _MEASURED - set(measurements.columns)
    if missing:
        raise ValueError(f"measurements lack columns {sorted(missing)}; use compare_scales()")
    rows = []
    for method, group in measurements.groupby("method", sort=False):
        if group["rows"].nunique() < 2:
            raise ValueError(f"{method!r} was measured at one size only; measure two or more")
        mrows = group["rows"].to_numpy() / 1e6
        slope, fixed = np.polyfit(mrows, group["peak_mb"].to_numpy(), 1)
        s_slope = np.polyfit(mrows, group["seconds"].to_numpy(), 1)[0]
        max_rows = (memory_gb * 1000 - fixed) / slope * 1e6 if slope > 0 else np.inf
        rows.append({"method": method, "mb_per_mrows": slope, "fixed_mb": fixed,
                     "s_per_mrows": s_slope, "max_rows": max_rows})  # fmt: skip
    return pd.DataFrame(rows)


def plot_scaling(measurements: pd.DataFrame, memory_gb: float) -> Figure:
    """Time and peak memory against rows (log-log), memory extrapolated to ``memory_gb``.

    Why it matters: on log-log axes a method whose memory grows with the data climbs
    toward the RAM line; a streaming method stays flat. The picture shows the wall.
    """
    fits = fit_growth(measurements, memory_gb).set_index("method")
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(11, 4))
    biggest = measurements["rows"].max()
    wall = fits["max_rows"].replace(np.inf, 0).max() * 1.5
    grid = np.geomspace(measurements["rows"].min(), np.clip(wall, biggest * 10, biggest * 1e3))
    for method, group in measurements.groupby("method", sort=False):
        (line,) = ax_t.plot(group["rows"], group["seconds"], "o-", label=method)
        ax_m.plot(group["rows"], group["peak_mb"], "o", color=line.get_color(), label=method)
        fit = fits.loc[method]
        guess = np.clip(fit["fixed_mb"] + fit["mb_per_mrows"] * grid / 1e6, 1, None)
        ax_m.plot(grid, guess, "--", color=line.get_color(), alpha=0.6)
    ax_m.axhline(memory_gb * 1000, color="black", lw=1)
    ax_m.annotate(f"RAM {memory_gb:.0f} GB", (grid[0], memory_gb * 1000 * 1.15))
    ax_t.set(xscale="log", yscale="log", xlabel="rows", ylabel="seconds", title="Time")
    ax_m.set(xscale="log", yscale="log", xlabel="rows", ylabel="peak MB above baseline",
             title="Peak memory (dashed: linear fit, extrapolated)")  # fmt: skip
    ax_t.legend()
    fig.tight_layout()
    return fig

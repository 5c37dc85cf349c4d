"""Lesson 02, big data: measure time and peak memory of each engine in a clean process.

Why it matters: "DuckDB is faster" is a claim; a table of seconds and megabytes measured
on your machine, at several sizes, is evidence you can plan capacity with.

Run it: ``python -m module03_architecture.benchmark --factor 10`` (prints a table).
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from module03_architecture.scale import METHODS, load_flights, make_scaled_flights

app = typer.Typer(add_completion=False)

#: Where ``main`` writes the scale-up: a temp folder, never the repository.
SCALED_DIR = Path(tempfile.gettempdir()) / "flights_scaled"
Factors = Annotated[list[int] | None, typer.Option(help="repeat it: --factor 10 --factor 30")]
Methods = Annotated[list[str] | None, typer.Option(help="default: all; repeat: --method duckdb")]
_FORMATS = {"mb_per_mrows": "{:.1f}".format, "fixed_mb": "{:.0f}".format,
            "s_per_mrows": "{:.3f}".format, "max_rows": "{:,.0f}".format}  # fmt: skip


@dataclass(frozen=True)
class Measurement:
    """Wall time and extra peak memory (resident set) of one method on one dataset."""

    method: str
    seconds: float
    peak_mb: float


def peak_rss_mb() -> float:
    """Peak resident memory (RSS) of this process so far, in MB (1e6 bytes).

    Why it matters: the resident set counts every byte the process holds (Python, NumPy,
    Arrow, DuckDB alike); ``tracemalloc`` sees only Python's allocations and would miss
    most of what a query engine uses.
    """
    status = Path("/proc/self/status")
    if status.exists():  # Linux: the high-water mark of this process's own memory map
        kib = next(ln.split()[1] for ln in status.read_text().splitlines() if ln[:6] == "VmHWM:")
        return int(kib) * 1024 / 1e6
    import resource  # macOS: ru_maxrss is in bytes there

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def reset_peak_rss() -> bool:
    """Set the peak RSS back to the current RSS (Linux only); return whether it worked."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _run_isolated(method: str, folder: str) -> tuple[float, float, pd.DataFrame]:
    import dask.dataframe  # noqa: F401 - import before the baseline, like the others

    reset_peak_rss()
    before = peak_rss_mb()
    start = time.perf_counter()
    result = METHODS[method](Path(folder))
    seconds = time.perf_counter() - start
    return seconds, peak_rss_mb() - before, result


def _clean_context() -> BaseContext:
    """A forkserver that imported the engines once: each run forks a fresh, warm process."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")  # Windows: slower (imports again) but just as clean
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(["module03_architecture.scale", "dask.dataframe"])
    return ctx


def measure_method(method: str, folder: Path) -> tuple[Measurement, pd.DataFrame]:
    """Run one method in a fresh process; return its time, peak memory and result.

    Why it matters: a process rarely gives memory back, so memory is only comparable
    when each method starts in a clean process. The peak is measured above the process's
    resident set after its imports, so it is the memory the work itself needed.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; possible values are: {list(METHODS)}")
    with ProcessPoolExecutor(1, mp_context=_clean_context()) as pool:
        seconds, peak_mb, result = pool.submit(_run_isolated, method, str(folder)).result()
    return Measurement(method, seconds, peak_mb), result


def compare_methods(folder: Path, methods: list[str] | None = None) -> pd.DataFrame:
    """Measure each method on ``folder``, check they agree, return one row per method.

    Raises:
        AssertionError: two methods disagree on the aggregate.
    """
    rows, first = [], None
    for name in methods or list(METHODS):
        m, result = measure_method(name, folder)
        if first is None:
            first = result
        pd.testing.assert_frame_equal(result, first, check_dtype=False, rtol=1e-9)
        rows.append({**m.__dict__, "rows": int(result["flights"].sum())})
    return pd.DataFrame(rows)


def compare_scales(
    flights: pd.DataFrame, factors: list[int], root: Path, methods: list[str] | None = None
) -> pd.DataFrame:
    """Scale ``flights`` up by each factor under ``root`` and measure every method on it.

    Why it matters: one size says which engine is fastest today; several sizes say how
    time and memory *grow*, which is what decides where a single machine ends.

    Returns:
        One row per factor and method: factor, method, seconds, peak_mb, rows.
    """
    tables = []
    for factor in factors:
        folder = Path(root) / f"x{factor}"
        make_scaled_flights(flights, factor, folder)
        tables.append(compare_methods(folder, methods).assign(factor=factor))
    out = pd.concat(tables, ignore_index=True)
    return out[["factor", "method", "seconds", "peak_mb", "rows"]]


@app.command()
def main(
    factor: Factors = None,
    method: Methods = None,
    out_dir: Path = SCALED_DIR,
    csv: Annotated[Path | None, typer.Option(help="also save the measurements here")] = None,
) -> None:
    """Scale flights up, print each method's time and memory, then where RAM runs out."""
    factor = factor or [10]
    from rich.console import Console
    from rich.table import Table

    from module03_architecture.capacity import fit_growth, machine_memory_gb

    results = compare_scales(load_flights(), factor, out_dir, method)
    if csv is not None:
        results.to_csv(csv, index=False, float_format="%.4g")
    table = Table(title=f"flights scaled {', '.join(f'{f}x' for f in factor)}")
    for col in ("factor", "method", "seconds", "peak MB", "rows"):
        table.add_column(col, justify="right")
    for r in results.itertuples():
        table.add_row(f"{r.factor}x", r.method, f"{r.seconds:.2f}", f"{r.peak_mb:,.0f}",
                      f"{r.rows:,}")  # fmt: skip
    Console().print(table)
    if len(factor) > 1:
        memory = machine_memory_gb()
        fits = fit_growth(results, memory)
        Console().print(f"Linear fits, extrapolated to this machine's {memory:.0f} GB of RAM")
        Console().print(fits.to_string(index=False, formatters=_FORMATS))


if __name__ == "__main__":
    app()

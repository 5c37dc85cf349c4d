"""Seeded samples of the pipeline's temporal split, and their features, for the lessons.

Why it matters: a lesson must run in under a minute on a laptop, so the notebooks of this
module learn from a seeded sample of the training months (tens of thousands of flights)
instead of all of them. The sample is drawn from the files the ``split`` stage wrote, so
the lessons and the capstone see the same months, the same labels and the same features.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from labs_common import paths
from labs_common.config import SplitParams
from labs_common.data import read_table
from module04_ml_fundamentals.features import LABEL, FlightFeatures
from module04_ml_fundamentals.split import split_by_month

log = logging.getLogger(__name__)

TIME_ORDER = ["month", "day", "sched_dep_time"]


def limit_threads(n_threads: int = 1) -> object:
    """Cap the OpenMP and BLAS threads that scikit-learn and NumPy use, from now on.

    Why it matters: on a small shared machine, threads of one process fight the other
    processes for the same cores. Fitting the same gradient boosting model took 23 s with
    two OpenMP threads and 2.7 s with one, on the 2-core machine this course was written on,
    while other jobs ran. The limit applies to libraries already loaded, so this function
    imports scikit-learn's compiled parts first.

    Returns:
        The ``threadpoolctl`` limiter (call ``restore_original_limits()`` to undo).
    """
    import sklearn.ensemble  # noqa: F401 - loads the OpenMP runtime so the limit reaches it
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=n_threads)


def lookup_paths(raw_dir: Path = paths.RAW) -> dict[str, str]:
    """Return the weather and planes files :class:`FlightFeatures` learns its lookups from.

    Raises:
        FileNotFoundError: a file is missing; the message says which command makes it.
    """
    found = {f"{name}_path": Path(raw_dir) / f"{name}.parquet" for name in ("weather", "planes")}
    missing = [str(p) for p in found.values() if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"{missing} not found; run `dvc repro split` first")
    return {key: str(path) for key, path in found.items()}


def sample_rows(df: pd.DataFrame, n: int | None, seed: int = 0) -> pd.DataFrame:
    """Return at most ``n`` seeded rows of ``df``, sorted in time order, index reset.

    Time order matters for anything that splits by position (``TimeSeriesSplit``).

    Example:
        >>> df = pd.DataFrame({"month": [2, 1, 1], "day": [1, 2, 1], "sched_dep_time": 900})
        >>> sample_rows(df, None)["day"].tolist()
        [1, 2, 1]
    """
    if n is not None and n < len(df):
        df = df.sample(n, random_state=seed)
    return df.sort_values(TIME_ORDER, kind="stable").reset_index(drop=True)


def load_samples(
    sizes: dict[str, int | None], seed: int = 0, folder: Path = paths.PROCESSED
) -> dict[str, pd.DataFrame]:
    """Read each part of the split (``train``/``valid``/``test``) and draw a seeded sample.

    Args:
        sizes: rows wanted per part, e.g. ``{"train": 30_000, "valid": 10_000}``;
            ``None`` keeps the whole part.
        seed: the sampling seed.
        folder: where the ``split`` stage wrote ``<part>.parquet``.

    Raises:
        FileNotFoundError: the split has not been made yet (run ``dvc repro split``).
    """
    samples = {name: sample_rows(read_table(Path(folder) / f"{name}.parquet"), n, seed)
               for name, n in sizes.items()}  # fmt: skip
    log.info("Sampled %s", {name: len(df) for name, df in samples.items()})
    return samples


def sample_parts(
    df: pd.DataFrame, split: SplitParams, sizes: dict[str, int | None], seed: int = 0
) -> dict[str, pd.DataFrame]:
    """Split a labelled frame by month as the ``split`` stage does, then sample each part.

    The leakage lesson uses it on the raw flights, which still hold ``dep_delay``.
    """
    parts = split_by_month(df, split)
    return {name: sample_rows(parts[name], n, seed) for name, n in sizes.items()}


def compute_features(
    parts: dict[str, pd.DataFrame],
    lookups: dict[str, str | None],
    use_weather: bool = True,
    **feature_args: object,
) -> dict[str, pd.DataFrame]:
    """Fit :class:`FlightFeatures` once and return the features of every part.

    Why it matters: in the capstone the features are the first step of the model. A lesson
    that compares many models computes them once and fits only what differs.
    ``feature_args`` go to :class:`FlightFeatures` (``decision_hours``, ``weather``).
    """
    features = FlightFeatures(use_weather=use_weather, **lookups, **feature_args).fit(None)
    return {name: features.transform(part) for name, part in parts.items()}


def labels(parts: dict[str, pd.DataFrame], names: Iterable[str] | None = None) -> dict:
    """Return the ``late`` labels of each part as NumPy arrays."""
    return {name: parts[name][LABEL].to_numpy() for name in names or parts}

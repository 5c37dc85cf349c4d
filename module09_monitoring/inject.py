"""Known drift, injected on purpose: the monitor's own test bench.

Why it matters: a drift detector that never fires looks exactly like a drift detector
that works on quiet data. The only way to trust it is to break the data on purpose, by a
known amount, and check that it notices, and to feed it unchanged data and check that it
stays quiet. Each function returns a changed copy of a flights frame (raw columns).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from module04_ml_fundamentals.features import LABEL


def _pick(n: int, share: float, seed: int) -> np.ndarray:
    """A boolean mask selecting ``round(share * n)`` rows at random."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be in [0, 1], got {share}")
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(seed).choice(n, round(share * n), replace=False)] = True
    return mask


def shift_numeric(flights: pd.DataFrame, column: str, factor: float) -> pd.DataFrame:
    """Return a copy with ``column`` multiplied by ``factor`` (e.g. every route 30% longer).

    Example:
        >>> shift_numeric(pd.DataFrame({"distance": [100, 200]}), "distance", 1.5).distance.tolist()
        [150.0, 300.0]
    """
    out = flights.copy()
    out[column] = out[column].astype(float) * factor
    return out


def change_category_mix(
    flights: pd.DataFrame, column: str, value: str, share: float, seed: int = 0
) -> pd.DataFrame:
    """Return a copy where a random ``share`` of rows takes the category ``value``.

    Why it matters: a new airline partnership or a closed terminal changes *who* flies
    without changing any number; only the mix of a category column shows it.
    """
    out = flights.copy()
    column_values = out[column]
    is_category = isinstance(column_values.dtype, pd.CategoricalDtype)
    if is_category and value not in column_values.cat.categories:
        column_values = column_values.cat.add_categories([value])
    out[column] = column_values.mask(_pick(len(out), share, seed), value)
    return out


def set_label_rate(flights: pd.DataFrame, rate: float, seed: int = 0) -> pd.DataFrame:
    """Return a copy whose ``late`` labels are flipped at random until their mean is ``rate``.

    Why it matters: this is label (prior) shift: the inputs stay the same, the world's
    answer changes. Only the label-based monitors can see it.
    """
    out = flights.copy()
    y = out[LABEL].to_numpy().astype(int)
    need = round(rate * len(y)) - int(y.sum())
    pool = np.flatnonzero(y == (0 if need > 0 else 1))
    flip = np.random.default_rng(seed).choice(pool, min(abs(need), len(pool)), replace=False)
    y[flip] = 1 - y[flip]
    out[LABEL] = y.astype(flights[LABEL].dtype)
    return out


def add_missing(flights: pd.DataFrame, column: str, share: float, seed: int = 0) -> pd.DataFrame:
    """Return a copy with a random ``share`` of ``column`` set missing (a broken feed).

    Example:
        >>> add_missing(pd.DataFrame({"t": ["N1", "N2"]}), "t", 0.5)["t"].isna().sum()
        np.int64(1)
    """
    out = flights.copy()
    out[column] = out[column].mask(_pick(len(out), share, seed))
    return out


def swap_label_rates(
    flights: pd.DataFrame, first: np.ndarray, second: np.ndarray, seed: int = 0
) -> pd.DataFrame:
    """Return a copy where two slices trade late rates (labels flipped at random in each).

    Why it matters: this is concept drift: the inputs are the same rows, the overall late
    rate barely moves, yet what a flight's features say about its delay has changed. Only
    the monitors that compare scores with outcomes per flight (ranking, calibration per
    bin) can see it.

    Args:
        flights: rows with ``late``.
        first: boolean mask of the first slice (e.g. morning departures).
        second: boolean mask of the second slice; must not overlap ``first``.
        seed: which labels are flipped.

    Raises:
        ValueError: the slices overlap or one is empty.
    """
    first, second = np.asarray(first, dtype=bool), np.asarray(second, dtype=bool)
    if (first & second).any() or not first.any() or not second.any():
        raise ValueError("the two slices must be non-empty and must not overlap")
    out = flights.copy()
    rates = out.loc[first, LABEL].mean(), out.loc[second, LABEL].mean()
    for mask, rate in ((first, rates[1]), (second, rates[0])):
        part = set_label_rate(out.loc[mask], float(rate), seed)
        out.loc[mask, LABEL] = part[LABEL].to_numpy()
    return out

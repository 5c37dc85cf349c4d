"""Module 01 exercises: fill in each function, then run ``labs check 1``.

Each function says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 1`` (or ``show_results(1)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

import pandas as pd


def cancelled_share(flights: pd.DataFrame) -> float:
    """Return the share (0-1) of flights that never arrived: ``arr_delay`` is missing.

    Notebook 01. Example: 2 flights out of 8 with no ``arr_delay`` -> 0.25.
    """
    # TODO: one line with .isna() and .mean()
    raise NotImplementedError


def busiest_route(flights: pd.DataFrame) -> tuple[str, str]:
    """Return the ``(origin, dest)`` pair with the most flights, as two plain strings.

    Notebook 01. Count every scheduled flight, cancelled ones included.
    """
    # TODO: group by origin and dest, count, take the largest; return (str, str)
    raise NotImplementedError


def late_share_by_origin(flights: pd.DataFrame, late_minutes: int = 15) -> pd.Series:
    """Return, per origin airport, the share of *arrived* flights more than ``late_minutes`` late.

    Notebook 02. Flights with a missing ``arr_delay`` have no label: leave them out of
    both the numerator and the denominator. The index holds the origin codes.
    """
    # TODO: drop missing arr_delay, compare with late_minutes, average per origin
    raise NotImplementedError


def share_with_plane(flights: pd.DataFrame, planes: pd.DataFrame) -> float:
    """Return the share (0-1) of flights whose ``tailnum`` appears in ``planes.tailnum``.

    Notebook 02. A flight with a missing ``tailnum`` counts as not found.
    """
    # TODO: .isin() on the two tailnum columns, then the mean
    raise NotImplementedError


def failing_columns(df: pd.DataFrame, table: str) -> list[str]:
    """Return the sorted column names of ``df`` that break an *error* rule of the contract.

    Notebook 03. Use ``module01_intro.contract.check_table``; warnings do not count.
    """
    # TODO: check_table(df, table).errors, then its "column" values, unique and sorted
    raise NotImplementedError


def pseudonymise(values: pd.Series, key: bytes) -> pd.Series:
    """Replace each value by the first 16 hex digits of its HMAC-SHA256 under ``key``.

    Notebook 03. The same value and key always give the same code (so joins still work);
    without the secret key nobody can recompute a code, so a public list of candidates
    (the FAA register) reveals nothing. Missing values stay missing. Not ``sha256(salt +
    value)``: that is the hand-made construction HMAC replaces.
    """
    # TODO: a keyed hash (HMAC) of each non-missing value; keep 16 hex digits
    raise NotImplementedError

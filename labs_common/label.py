"""The label of the course, written once: a flight is late when it arrives more than
``features.late_minutes`` minutes late (params.yaml).

Why it matters: the label is the one fact every module shares. Written again in each
module (pandas here, SQL there, a literal 15 somewhere else), the copies drift: one counts
a cancelled flight as "on time", another ignores params.yaml. So the rule lives here, in
the lowest layer, in two forms that cannot disagree: :func:`is_late` / :func:`late_label`
for pandas (and Dask) and :func:`late_sql` for DuckDB. A flight with no ``arr_delay``
(cancelled or diverted) has no label: ``NaN`` in pandas, ``NULL`` in SQL.

``tests/test_label_rule.py`` fails when a label literal appears outside this file, and pins
the lessons that re-implement the rule on purpose (module 02's ``late_labels``, module 06's
loop and vectorised versions, module 03's pandas twin of a query) to it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import paths
from labs_common.config import load_params

#: The label column the features stage writes and every model learns.
LABEL = "late"
#: The raw column the label comes from: minutes of arrival delay, missing if never arrived.
DELAY = "arr_delay"

_SQL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_SQL_PARAMETER = re.compile(r"^(\$[A-Za-z_]\w*|\?)$")


def late_minutes(params_path: Path = paths.PARAMS_PATH) -> int:
    """Return the label's threshold, ``features.late_minutes`` of params.yaml.

    Example:
        >>> late_minutes() >= 0
        True
    """
    return load_params(params_path).features.late_minutes


def resolve_minutes(minutes: int | None) -> int:
    """Return ``minutes``, or params.yaml's threshold when it is None; reject nonsense.

    Why it matters: a function may take the threshold as an argument (a lesson varies it)
    but its default must be the pipeline's, never a number typed again.

    Raises:
        ValueError: not a whole number of minutes >= 0.
    """
    if minutes is None:
        return late_minutes()
    if isinstance(minutes, bool) or not float(minutes).is_integer() or minutes < 0:
        raise ValueError(f"late_minutes must be a whole number >= 0, got {minutes!r}")
    return int(minutes)


def is_late(arr_delay, minutes: int | None = None):
    """Return True where a flight arrived more than ``minutes`` late (False if on time or
    never arrived: compare with ``arr_delay.notna()`` to tell those apart).

    Works on a pandas or Dask Series and a NumPy array alike (it is one comparison).

    Example:
        >>> is_late(pd.Series([3.0, 40.0, None]), 15).tolist()
        [False, True, False]
    """
    return arr_delay > resolve_minutes(minutes)


def late_label(arr_delay: pd.Series, minutes: int | None = None) -> pd.Series:
    """Return the label as floats: 1.0 late, 0.0 on time, NaN where the flight never arrived.

    Example:
        >>> late_label(pd.Series([3.0, 40.0, None]), 15).tolist()
        [0.0, 1.0, nan]
    """
    delay = pd.to_numeric(arr_delay, errors="coerce")
    values = np.where(delay.isna(), np.nan, is_late(delay, minutes).astype(float))
    return pd.Series(values, index=delay.index, name=LABEL)


def add_late_label(flights: pd.DataFrame, minutes: int | None = None) -> pd.DataFrame:
    """Return the arrived flights only, with ``late`` as int8 (0/1); cancelled ones dropped.

    Why it matters: a cancelled or diverted flight has no arrival delay. Calling it "on time"
    or "late" would be a guess; a model learns only from flights that have a label.

    Example:
        >>> add_late_label(pd.DataFrame({"arr_delay": [3.0, 40.0, None]}), 15)["late"].tolist()
        [0, 1]
    """
    arrived = flights.dropna(subset=[DELAY]).copy()
    arrived[LABEL] = is_late(arrived[DELAY], minutes).astype("int8")
    return arrived.reset_index(drop=True)


def late_sql(minutes: int | str | None = None, column: str = DELAY) -> str:
    """Return the rule as a DuckDB expression: 1.0 late, 0.0 on time, NULL if never arrived.

    Why it matters: a query and a DataFrame must agree on the label to the row, NULLs
    included (``avg`` then skips flights that have no label, as pandas' ``mean`` does).

    Args:
        minutes: a whole number (written into the SQL after validation), a query parameter
            such as ``"$late"`` (bound when the query runs), or None for params.yaml's.
        column: the delay column, or ``alias.arr_delay``.

    Example:
        >>> late_sql(15)
        'CAST(arr_delay > 15 AS DOUBLE)'
        >>> late_sql("$late", column="f.arr_delay")
        'CAST(f.arr_delay > $late AS DOUBLE)'
    """
    if not _SQL_NAME.match(column):
        raise ValueError(f"column must be a SQL name such as arr_delay, got {column!r}")
    if isinstance(minutes, str):
        if not _SQL_PARAMETER.match(minutes):
            raise ValueError(f"a SQL parameter looks like $late or ?, got {minutes!r}")
        threshold = minutes
    else:
        threshold = str(resolve_minutes(minutes))
    return f"CAST({column} > {threshold} AS DOUBLE)"

"""What every monitoring run shares: the flights of a month, and the context of the checks.

Why it matters: four programs judge production months: the DVC stage ``monitor``
(``replay.py``), the Prefect flow ``monitor_and_retrain`` (``capstone/flows.py``),
``labs monitor`` (``check.py``) and the monitoring benchmark. If each picked its month and
gathered its rules, gates, costs and decision threshold its own way, they could judge the
same month differently and nobody would notice. They all call the two functions below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labs_common import contract, paths
from labs_common.config import CostParams, Params, RegisterParams, load_params
from labs_common.data import read_table
from module09_monitoring.params import MonitorParams

#: The files holding the production months: the split's validation and test months.
PRODUCTION_FILES = (contract.VALID_SPLIT, contract.TEST_SPLIT)


@dataclass
class Context:
    """What every month of a monitoring run needs besides the data.

    ``threshold`` is the decision threshold the model in production flags with; ``raw_dir``
    holds the lookups a retrained challenger reads; ``out_dir`` (and ``workspace``) receive
    the Evidently reports, nothing is written when it is None.
    """

    params: MonitorParams
    gates: RegisterParams
    costs: CostParams
    threshold: float
    raw_dir: Path | None = None
    out_dir: Path | None = None
    workspace: Path | None = None


def monitoring_context(
    threshold: float,
    *,
    params: MonitorParams | None = None,
    course: Params | None = None,
    raw_dir: Path | None = paths.RAW,
    out_dir: Path | None = None,
    workspace: Path | None = None,
) -> Context:
    """Gather the rules (``monitor``), the gates (``register``) and the costs of params.yaml.

    Args:
        threshold: the decision threshold of the model in production (its registry tag).
        params: other monitoring rules (a test's fast ones); default ``monitor`` of ``course``.
        course: the course's parameters; default ``load_params()``.
        raw_dir, out_dir, workspace: see :class:`Context`.
    """
    course = course or load_params()
    return Context(
        params or course.monitor,
        course.register,
        course.cost,
        threshold,
        raw_dir,
        out_dir,
        workspace,
    )


def month_flights(flights: pd.DataFrame, month: int) -> pd.DataFrame:
    """Return the flights of ``month`` (1-12), index reset.

    A month with no flights is an error, not an empty frame: there is nothing to score or
    judge, and the mistake (a month the files do not hold) should say so where it is made.

    Example:
        >>> month_flights(pd.DataFrame({"month": [9, 10, 9]}), 9).index.tolist()
        [0, 1]
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month must be in 1..12, got {month}")
    rows = flights.loc[flights["month"] == month].reset_index(drop=True)
    if rows.empty:
        held = sorted(int(m) for m in flights["month"].unique())
        raise ValueError(f"no flights of month {month}: these files hold months {held}")
    return rows


def production_flights(files: Sequence[Path] = PRODUCTION_FILES) -> pd.DataFrame:
    """Read the flights files that hold the production months (default: valid + test)."""
    return pd.concat([read_table(Path(f)) for f in files], ignore_index=True)


def load_months(
    months: Sequence[int], files: Sequence[Path] = PRODUCTION_FILES
) -> list[pd.DataFrame]:
    """Return the flights of each of ``months``, in the order given."""
    flights = production_flights(files)
    return [month_flights(flights, m) for m in months]

"""Module 06 exercises: fill in each function (and the class), then run ``labs check 6``.

Each one says which notebook introduces it. Replace the ``raise NotImplementedError``
with your code; ``labs check 6`` (or ``show_results(6)`` in a notebook) tells you which
ones pass, and gives a hint for the others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd


def late_share_by_hour(
    flights: pd.DataFrame, origin: str | None = None, late_minutes: int = 15
) -> pd.Series:
    """Return the share of *arrived* flights more than ``late_minutes`` late, per scheduled
    departure hour (``sched_dep_time // 100``), for one ``origin`` or all when ``None``.

    Notebook 01: the refactoring of the cell shown there. Leave ``flights`` unchanged, and
    leave flights with a missing ``arr_delay`` out. The index holds the hours (integers).
    """
    # TODO: filter the origin (if given), drop missing arr_delay, group by hour, mean
    raise NotImplementedError


class RunningLateShare:
    """The late share of a stream of flights, updated one batch at a time.

    Notebook 01. ``update(delays)`` takes a batch of arrival delays (NaN = cancelled, not
    counted) and returns ``self``; ``arrived``, ``late`` and ``share`` (NaN before any
    arrived flight) describe everything seen so far. Two instances must not share counts.
    """

    def __init__(self, late_minutes: int = 15) -> None:
        self.late_minutes = late_minutes
        # TODO: start the two counts at zero (here, on self, not on the class)

    def update(self, delays: np.ndarray | pd.Series | list[float]) -> RunningLateShare:
        # TODO: add this batch's arrived and late counts to the totals; return self
        raise NotImplementedError

    @property
    def share(self) -> float:
        # TODO: late / arrived, or float("nan") when nothing arrived yet
        raise NotImplementedError


def compose(*steps: Callable) -> Callable:
    """Return one function that applies ``steps`` left to right: ``compose(f, g)(x) == g(f(x))``.

    Notebook 01. With no steps, return a function that gives its input back unchanged.
    """
    # TODO: a loop inside an inner function, or functools.reduce
    raise NotImplementedError


def layer_violations(edges: pd.DataFrame) -> list[tuple[str, str]]:
    """Return the ``(importer, imported)`` pairs that break the course's layering rule.

    Notebook 02. ``edges`` has columns ``importer`` and ``imported`` holding package names
    such as ``module04_ml_fundamentals``; module N may import only modules numbered below
    N. Return the offending pairs sorted, each once.
    """
    # TODO: read the two digits after "module" in each name and compare them
    raise NotImplementedError


def missing_parts(folder: Path) -> list[str]:
    """Return which standard parts a module folder lacks, in this order:
    ``__init__.py``, ``README.md`` (files), ``notebooks/``, ``tests/`` (folders, written
    with the slash).

    Notebook 02. A file where a folder should be (or the reverse) counts as missing.
    """
    # TODO: Path.is_file() for the files, Path.is_dir() for the folders
    raise NotImplementedError


def micro_batch_sizes(arrival_s: np.ndarray, max_batch: int, max_wait_s: float) -> list[int]:
    """Return the size of each micro-batch when a batch closes as soon as it holds
    ``max_batch`` requests or ``max_wait_s`` seconds after its first request arrived.

    Notebook 03. ``arrival_s`` is sorted; the scorer is instant (never busy). A request
    arriving exactly at the deadline still joins the batch.
    """
    # TODO: walk the arrivals; open a batch at the first waiting request, fill, close
    raise NotImplementedError


def smallest_batch_for(rate_per_s: float, overhead_s: float, per_row_s: float) -> int | None:
    """Return the smallest batch size ``n`` whose throughput ``n / (overhead_s +
    per_row_s * n)`` reaches ``rate_per_s``, or ``None`` if no batch size ever does.

    Notebook 03: which micro-batch keeps up with the busiest minute of the day?
    """
    # TODO: solve n / (a + b n) >= rate for n (mind the case where it has no solution)
    raise NotImplementedError


def accountable_for(raci: pd.DataFrame, activity: str) -> str:
    """Return the one role (column) whose cell holds ``A`` for ``activity`` (a row).

    Notebook 04. Cells may combine letters, e.g. ``"AR"``. Raise ``ValueError`` if the
    activity is unknown or has no or several A.
    """
    # TODO: take the row, keep the columns whose cell contains "A", check there is one
    raise NotImplementedError


def activities_breaking_rules(raci: pd.DataFrame) -> list[str]:
    """Return the activities (row names, in table order) without exactly one ``A`` or
    without at least one ``R``.

    Notebook 04.
    """
    # TODO: count the cells containing "A" and "R" per row
    raise NotImplementedError


def handoff_pairs(edges: list[tuple[str, str]], owners: dict[str, str]) -> list[tuple[str, str]]:
    """Return the sorted, distinct ``(from_role, to_role)`` pairs of the stage edges
    ``(upstream, downstream)`` whose owners differ. Skip stages missing from ``owners``.

    Notebook 04: which pairs of roles need a written contract between them?
    """
    # TODO: look both stages up in owners; keep the pairs of two different roles
    raise NotImplementedError

"""Reference answers to module 06's exercises (``starter.py`` never imports this file)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd


def late_share_by_hour(
    flights: pd.DataFrame, origin: str | None = None, late_minutes: int = 15
) -> pd.Series:
    """Late share of arrived flights per scheduled departure hour."""
    rows = flights if origin is None else flights[flights["origin"] == origin]
    arrived = rows.dropna(subset=["arr_delay"])
    hour = arrived["sched_dep_time"] // 100
    return arrived["arr_delay"].gt(late_minutes).groupby(hour).mean()


class RunningLateShare:
    """The late share of a stream of flights, updated one batch at a time."""

    def __init__(self, late_minutes: int = 15) -> None:
        self.late_minutes = late_minutes
        self.arrived = 0
        self.late = 0

    def update(self, delays: np.ndarray | pd.Series | list[float]) -> RunningLateShare:
        values = np.asarray(delays, dtype=float)
        arrived = values[~np.isnan(values)]
        self.arrived += len(arrived)
        self.late += int((arrived > self.late_minutes).sum())
        return self

    @property
    def share(self) -> float:
        return self.late / self.arrived if self.arrived else float("nan")


def compose(*steps: Callable) -> Callable:
    """Apply ``steps`` left to right."""

    def run(x: object) -> object:
        for step in steps:
            x = step(x)
        return x

    return run


def _number(name: str) -> int:
    return int(re.match(r"module(\d\d)", name).group(1))


def layer_violations(edges: pd.DataFrame) -> list[tuple[str, str]]:
    """Pairs where a module imports one numbered the same or higher."""
    pairs = zip(edges["importer"], edges["imported"], strict=True)
    return sorted({(a, b) for a, b in pairs if a != b and _number(b) >= _number(a)})


def missing_parts(folder: Path) -> list[str]:
    """Standard parts a module folder lacks."""
    folder = Path(folder)
    files = [p for p in ("__init__.py", "README.md") if not (folder / p).is_file()]
    return files + [f"{p}/" for p in ("notebooks", "tests") if not (folder / p).is_dir()]


def micro_batch_sizes(arrival_s: np.ndarray, max_batch: int, max_wait_s: float) -> list[int]:
    """Sizes of size-or-timeout micro-batches with an instant scorer."""
    arrival = np.asarray(arrival_s, dtype=float)
    sizes, i = [], 0
    while i < len(arrival):
        deadline = arrival[i] + max_wait_s
        stop = min(i + max_batch, int(np.searchsorted(arrival, deadline, side="right")))
        sizes.append(stop - i)
        i = stop
    return sizes


def smallest_batch_for(rate_per_s: float, overhead_s: float, per_row_s: float) -> int | None:
    """Smallest n with n / (a + b n) >= rate; None when rate * b >= 1."""
    if rate_per_s * per_row_s >= 1:
        return None
    n = rate_per_s * overhead_s / (1 - rate_per_s * per_row_s)
    return max(1, math.ceil(n - 1e-9))


def accountable_for(raci: pd.DataFrame, activity: str) -> str:
    """The one role holding A for ``activity``."""
    if activity not in raci.index:
        raise ValueError(f"unknown activity {activity!r}")
    row = raci.loc[activity]
    roles = [role for role, cell in row.items() if "A" in cell]
    if len(roles) != 1:
        raise ValueError(f"{activity!r} has {len(roles)} accountable roles: {roles}")
    return roles[0]


def activities_breaking_rules(raci: pd.DataFrame) -> list[str]:
    """Activities without exactly one A or without an R."""
    a = raci.apply(lambda row: sum("A" in c for c in row), axis=1)
    r = raci.apply(lambda row: sum("R" in c for c in row), axis=1)
    return [str(name) for name in raci.index[(a != 1) | (r < 1)]]


def handoff_pairs(edges: list[tuple[str, str]], owners: dict[str, str]) -> list[tuple[str, str]]:
    """Distinct (from_role, to_role) pairs across stage edges."""
    pairs = {(owners[u], owners[d]) for u, d in edges if u in owners and d in owners}
    return sorted((a, b) for a, b in pairs if a != b)

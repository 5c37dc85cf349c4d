"""Wrong answers to module 06's exercises, each a small change of the reference answer."""

from __future__ import annotations

import math
import re
from functools import reduce
from pathlib import Path

import numpy as np

from module06_lifecycle.exercises import solutions


def _by_hour(flights, origin=None, late_minutes=15, *, column="sched_dep_time", ge=False,
             keep_cancelled=False, ignore_origin=False):  # fmt: skip
    rows = flights if origin is None or ignore_origin else flights[flights["origin"] == origin]
    arrived = rows if keep_cancelled else rows.dropna(subset=["arr_delay"])
    hour = arrived[column] // 100
    late = arrived["arr_delay"].ge(late_minutes) if ge else arrived["arr_delay"].gt(late_minutes)
    return late.groupby(hour).mean()


class SharedCounts(solutions.RunningLateShare):
    """Counts kept on the class: every instance adds to the same totals."""

    arrived = 0
    late = 0

    def __init__(self, late_minutes: int = 15) -> None:
        self.late_minutes = late_minutes

    def update(self, delays):
        values = np.asarray(delays, dtype=float)
        arrived = values[~np.isnan(values)]
        type(self).arrived += len(arrived)
        type(self).late += int((arrived > self.late_minutes).sum())
        return self


class MeanOfBatchShares(solutions.RunningLateShare):
    """The share of each batch averaged, as if batches had equal sizes."""

    def __init__(self, late_minutes: int = 15) -> None:
        super().__init__(late_minutes)
        self._shares: list[float] = []

    def update(self, delays):
        super().update(delays)
        values = np.asarray(delays, dtype=float)
        values = values[~np.isnan(values)]
        if len(values):
            self._shares.append(float((values > self.late_minutes).mean()))
        return self

    @property
    def share(self) -> float:
        return float(np.mean(self._shares)) if self._shares else float("nan")


class NanCounted(solutions.RunningLateShare):
    """A cancelled flight counted as an arrival on time."""

    def update(self, delays):
        values = np.nan_to_num(np.asarray(delays, dtype=float), nan=0.0)
        return super().update(values)


class FixedShare(solutions.RunningLateShare):
    """An answer that does not compute: the share a student saw once, whatever the flights."""

    @property
    def share(self) -> float:
        return 0.2


def _violations(edges, *, strict=False, keep_self=False, no_dedup=False):
    def number(name: str) -> int:
        return int(re.match(r"module(\d\d)", name).group(1))

    pairs = [
        (a, b)
        for a, b in zip(edges["importer"], edges["imported"], strict=True)
        if (keep_self or a != b) and (number(b) > number(a) if strict else number(b) >= number(a))
    ]
    return sorted(pairs) if no_dedup else sorted(set(pairs))


def _missing(folder, *, exists=False, no_slash=False, reorder=False):
    folder = Path(folder)
    test_file = Path.exists if exists else Path.is_file
    test_dir = Path.exists if exists else Path.is_dir
    files = [p for p in ("__init__.py", "README.md") if not test_file(folder / p)]
    dirs = [p if no_slash else f"{p}/" for p in ("notebooks", "tests") if not test_dir(folder / p)]
    return dirs + files if reorder else files + dirs


def _batches(arrival_s, max_batch, max_wait_s, *, strict=False, extra=0, from_last=False):
    arrival = np.asarray(arrival_s, dtype=float)
    sizes, i = [], 0
    while i < len(arrival):
        stop = i + 1
        while stop < len(arrival) and stop - i < max_batch + extra:
            start = arrival[stop - 1] if from_last else arrival[i]
            late = (
                arrival[stop] >= start + max_wait_s
                if strict
                else arrival[stop] > start + max_wait_s
            )
            if late:
                break
            stop += 1
        sizes.append(stop - i)
        i = stop
    return sizes


def _smallest(rate, overhead, per_row, *, floor=False, no_none=False, plus_one=False):
    if rate * per_row >= 1 and not no_none:
        return None
    if rate * per_row >= 1:
        return 10**9
    n = rate * overhead / (1 - rate * per_row)
    n = math.floor(n) if floor else math.ceil(n - 1e-9)
    return max(1, n) + (1 if plus_one else 0)


def _accountable(raci, activity, *, exact=False, first=False, unchecked=False):
    if activity not in raci.index:
        raise ValueError(activity)
    row = raci.loc[activity]
    if first:
        return next(role for role, cell in row.items() if "A" in cell or "R" in cell)
    roles = [r for r, c in row.items() if (c == "A" if exact else "A" in c)]
    if len(roles) != 1 and not unchecked:
        raise ValueError(activity)
    return roles[0]


def _breaking(raci, *, a_only=False, by_name=False, r_exactly_one=False):
    a = raci.apply(lambda row: sum("A" in c for c in row), axis=1)
    r = raci.apply(lambda row: sum("R" in c for c in row), axis=1)
    bad = a != 1
    if not a_only:
        bad |= (r != 1) if r_exactly_one else (r < 1)
    names = [str(n) for n in raci.index[bad]]
    return sorted(names) if by_name else names


def _handoffs(edges, owners, *, keep_same=False, flipped=False, no_dedup=False):
    pairs = [(owners[u], owners[d]) for u, d in edges if u in owners and d in owners]
    pairs = [(b, a) if flipped else (a, b) for a, b in pairs if keep_same or a != b]
    return sorted(pairs) if no_dedup else sorted(set(pairs))


MUTANTS = {
    "late_share_by_hour": {
        "departure hour from dep_time": lambda f, origin=None, late_minutes=15: _by_hour(
            f, origin, late_minutes, column="dep_time"
        ),
        ">= instead of >": lambda f, origin=None, late_minutes=15: _by_hour(
            f, origin, late_minutes, ge=True
        ),
        "origin ignored": lambda f, origin=None, late_minutes=15: _by_hour(
            f, origin, late_minutes, ignore_origin=True
        ),
        "cancelled counted as on time": lambda f, origin=None, late_minutes=15: _by_hour(
            f, origin, late_minutes, keep_cancelled=True
        ),
    },
    "RunningLateShare": {
        "counts on the class": SharedCounts,
        "mean of batch shares": MeanOfBatchShares,
        "NaN counted as on time": NanCounted,
        "a fixed share (does not compute)": FixedShare,
    },
    "compose": {
        "right to left": lambda *steps: lambda x: reduce(lambda acc, f: f(acc), steps[::-1], x),
        "first step only": lambda *steps: steps[0] if steps else (lambda x: x),
        "last step skipped": lambda *steps: lambda x: reduce(lambda acc, f: f(acc), steps[:-1], x),
    },
    "layer_violations": {
        "same number allowed": lambda e: _violations(e, strict=True),
        "self-imports counted": lambda e: _violations(e, keep_self=True),
        "repeated pairs kept": lambda e: _violations(e, no_dedup=True),
    },
    "missing_parts": {
        "exists() for files and folders": lambda f: _missing(f, exists=True),
        "folders without the slash": lambda f: _missing(f, no_slash=True),
        "folders first": lambda f: _missing(f, reorder=True),
    },
    "micro_batch_sizes": {
        "deadline excluded": lambda a, b, w: _batches(a, b, w, strict=True),
        "one request too many per batch": lambda a, b, w: _batches(a, b, w, extra=1),
        "wait counted from the last request": lambda a, b, w: _batches(a, b, w, from_last=True),
    },
    "smallest_batch_for": {
        "rounded down": lambda r, o, p: _smallest(r, o, p, floor=True),
        "never None": lambda r, o, p: _smallest(r, o, p, no_none=True),
        "one more than needed": lambda r, o, p: _smallest(r, o, p, plus_one=True),
    },
    "accountable_for": {
        "cell must be exactly 'A'": lambda f, a: _accountable(f, a, exact=True),
        "first role with A or R": lambda f, a: _accountable(f, a, first=True),
        "two A not refused": lambda f, a: _accountable(f, a, unchecked=True),
    },
    "activities_breaking_rules": {
        "the A rule only": lambda f: _breaking(f, a_only=True),
        "sorted by name": lambda f: _breaking(f, by_name=True),
        "exactly one R required": lambda f: _breaking(f, r_exactly_one=True),
    },
    "handoff_pairs": {
        "same-role pairs kept": lambda e, o: _handoffs(e, o, keep_same=True),
        "direction flipped": lambda e, o: _handoffs(e, o, flipped=True),
        "repeated pairs kept": lambda e, o: _handoffs(e, o, no_dedup=True),
    },
}

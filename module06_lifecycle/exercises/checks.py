"""Checks of module 06's exercises; ``labs check 6`` runs them against ``starter.py``.

Expectations are computed from the real flights with module 01's ``eda``, module 03's
stage graph and this module's own package (``stream``, ``raci``, ``structure``), or by
brute force, never typed in.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import paths
from labs_common.data import load_table
from labs_common.exercises import Exercise
from module01_intro import eda
from module03_architecture.pipeline import stage_graph
from module06_lifecycle import raci, stream, structure


@lru_cache(maxsize=1)
def _flights() -> pd.DataFrame:
    return load_table("flights")


@lru_cache(maxsize=1)
def _arrivals() -> np.ndarray:
    return stream.day_requests(_flights(), 12, 20)["arrival_s"].to_numpy()


def check_late_share_by_hour(fn: Callable[..., object]) -> None:
    tiny = pd.DataFrame(
        {
            "origin": ["JFK", "JFK", "JFK", "EWR"],
            "sched_dep_time": [905, 930, 1410, 915],
            "arr_delay": [30.0, np.nan, 0.0, 20.0],
        }
    )
    got = pd.Series(fn(tiny, origin="JFK", late_minutes=15))
    assert np.allclose(got.sort_index().to_numpy(), [1.0, 0.0]), (
        f"JFK at 9h: one late, one cancelled (left out) -> 1.0; at 14h: 0.0; got {got.to_dict()}"
    )
    sample = _flights()[_flights()["month"].isin([3, 7])].reset_index(drop=True)
    flights = sample.copy()
    for origin, minutes in [(None, 15), ("JFK", 15), ("EWR", 60)]:
        rows = flights if origin is None else flights[flights["origin"] == origin]
        hours = rows.assign(dep_hour=rows["sched_dep_time"] // 100)
        expected = eda.late_rate_by(hours, "dep_hour", minutes)["late_share"].dropna()
        got = pd.Series(fn(flights, origin=origin, late_minutes=minutes)).dropna()
        assert sorted(int(h) for h in got.index) == sorted(expected.index), (
            f"origin={origin}: index should be the hours {sorted(expected.index)}"
        )
        got.index = got.index.astype(int)
        assert np.allclose(got[expected.index], expected), (
            f"origin={origin}, late_minutes={minutes}: expected "
            f"{expected.round(3).head(4).to_dict()}..., got {got.round(3).head(4).to_dict()}..."
        )
    pd.testing.assert_frame_equal(flights, sample, obj="flights after your call")


def check_running_late_share(cls: Callable[..., object]) -> None:
    first = cls(late_minutes=15).update([30.0, np.nan]).update([0.0])
    assert (first.arrived, first.late) == (2, 1), (
        f"after [30, NaN] then [0]: expected arrived=2, late=1, got {first.arrived}, {first.late}"
    )
    delays = _flights().loc[_flights()["month"] == 3, "arr_delay"].to_numpy()
    arrived = delays[~np.isnan(delays)]
    for minutes in (15, 60):
        expected = float((arrived > minutes).mean())
        running = cls(late_minutes=minutes)
        assert np.isnan(running.share), "share must be NaN before any flight arrived"
        for part in np.array_split(delays, [5, 6, 100, 5000]):  # sizes 5, 1, 94, ..., rest
            assert running.update(part) is running, "update() must return self"
        assert running.arrived == len(arrived), (
            f"arrived should be {len(arrived)} (NaN delays do not count), got {running.arrived}"
        )
        assert np.isclose(running.share, expected), (
            f"late_minutes={minutes}: expected {expected:.4f}, got {running.share}"
        )
    a, b = cls(), cls()
    a.update([30.0, 40.0])
    assert b.arrived == 0, "a new instance saw another's flights: keep counts on self"


def check_compose(fn: Callable[..., object]) -> None:
    steps = [lambda x: x + 1, lambda x: x * 2, lambda x: x - 3]
    assert fn(*steps)(5) == steps[2](steps[1](steps[0](5))), "apply the steps left to right"
    assert fn()(42) == 42, "compose() with no steps must return its input unchanged"
    flights = _flights().head(500)
    pipeline = fn(lambda d: d.dropna(subset=["arr_delay"]), lambda d: d.assign(h=d["hour"]))
    expected = flights.dropna(subset=["arr_delay"]).assign(h=flights["hour"])
    pd.testing.assert_frame_equal(pipeline(flights), expected)


def check_layer_violations(fn: Callable[..., object]) -> None:
    planted = pd.DataFrame(
        {
            "importer": ["module02_b", "module03_c", "module03_c", "module05_e", "module05_e"],
            "imported": ["module01_a", "module07_x", "module07_x", "module05_e", "module05_f"],
        }
    )
    expected = sorted(
        {(a, b) for a, b in zip(planted["importer"], planted["imported"], strict=True)
         if a != b and structure.module_number(b) >= structure.module_number(a)}
    )  # fmt: skip
    got = [tuple(pair) for pair in fn(planted)]
    assert got == expected, f"expected {expected}, got {got}"
    edges = structure.module_imports(paths.ROOT)
    assert list(fn(edges)) == [], "this repository keeps the rule: expected no violation"


def check_missing_parts(fn: Callable[..., object]) -> None:
    root = Path(tempfile.mkdtemp(prefix="labs06_"))
    try:
        (root / "notebooks").mkdir()
        (root / "README.md").write_text("# x\n")
        (root / "tests").write_text("a file, not a folder")
        got = list(fn(root))
        assert got == ["__init__.py", "tests/"], (
            f"the folder has README.md, notebooks/ and a *file* named tests: "
            f"expected ['__init__.py', 'tests/'], got {got}"
        )
        for name in paths.MODULES[:5]:
            expected = [
                p for p in ("__init__.py", "README.md", "notebooks/", "tests/")
                if not ((paths.ROOT / name / p).is_dir() if p.endswith("/")
                        else (paths.ROOT / name / p).is_file())
            ]  # fmt: skip
            assert list(fn(paths.ROOT / name)) == expected, f"{name}: expected {expected}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def check_micro_batch_sizes(fn: Callable[..., object]) -> None:
    tiny = np.array([0.0, 0.5, 1.0, 1.1, 4.0])
    got = list(fn(tiny, 3, 1.0))
    assert got == [3, 1, 1], (
        f"arrivals {tiny.tolist()}, max_batch 3, max_wait 1 s: expected [3, 1, 1] "
        f"(the request at exactly 1.0 s joins the first batch), got {got}"
    )
    arrivals = _arrivals()
    for max_batch, max_wait in [(1, 0.0), (8, 30.0), (64, 300.0)]:
        batches = stream.simulate_stream(arrivals, max_batch, max_wait, lambda a, b: 0.0)
        expected = batches["size"].tolist()
        got = [int(s) for s in fn(arrivals, max_batch, max_wait)]
        assert got == expected, (
            f"max_batch={max_batch}, max_wait_s={max_wait} on 2013-12-20: expected "
            f"{len(expected)} batches starting {expected[:6]}, got {len(got)} starting {got[:6]}"
        )


def check_smallest_batch_for(fn: Callable[..., object]) -> None:
    rng = np.random.default_rng(6)
    for _ in range(20):
        rate, overhead, per_row = rng.uniform(1, 500), rng.uniform(0.01, 0.2), 1e-4
        n = 1
        while n / (overhead + per_row * n) < rate:
            n += 1
        got = fn(rate, overhead, per_row)
        assert got == n, (
            f"rate {rate:.1f}/s, overhead {overhead:.3f} s, per_row {per_row}: expected {n}, "
            f"got {got}"
        )
    assert fn(20_000.0, 0.05, 1e-4) is None, (
        "20,000 flights/s needs per_row * rate < 1 (1e-4 * 20,000 = 2): expected None"
    )


def _capstone() -> pd.DataFrame:
    return raci.raci_frame(raci.CAPSTONE)


def check_accountable_for(fn: Callable[..., object]) -> None:
    frame = _capstone()
    for activity in frame.index:
        expected = [role for role in frame.columns if "A" in frame.loc[activity, role]]
        got = fn(frame, activity)
        assert got == expected[0], f"{activity!r}: expected {expected[0]!r}, got {got!r}"
    broken = frame.copy()
    broken.loc["train", "ml_eng"] = "A"
    for table, activity in [(broken, "train"), (frame, "no such activity")]:
        try:
            fn(table, activity)
        except ValueError:
            continue
        raise AssertionError(f"{activity!r} should raise ValueError (two A, or unknown)")


def check_activities_breaking_rules(fn: Callable[..., object]) -> None:
    frame = _capstone()
    assert list(fn(frame)) == [], "the capstone's RACI keeps the rules: expected []"
    broken = frame.copy()
    broken.loc["ingest", "data_sci"] = "A"  # two A
    broken.loc["split", "data_sci"] = "R"  # no A
    broken.loc["evaluate", "data_sci"] = "A"  # no R left
    expected = [a for a in frame.index if a in {"ingest", "split", "evaluate"}]
    got = list(fn(broken))
    assert got == expected, f"expected {expected} (in table order), got {got}"


def check_handoff_pairs(fn: Callable[..., object]) -> None:
    edges = stage_graph(paths.ROOT / "dvc.yaml")
    owners = raci.stage_owners(raci.CAPSTONE)
    table = raci.handoffs(edges, owners)
    expected = sorted(set(zip(table["from"], table["to"], strict=True)))
    got = [tuple(p) for p in fn(edges, owners)]
    assert got == expected, f"on the capstone's dvc.yaml: expected {expected}, got {got}"
    partial = {k: v for k, v in owners.items() if k != "train"}
    table = raci.handoffs([*edges, ("x", "ingest")], partial)
    expected = sorted(set(zip(table["from"], table["to"], strict=True)))
    got = [tuple(p) for p in fn([*edges, ("x", "ingest")], partial)]
    assert got == expected, (
        f"without an owner for 'train' (and a stage 'x' nobody owns): expected {expected}, "
        f"got {got}; skip edges whose stages are not in owners"
    )


CHECKS = [
    Exercise("late_share_by_hour", check_late_share_by_hour,
             "filter origin, dropna(subset=['arr_delay']), then "
             "arr_delay.gt(late_minutes).groupby(sched_dep_time // 100).mean()"),
    Exercise("RunningLateShare", check_running_late_share,
             "set self.arrived = self.late = 0 in __init__; in update, drop NaN, add counts"),
    Exercise("compose", check_compose,
             "def run(x): for step in steps: x = step(x); return x  -- then return run"),
    Exercise("layer_violations", check_layer_violations,
             "int(name[6:8]) is the module number; keep pairs with imported >= importer"),
    Exercise("missing_parts", check_missing_parts,
             "(folder / '__init__.py').is_file(), (folder / 'tests').is_dir(), in order"),
    Exercise("micro_batch_sizes", check_micro_batch_sizes,
             "deadline = arrival[i] + max_wait_s; take arrivals <= deadline, at most max_batch"),
    Exercise("smallest_batch_for", check_smallest_batch_for,
             "n >= rate * overhead / (1 - rate * per_row), rounded up; None if rate*per_row >= 1"),
    Exercise("accountable_for", check_accountable_for,
             "row = raci.loc[activity]; [role for role, cell in row.items() if 'A' in cell]"),
    Exercise("activities_breaking_rules", check_activities_breaking_rules,
             "per row: sum('A' in c for c in row) must be 1 and sum('R' in c ...) at least 1"),
    Exercise("handoff_pairs", check_handoff_pairs,
             "{(owners[u], owners[d]) for u, d in edges if both known}, drop equal pairs, sort"),
]  # fmt: skip

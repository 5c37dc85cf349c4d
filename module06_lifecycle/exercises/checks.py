"""Checks of module 06's exercises; ``labs check 6`` runs them against ``starter.py``.

Expectations are computed from random samples of the real flights, module 03's stage
graph, this module's own package (``stream``, ``raci``, ``structure``) or by brute force,
never typed in; each run draws new inputs (random samples, arrivals, folders and RACI
tables), so an answer that returns what it saw last time does not pass.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import paths
from labs_common.exercises import Checks, check_rng, course_table
from module03_architecture.pipeline import stage_graph
from module06_lifecycle import raci, stream, structure

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


@CHECKS.exercise(
    forbidden=(
        "module01_intro.eda.late_rate_by",
        "module06_lifecycle.paradigms.late_share_vectorised",
        "module06_lifecycle.paradigms.late_share_loop",
    )
)
def check_late_share_by_hour(fn: Callable[..., object]) -> None:
    """select rows without changing the frame you were given; the scheduled hour is an integer
    division of sched_dep_time; cancelled flights are left out; late is strictly more than
    late_minutes
    """
    tiny = pd.DataFrame(
        {
            "origin": ["JFK", "JFK", "JFK", "EWR"],
            "sched_dep_time": [905, 930, 1410, 915],
            "dep_time": [1010.0, np.nan, 1405.0, 915.0],
            "arr_delay": [30.0, np.nan, 0.0, 20.0],
        }
    )
    got = pd.Series(fn(tiny, origin="JFK", late_minutes=15))
    assert np.allclose(got.sort_index().to_numpy(), [1.0, 0.0]), (
        f"JFK at 9h: one late, one cancelled (left out) -> 1.0; at 14h: 0.0; got {got.to_dict()}"
    )
    rng = check_rng()
    sample = course_table("flights").sample(int(rng.integers(10_000, 40_000)), random_state=rng)
    sample = sample.reset_index(drop=True)
    origins = [None, *rng.permutation(["EWR", "JFK", "LGA"])[:2].tolist()]
    for origin, minutes in zip(origins, rng.permutation([0, 15, 30, 60])[:3], strict=True):
        minutes = int(minutes)
        sample["arr_delay"] = sample["arr_delay"].mask(rng.random(len(sample)) < 0.03, minutes)
        flights = sample.copy()
        rows = flights if origin is None else flights[flights["origin"] == origin]
        arrived = rows.dropna(subset=["arr_delay"])
        expected = arrived["arr_delay"].gt(minutes).groupby(arrived["sched_dep_time"] // 100).mean()
        got = pd.Series(fn(flights, origin=origin, late_minutes=minutes)).dropna()
        assert sorted(int(h) for h in got.index) == sorted(expected.index), (
            f"origin={origin}: index should be the hours {sorted(expected.index)}"
        )
        got.index = got.index.astype(int)
        assert np.allclose(got[expected.index], expected), (
            f"origin={origin}, late_minutes={minutes} on {len(flights)} random flights: expected "
            f"{expected.round(3).head(4).to_dict()}..., got {got.round(3).head(4).to_dict()}..."
        )
    pd.testing.assert_frame_equal(flights, sample, obj="flights after your call")


@CHECKS.exercise(name="RunningLateShare")
def check_running_late_share(cls: Callable[..., object]) -> None:
    """counts that live on self (set in __init__, not on the class); NaN is not an arrival; add
    counts across batches and divide only when asked
    """
    first = cls(late_minutes=15).update([30.0, np.nan]).update([0.0])
    assert (first.arrived, first.late) == (2, 1), (
        f"after [30, NaN] then [0]: expected arrived=2, late=1, got {first.arrived}, {first.late}"
    )
    rng = check_rng()
    month = int(rng.integers(1, 13))
    flights = course_table("flights")
    delays = flights.loc[flights["month"] == month, "arr_delay"].to_numpy()
    delays = rng.choice(delays, int(rng.integers(3_000, 20_000)))
    arrived = delays[~np.isnan(delays)]
    for minutes in rng.choice([0, 15, 30, 60], 2, replace=False):
        minutes = int(minutes)
        expected = float((arrived > minutes).mean())
        running = cls(late_minutes=minutes)
        assert np.isnan(running.share), "share must be NaN before any flight arrived"
        cuts = np.sort(rng.choice(len(delays), 5, replace=False))
        for part in np.array_split(delays, cuts):  # batches of random sizes
            assert running.update(part) is running, "update() must return self"
        assert running.arrived == len(arrived), (
            f"arrived should be {len(arrived)} (NaN delays do not count), got {running.arrived}"
        )
        assert np.isclose(running.share, expected), (
            f"late_minutes={minutes}, random batches of month {month}: expected "
            f"{expected:.4f}, got {running.share}"
        )
        assert running.late == int((arrived > minutes).sum()), (
            f"late should be {int((arrived > minutes).sum())}, got {running.late}"
        )
    a, b = cls(), cls()
    a.update([30.0, 40.0])
    assert b.arrived == 0, "a new instance saw another's flights: keep counts on self"


@CHECKS.exercise
def check_compose(fn: Callable[..., object]) -> None:
    """return a new function (a closure) that feeds each step's output to the next, first step
    first; functools.reduce also works
    """
    rng = check_rng()
    a, b, c, x = (int(v) for v in rng.integers(2, 9, 4))
    steps = [lambda v: v + a, lambda v: v * b, lambda v: v - c, lambda v: v * v]
    for k in range(1, 5):
        order = [steps[i] for i in rng.permutation(4)[:k]]
        want = x
        for step in order:
            want = step(want)
        assert fn(*order)(x) == want, f"{k} random steps on {x}: apply the steps left to right"
    assert fn()(42) == 42, "compose() with no steps must return its input unchanged"
    flights = course_table("flights").head(500)
    pipeline = fn(lambda d: d.dropna(subset=["arr_delay"]), lambda d: d.assign(h=d["hour"]))
    expected = flights.dropna(subset=["arr_delay"]).assign(h=flights["hour"])
    pd.testing.assert_frame_equal(pipeline(flights), expected)


@CHECKS.exercise
def check_layer_violations(fn: Callable[..., object]) -> None:
    """the module number is in the package name; importing a module with the same or a higher number
    breaks the rule, but a module may import itself; each pair once
    """
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
    rng = check_rng()
    names = [f"module{n:02d}_{w}" for n in range(1, 10) for w in ("a", "b")]
    planted = pd.DataFrame(rng.choice(names, (int(rng.integers(10, 40)), 2)),
                           columns=["importer", "imported"])  # fmt: skip
    expected = sorted(
        {(a, b) for a, b in zip(planted["importer"], planted["imported"], strict=True)
         if a != b and int(b[6:8]) >= int(a[6:8])}
    )  # fmt: skip
    got = [tuple(pair) for pair in fn(planted)]
    assert got == expected, f"{len(planted)} random imports: expected {expected}, got {got}"
    edges = structure.module_imports(paths.ROOT)
    assert list(fn(edges)) == [], "this repository keeps the rule: expected no violation"


@CHECKS.exercise
def check_missing_parts(fn: Callable[..., object]) -> None:
    """pathlib tells a file from a folder (exists() does not); keep the order of the docstring and
    the trailing slash of folders
    """
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
        rng = check_rng()
        for i in range(4):
            folder = root / f"m{i}"
            folder.mkdir()
            parts = {"__init__.py": "f", "README.md": "f", "notebooks": "d", "tests": "d"}
            expected = []
            for part, kind in parts.items():
                state = rng.choice(["right", "missing", "wrong kind"])
                if state == "right":
                    (folder / part).mkdir() if kind == "d" else (folder / part).write_text("x")
                elif state == "wrong kind":
                    (folder / part).write_text("x") if kind == "d" else (folder / part).mkdir()
                if state != "right":
                    expected.append(part + ("/" if kind == "d" else ""))
            got = list(fn(folder))
            assert got == expected, (
                f"random folder {sorted(p.name for p in folder.iterdir())}: "
                f"expected {expected}, got {got}"
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


@CHECKS.exercise(forbidden=("module06_lifecycle.stream.simulate_stream",))
def check_micro_batch_sizes(fn: Callable[..., object]) -> None:
    """a batch opens at its first waiting request; it closes when full or at its deadline, and a
    request exactly at the deadline still joins (searchsorted can help)
    """
    tiny = np.array([0.0, 0.5, 1.0, 1.1, 4.0])
    got = list(fn(tiny, 3, 1.0))
    assert got == [3, 1, 1], (
        f"arrivals {tiny.tolist()}, max_batch 3, max_wait 1 s: expected [3, 1, 1] "
        f"(the request at exactly 1.0 s joins the first batch), got {got}"
    )
    steady = np.arange(4) * 0.8
    got = list(fn(steady, 10, 1.0))
    assert got == [2, 2], (
        f"arrivals {steady.tolist()}, max_batch 10, max_wait 1 s: expected [2, 2] (the wait "
        f"counts from the batch's first request), got {got}"
    )
    rng = check_rng()
    arrivals = np.sort(np.round(rng.uniform(0, 3_600, int(rng.integers(300, 1_500))), 1))
    settings = [(1, 0.0), (int(rng.integers(2, 16)), float(rng.integers(5, 60))),
                (int(rng.integers(16, 128)), float(rng.integers(60, 600)))]  # fmt: skip
    for max_batch, max_wait in settings:
        batches = stream.simulate_stream(arrivals, max_batch, max_wait, lambda a, b: 0.0)
        expected = batches["size"].tolist()
        got = [int(s) for s in fn(arrivals, max_batch, max_wait)]
        assert got == expected, (
            f"max_batch={max_batch}, max_wait_s={max_wait} on random arrivals: expected "
            f"{len(expected)} batches starting {expected[:6]}, got {len(got)} starting {got[:6]}"
        )


@CHECKS.exercise
def check_smallest_batch_for(fn: Callable[..., object]) -> None:
    """solve the inequality for n by algebra, round up to a whole batch, and find the case where no
    batch size can ever keep up
    """
    rng = check_rng()
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


def _random_raci(rng: np.random.Generator) -> pd.DataFrame:
    """The capstone's RACI with rows and roles shuffled, plus random sound activities."""
    frame = _capstone()
    frame = frame.loc[rng.permutation(frame.index), list(rng.permutation(frame.columns))]
    extra = {}
    for i in range(int(rng.integers(2, 6))):
        row = rng.choice(["", "C", "I", "R", ""], len(frame.columns)).astype(object)
        row[rng.integers(len(row))] = rng.choice(["A", "AR", "RA"])
        if "R" not in "".join(row):
            row[next(j for j, c in enumerate(row) if "A" not in c)] = "R"
        extra[f"task {rng.integers(1000)}-{i}"] = row
    return pd.concat([frame, pd.DataFrame(extra, index=frame.columns).T])


@CHECKS.exercise
def check_accountable_for(fn: Callable[..., object]) -> None:
    """a cell may hold several letters ('AR'); exactly one role may hold A, so count before you
    answer; an unknown activity is an error too
    """
    rng = check_rng()
    frame = _random_raci(rng)
    for activity in frame.index:
        expected = [role for role in frame.columns if "A" in frame.loc[activity, role]]
        try:
            got = fn(frame, activity)
        except ValueError as exc:
            cells = frame.loc[activity].to_dict()
            raise AssertionError(
                f"{activity!r} has exactly one A ({cells}), yet you raised ValueError: {exc}"
            ) from None
        assert got == expected[0], f"{activity!r}: expected {expected[0]!r}, got {got!r}"
    broken = frame.copy()
    activity = str(rng.choice(frame.index))
    free = [role for role in frame.columns if "A" not in frame.loc[activity, role]]
    broken.loc[activity, str(rng.choice(free))] = "A"
    nobody = frame.copy()
    nobody.loc[activity] = [c.replace("A", "") for c in frame.loc[activity]]
    for table, name in [(broken, activity), (nobody, activity), (frame, "no such activity")]:
        try:
            fn(table, name)
        except ValueError:
            continue
        raise AssertionError(f"{name!r} should raise ValueError (two A, no A, or unknown)")


def _breaks_rules(row: pd.Series) -> bool:
    return sum("A" in c for c in row) != 1 or sum("R" in c for c in row) < 1


@CHECKS.exercise(forbidden=("module06_lifecycle.raci.raci_problems",))
def check_activities_breaking_rules(fn: Callable[..., object]) -> None:
    """two rules per row (one A exactly, at least one R), letters inside cells; keep the table's
    order
    """
    frame = _capstone()
    assert list(fn(frame)) == [], "the capstone's RACI keeps the rules: expected []"
    broken = frame.copy()
    broken.loc["ingest", "data_sci"] = "A"  # two A
    broken.loc["split", "data_sci"] = "R"  # no A
    broken.loc["evaluate", "data_sci"] = "A"  # no R left
    expected = [a for a in frame.index if a in {"ingest", "split", "evaluate"}]
    got = list(fn(broken))
    assert got == expected, f"expected {expected} (in table order), got {got}"
    rng = check_rng()
    broken = _random_raci(rng)
    for _ in range(int(rng.integers(2, 6))):
        activity, role = rng.choice(broken.index), rng.choice(broken.columns)
        broken.loc[activity, role] = str(rng.choice(["A", "R", "", "AR", "C"]))
    # One broken row always has a name drawn for this run, so no recorded answer fits.
    task = str(rng.choice([a for a in broken.index if str(a).startswith("task ")]))
    broken.loc[task] = ["C", *[""] * (len(broken.columns) - 1)]
    pair = ["A", "R", "R", *[""] * (len(broken.columns) - 3)]  # two R is fine
    broken.loc[f"pair work {rng.integers(100)}"] = list(rng.permutation(pair))
    expected = [str(a) for a, row in broken.iterrows() if _breaks_rules(row)]
    got = list(fn(broken))
    assert got == expected, (
        f"a randomly edited RACI: expected {expected} (in table order), got {got}"
    )


@CHECKS.exercise(forbidden=("module06_lifecycle.raci.handoffs",))
def check_handoff_pairs(fn: Callable[..., object]) -> None:
    """look both ends of each edge up in owners (skip unknown stages); a hand-off needs two
    different roles; distinct and sorted
    """
    edges = stage_graph(paths.ROOT / "dvc.yaml")
    owners = raci.stage_owners(raci.CAPSTONE)
    table = raci.handoffs(edges, owners)
    expected = sorted(set(zip(table["from"], table["to"], strict=True)))
    got = [tuple(p) for p in fn(edges, owners)]
    assert got == expected, f"on the capstone's dvc.yaml: expected {expected}, got {got}"
    rng = check_rng()
    roles = ["product", "data_eng", "data_sci", "ml_eng", "platform"]
    for _ in range(3):
        owners = {stage: str(rng.choice(roles)) for stage in owners if rng.random() < 0.85}
        extra = [(str(rng.choice(list(owners) or ["x"])), "x")]
        expected = sorted({(owners[u], owners[d]) for u, d in [*edges, *extra]
                           if u in owners and d in owners and owners[u] != owners[d]})  # fmt: skip
        got = [tuple(p) for p in fn([*edges, *extra], owners)]
        assert got == expected, (
            f"owners {owners} (and a stage 'x' nobody owns): expected {expected}, got {got}; "
            "skip edges whose stages are not in owners"
        )

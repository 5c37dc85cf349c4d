"""Lab 09 (module 09, monitoring): a drift monitor that fails on drift, and a CI workflow.

The student writes ``python -m myflights.monitor --current FLIGHTS`` (an Evidently report
against the training data and a drift rule using ``monitor.max_drift_share``; exit code 1
on drift) and a GitHub Actions workflow under ``.github/workflows/`` that runs their tests.
"""

from __future__ import annotations

import time

import pandas as pd
import yaml

from capstone.project.checks import Lab, Step
from capstone.project.checks.common import raw_flights, run_pipeline
from capstone.project.checks.lab08 import BLOCKED as BLOCKED_08
from capstone.project.checks.sandbox import CheckFailed, Sandbox
from capstone.project.tools import tail

BLOCKED = (*BLOCKED_08, "module09_monitoring")


def _month(box: Sandbox, drifted: bool) -> str:
    """A sample of the training months (unchanged), or the same sample with drift injected."""
    params = box.notes["params"]
    flights = raw_flights()
    rows = flights[flights["month"].isin(params["split.train_months"])]
    sample = rows.sample(box.rng.randint(1500, 3000), random_state=box.rng.randint(0, 10**6))
    if drifted:
        hours = box.rng.randint(4, 8) * 100
        sample = sample.assign(
            sched_dep_time=(sample["sched_dep_time"] + hours) % 2400,
            sched_arr_time=(sample["sched_arr_time"] + hours) % 2400,
            distance=sample["distance"] * box.rng.uniform(2.0, 4.0),
            origin=pd.Categorical([box.rng.choice(["EWR", "JFK", "LGA"])] * len(sample)),
        )
    path = box.root.parent / f"{'drifted' if drifted else 'unchanged'}.parquet"
    sample.drop(columns=["arr_delay", "dep_delay", "arr_time", "dep_time"]).to_parquet(path)
    return str(path)


def _monitor(box: Sandbox, drifted: bool) -> tuple[int, str, list[str]]:
    start = time.time()
    result = box.run("python", "-m", "myflights.monitor", "--current", _month(box, drifted))
    reports = [p.name for p in (box.root / "reports").glob("*.html")
               if p.stat().st_mtime >= start - 1]  # fmt: skip
    return result.returncode, tail(result.stdout + result.stderr, 6), reports


def unchanged_month(box: Sandbox) -> str:
    run_pipeline(box, "train")
    code, output, reports = _monitor(box, drifted=False)
    if code != 0:
        raise CheckFailed(f"on flights drawn from the training months, the monitor exited "
                          f"{code} (a false alarm):\n{output}")  # fmt: skip
    if not reports:
        raise CheckFailed("the monitor wrote no HTML report under reports/ (snapshot.save_html)")
    return f"no alarm on a sample of the training months; report {reports[0]}"


def drifted_month(box: Sandbox) -> str:
    code, output, _ = _monitor(box, drifted=True)
    if code == 0:
        raise CheckFailed("flights with shifted departure times, longer distances and one "
                          "origin passed the monitor with exit code 0")  # fmt: skip
    return f"drift found, exit code {code}: {output.splitlines()[-1][:80] if output else ''}"


def workflow(box: Sandbox) -> str:
    files = sorted((box.root / ".github" / "workflows").glob("*.y*ml"))
    if not files:
        raise CheckFailed("no workflow in .github/workflows/")
    runs_tests = []
    for path in files:
        schema = box.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows",
                         str(path))  # fmt: skip
        if schema.returncode != 0:
            raise CheckFailed(f"{path.name} breaks the GitHub workflow schema:\n"
                              f"{tail(schema.stdout + schema.stderr)}")  # fmt: skip
        lint = box.run("zizmor", "--offline", str(path))
        if lint.returncode != 0:
            raise CheckFailed(f"zizmor finds problems in {path.name}:\n{tail(lint.stdout)}")
        jobs = (yaml.safe_load(path.read_text()) or {}).get("jobs", {})
        steps = [s.get("run", "") for job in jobs.values() for s in job.get("steps", [])]
        if any("pytest" in str(step) for step in steps):
            runs_tests.append(path.name)
    if not runs_tests:
        raise CheckFailed(f"no step of {[p.name for p in files]} runs pytest")
    return f"{', '.join(runs_tests)}: valid, zizmor clean, runs pytest"


LAB = Lab(
    number=9,
    title="drift monitor and CI workflow",
    blocked=BLOCKED,
    steps=(
        Step(
            "unchanged month",
            unchanged_month,
            "myflights/monitor.py --current FILE: features of FILE vs your training data, "
            "Evidently DataDriftPreset, save_html under reports/, exit 0 without drift",
        ),
        Step(
            "drifted month",
            drifted_month,
            "read the drifted share (DriftedColumnsCount) and exit non-zero when it reaches "
            "monitor.max_drift_share",
        ),
        Step(
            "CI workflow",
            workflow,
            "add .github/workflows/ci.yml with a job whose step runs pytest; check it with "
            "check-jsonschema --builtin-schema vendor.github-workflows and zizmor --offline",
        ),
    ),
)

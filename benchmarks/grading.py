"""Benchmark of ``labs grade`` on the solved reference project: total, per lab, reproduction.

Run with ``python -m benchmarks.grading [--project DIR]``: without a project it makes one
and solves it first (``labs project new`` + ``labs project solve``, not timed). The
instructor guide quotes the totals (docs/figures.yaml reads them from the JSON). Target
from the final-projects issue: "in minutes on 2 cores".
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
from pathlib import Path

from benchmarks import save_results
from capstone.grading.grade import grade_project, new_seed
from capstone.project import new_project, solve_project
from labs_common import paths

RESULTS = paths.ROOT / "benchmarks" / "results"


def run(project: Path) -> dict:
    """Grade ``project`` once, timing each part; the CPU time counts every child process."""
    from capstone.grading.evidence import gather

    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    evidence = gather(project, new_seed())
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    grade = grade_project(project, evidence=evidence)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return {
        "seconds": round(grade.seconds, 1),
        "minutes": round(grade.seconds / 60, 1),
        "cpu_seconds": round(cpu, 1),
        "passed": grade.passed,
        "levels": {m.id: m.level for m in grade.marks},
        "lab_seconds": {f"lab{n:02d}": round(s, 1) for n, s in evidence.lab_seconds.items()},
        "reproduce_seconds": round(evidence.repro.seconds, 1),
        "seed": grade.seed,
        "load_average": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
    }


def to_markdown(result: dict) -> str:
    labs = result["lab_seconds"]
    return "\n".join([
        "| scenario | seconds |", "|---|---:|",
        f"| `labs grade` on the solved project, wall clock | {result['seconds']} |",
        f"| the same, CPU time of its processes | {result['cpu_seconds']} |",
        *(f"| `labs check {k[3:]}` inside it | {v} |" for k, v in labs.items()),
        f"| fresh `dvc repro` + `dvc status` + `pytest` | {result['reproduce_seconds']} |",
        "",
        f"Every machine criterion met: {result['passed']} (seed {result['seed']}). Load "
        f"average {result['load_average']['before']} before, {result['load_average']['after']} "
        f"after; {result['machine']}.",
        "",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, help="an already solved project")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        project = args.project
        if project is None:
            project = new_project(Path(tmp) / "my-project")
            solve_project(project)
        result = run(project)
    save_results(result, to_markdown(result), RESULTS / "grading")


if __name__ == "__main__":
    main()

"""The checks of each lab: steps that run the student's work and explain what is wrong.

A lab is a list of :class:`Step`. ``run_lab`` copies the project into a temporary sandbox,
runs the steps in order and returns one :class:`~labs_common.exercises.Result` per step (the
same result type as the modules' function exercises). After the first failing step the
rest are reported as "todo": they need what the failing step makes.
"""

from __future__ import annotations

import importlib
import os
import secrets
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from capstone.project.checks.sandbox import CheckFailed, Sandbox, make_sandbox
from labs_common.exercises import Result

__all__ = ["CheckFailed", "Lab", "LabReport", "Sandbox", "Step", "run_lab"]


@dataclass(frozen=True)
class Step:
    """One thing a lab's check verifies: a function that raises CheckFailed, and a hint."""

    name: str
    check: Callable[[Sandbox], str]
    hint: str


@dataclass(frozen=True)
class Lab:
    """A lab: its title, the course packages its stages may not import, and its steps."""

    number: int
    title: str
    blocked: tuple[str, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class LabReport:
    """What ``labs check N --project`` prints: the results and the seed that chose inputs."""

    lab: Lab
    seed: int
    results: list[Result]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)


def load_lab(number: int) -> Lab:
    """Return lab ``number``'s definition (module ``checks/labNN.py``)."""
    try:
        return importlib.import_module(f"capstone.project.checks.lab{number:02d}").LAB
    except ModuleNotFoundError as exc:
        if exc.name == f"capstone.project.checks.lab{number:02d}":
            raise LookupError(f"module {number:02d} has no project lab") from exc
        raise


def run_lab(number: int, project: Path, seed: int | None = None) -> LabReport:
    """Run lab ``number``'s checks on ``project`` in a sandbox copy; never modify the project.

    Args:
        number: the module of the lab, 3-9.
        project: the student's project folder.
        seed: picks the random months, costs and samples; ``LABS_CHECK_SEED`` or a fresh
            random number by default (print it to repeat a run).
    """
    lab = load_lab(number)
    if seed is None:
        seed = int(os.environ.get("LABS_CHECK_SEED") or secrets.randbelow(10**6))
    with tempfile.TemporaryDirectory(prefix=f"labs-check-{number:02d}-") as tmp:
        try:
            box = make_sandbox(Path(project), Path(tmp), lab.blocked, seed)
        except CheckFailed as exc:
            return LabReport(lab, seed, [Result("project", "fail", str(exc), "")])
        return LabReport(lab, seed, _run_steps(lab.steps, box))


def _run_steps(steps: tuple[Step, ...], box: Sandbox) -> list[Result]:
    results: list[Result] = []
    for step in steps:
        if results and not results[-1].passed:
            results.append(Result(step.name, "todo", "not run: fix the step above first",
                                  step.hint))  # fmt: skip
            continue
        try:
            message = step.check(box)
        except CheckFailed as exc:
            results.append(Result(step.name, "fail", str(exc), step.hint))
        except subprocess.TimeoutExpired as exc:
            results.append(Result(step.name, "fail", f"timed out: {exc}", step.hint))
        except Exception as exc:  # noqa: BLE001 - a student's bug is a result, not a crash
            results.append(Result(step.name, "error", f"{type(exc).__name__}: {exc}", step.hint))
        else:
            results.append(Result(step.name, "pass", message, step.hint))
    return results

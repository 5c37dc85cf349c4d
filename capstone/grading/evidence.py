"""What ``labs grade`` runs to judge a project: each lab's check once, and a fresh ``dvc repro``.

Why it matters: a grade must rest on what the project does, not on what its files say.
Every run happens in a throw-away copy (the labs' sandbox), so grading never changes the
student's folder, and each lab's check runs once however many criteria read its report.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from capstone.project.checks import LabReport, run_lab
from capstone.project.checks.sandbox import CheckFailed, Sandbox, make_sandbox
from capstone.project.scaffold import LABS, TEMPLATE
from capstone.project.tools import tail
from labs_common.exercises import Result

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seen:
    """One piece of evidence: the command the grader ran and what it saw."""

    command: str
    saw: str


@dataclass
class Repro:
    """A fresh copy of the project, reproduced: ``dvc repro``, ``dvc status``, ``pytest``."""

    stages: list[str] = field(default_factory=list)
    ran: bool = False
    up_to_date: bool = False
    same_metrics: bool | None = None
    tests: dict[str, int] | None = None
    seen: list[Seen] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Evidence:
    """Everything the criteria are scored from."""

    project: Path
    seed: int
    labs: dict[int, LabReport]
    repro: Repro
    own_tests: list[str]
    ci_alone: Result | None = None
    seconds: float = 0.0
    lab_seconds: dict[int, float] = field(default_factory=dict)

    def steps(self, lab: int) -> dict[str, str]:
        """Lab ``lab``'s step names and statuses (pass, fail, todo, error)."""
        return {r.name: r.status for r in self.labs[lab].results}


def gather(project: Path, seed: int, labs: tuple[int, ...] = LABS) -> Evidence:
    """Run every lab's check (once each, with ``seed``) and reproduce the project afresh."""
    start, reports, took = time.perf_counter(), {}, {}
    for number in labs:
        log.info("Running lab %02d's check (seed %d)", number, seed)
        reports[number] = run_lab(number, project, seed=seed)
        took[number] = time.perf_counter() - start - sum(took.values())
    evidence = Evidence(project, seed, reports, reproduce(project, seed), own_tests(project),
                        lab_seconds=took)  # fmt: skip
    if 9 in reports and _status(reports[9], "CI workflow") == "todo":
        evidence.ci_alone = _workflow_alone(project, seed)
    evidence.seconds = time.perf_counter() - start
    return evidence


def _status(report: LabReport, step: str) -> str:
    return next((r.status for r in report.results if r.name == step), "todo")


def reproduce(project: Path, seed: int) -> Repro:
    """``dvc repro`` in a fresh copy (no data, no cache), then ``dvc status`` and ``pytest``."""
    out, start = Repro(), time.perf_counter()
    log.info("Reproducing %s in a fresh copy", project)
    try:
        _reproduce_in(project, seed, out)
    finally:
        out.seconds = time.perf_counter() - start
    return out


def _reproduce_in(project: Path, seed: int, out: Repro) -> None:
    from capstone.project.checks.lab07 import _pytest

    with tempfile.TemporaryDirectory(prefix="labs-grade-") as tmp:
        try:
            box = make_sandbox(project, Path(tmp), (), seed)
            out.stages = box.stage_names()
        except CheckFailed as exc:
            out.seen.append(Seen("dvc stage list", str(exc)))
            return
        if not out.stages:
            out.seen.append(Seen("dvc stage list", "dvc.yaml has no stage"))
            return
        done = box.run("dvc", "repro", timeout=1800)
        out.ran = done.returncode == 0
        what = f"{len(out.stages)} stages ran: {', '.join(out.stages)}"
        what = what if out.ran else tail(done.stdout + done.stderr, 6)
        out.seen.append(Seen("dvc repro", what))
        if not out.ran:
            return
        status = box.run("dvc", "status").stdout
        out.up_to_date = "up to date" in status
        out.seen.append(Seen("dvc status", tail(status, 4)))
        out.same_metrics = _same_metrics(project, box)
        try:
            out.tests = _pytest(box)
            out.seen.append(Seen("pytest", _counts(out.tests)))
        except CheckFailed as exc:
            out.seen.append(Seen("pytest", str(exc)))


def _counts(tests: dict[str, int]) -> str:
    return f"{tests['ran']} ran, {tests['failures']} failed, {tests['errors']} errors"


def _same_metrics(project: Path, box: Sandbox) -> bool | None:
    """Whether the fresh run's metrics files have the hashes the project's dvc.lock records."""
    before, after = _metric_hashes(project / "dvc.lock"), _metric_hashes(box.root / "dvc.lock")
    return None if not before else before == after


def _metric_hashes(lock: Path) -> dict[str, str]:
    if not lock.is_file():
        return {}
    stages = (yaml.safe_load(lock.read_text()) or {}).get("stages", {})
    return {o["path"]: o.get("md5", "") for s in stages.values() for o in s.get("outs", [])
            if "metrics" in o["path"]}  # fmt: skip


def own_tests(project: Path) -> list[str]:
    """The project's test files that are not the template's (``tests/test_*.py``)."""
    found = []
    for path in sorted(Path(project).glob("tests/**/test_*.py")):
        rel = path.relative_to(project)
        original = TEMPLATE / rel
        if not (original.is_file() and original.read_bytes() == path.read_bytes()):
            found.append(str(rel))
    return found


def _workflow_alone(project: Path, seed: int) -> Result:
    """Lab 09's workflow step on its own: it needs no pipeline, so a failing monitor
    (which stops the lab before it) does not hide a good workflow."""
    from capstone.project.checks.lab09 import workflow

    with tempfile.TemporaryDirectory(prefix="labs-grade-ci-") as tmp:
        try:
            return Result("CI workflow", "pass", workflow(make_sandbox(project, Path(tmp), (),
                                                                        seed)), "")  # fmt: skip
        except CheckFailed as exc:
            return Result("CI workflow", "fail", str(exc), "")

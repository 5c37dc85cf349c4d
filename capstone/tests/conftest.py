"""The student's projects the slow tests share: one template and one solved project per run.

Why session-scoped: solving a project runs every lab's pipeline (minutes on 2 cores), and
grading it runs every lab's check; the lab tests and the grade tests read the same runs.
They all live in ``test_project.py``: pytest runs with ``--dist loadfile``, so a second
file asking for ``solved`` would build another one in the other worker.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from capstone.grading.evidence import Evidence
from capstone.project import new_project, solve_project
from capstone.project.tools import run


@dataclass(frozen=True)
class Graded:
    """The evidence ``labs grade`` gathered on a project, and ``git status`` around it."""

    evidence: Evidence
    status_before: str
    status_after: str


def git_status(project: Path) -> str:
    return run(project, "git", "status", "--porcelain", "--untracked-files=all").stdout


def gather_evidence(project: Path, seed: int) -> Graded:
    from capstone.grading.evidence import gather

    before = git_status(project)
    evidence = gather(project, seed)
    return Graded(evidence, before, git_status(project))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untouched project, as `labs project new` makes it."""
    return new_project(tmp_path_factory.mktemp("template") / "my-project")


@pytest.fixture(scope="session")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with every lab's reference answer applied, run, pushed and committed."""
    root = new_project(tmp_path_factory.mktemp("solved") / "my-project")
    try:
        solve_project(root)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"solving the project failed: {exc}\n{exc.stdout}\n{exc.stderr}")
    return root


@pytest.fixture(scope="session")
def template_graded(template: Path) -> Graded:
    """Every lab's check (seed 1) and a fresh reproduction, run once on the template."""
    return gather_evidence(template, seed=1)


@pytest.fixture(scope="session")
def solved_graded(solved: Path) -> Graded:
    """Every lab's check and a fresh reproduction, run once on the solved project (a new
    random seed each run, or LABS_CHECK_SEED)."""
    from capstone.grading.grade import new_seed

    return gather_evidence(solved, new_seed())

"""The student's project: the template fails every lab's check, the answers pass them.

Why it matters: a check that cannot fail teaches nothing, and a check the reference answer
cannot pass is a trap. These tests make a project with ``labs project new``, check it
untouched (every lab fails, with a hint), fill a second one with ``labs project solve``
(every lab passes), and run the solved project's ``dvc repro`` and ``pytest``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from capstone.cli import app
from capstone.project import new_project, solve_project
from capstone.project.checks import LabReport, run_lab
from capstone.project.scaffold import SOLUTIONS, remote_dir
from capstone.project.tools import run

pytestmark = pytest.mark.slow

#: The labs that have reference answers (and so checks that must pass on them).
LABS = [n for n in range(3, 10) if (SOLUTIONS / f"lab{n:02d}").is_dir()]


def explain(report: LabReport) -> str:
    return "\n".join(f"{r.name}: {r.status}: {r.message}" for r in report.results)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untouched project, as `labs project new` makes it."""
    return new_project(tmp_path_factory.mktemp("template") / "my-project")


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with every lab's reference answer applied, run, pushed and committed."""
    root = new_project(tmp_path_factory.mktemp("solved") / "my-project")
    solve_project(root)
    return root


def test_new_project_is_a_git_repo_with_dvc_and_a_remote(template: Path) -> None:
    assert run(template, "git", "status", "--porcelain").stdout == ""
    remote = run(template, "dvc", "remote", "list").stdout
    assert str(remote_dir(template)) in remote and remote_dir(template).is_dir()
    assert "stages: {}" in (template / "dvc.yaml").read_text()
    assert run(template, "pytest", "-q", "-p", "no:cacheprovider", check=False).returncode == 0


def test_new_refuses_a_folder_that_is_not_empty(template: Path) -> None:
    result = CliRunner().invoke(app, ["project", "new", str(template)])
    assert result.exit_code == 1 and "not empty" in " ".join(result.output.split())


@pytest.mark.parametrize("lab", LABS)
def test_template_fails_the_check_with_a_hint(template: Path, lab: int) -> None:
    report = run_lab(lab, template, seed=1)
    assert not report.passed
    first = next(r for r in report.results if not r.passed)
    assert first.status == "fail" and first.hint, explain(report)


@pytest.mark.parametrize("lab", LABS)
def test_solved_project_passes_the_check(solved: Path, lab: int) -> None:
    before = run(solved, "git", "status", "--porcelain").stdout
    report = run_lab(lab, solved)
    assert report.passed, f"seed {report.seed}\n{explain(report)}"
    assert run(solved, "git", "status", "--porcelain").stdout == before  # project untouched


def test_solved_project_runs_dvc_repro_and_pytest(solved: Path) -> None:
    repro = run(solved, "dvc", "repro", check=False)
    assert repro.returncode == 0, repro.stderr
    assert "up to date" in run(solved, "dvc", "status").stdout
    tests = run(solved, "pytest", "-q", "-p", "no:cacheprovider", check=False)
    assert tests.returncode == 0, tests.stdout[-2000:]


def test_cli_check_project_exits_1_and_prints_hints(template: Path) -> None:
    result = CliRunner().invoke(app, ["check", "3", "--project", str(template)])
    assert result.exit_code == 1
    assert "hint" in result.output and "ingest" in result.output

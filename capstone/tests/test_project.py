"""The student's project: the template fails every lab's check, the answers pass them,
and ``labs grade`` gives them near zero and full marks.

Why it matters: a check that cannot fail teaches nothing, and a check the reference answer
cannot pass is a trap. These tests make a project with ``labs project new``, check it
untouched (every lab fails, with a hint), fill a second one with ``labs project solve``
(every lab passes), reproduce the solved project in a fresh copy, and grade both. Every
lab's check runs once per project: the grader's evidence (``conftest.py``) is what the
lab tests and the grade tests assert on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capstone.cli import app
from capstone.grading.grade import Grade, grade_project
from capstone.grading.rubric import MEETS, criteria_for
from capstone.project.checks import LabReport
from capstone.project.scaffold import SOLUTIONS, remote_dir
from capstone.project.tools import run
from capstone.tests.conftest import Graded

pytestmark = pytest.mark.slow

#: The labs that have reference answers (and so checks that must pass on them).
LABS = [n for n in range(3, 10) if (SOLUTIONS / f"lab{n:02d}").is_dir()]


def explain(report: LabReport) -> str:
    return "\n".join(f"{r.name}: {r.status}: {r.message}" for r in report.results)


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
def test_template_fails_the_check_with_a_hint(template_graded: Graded, lab: int) -> None:
    report = template_graded.evidence.labs[lab]
    assert not report.passed
    first = next(r for r in report.results if not r.passed)
    assert first.status == "fail" and first.hint, explain(report)


@pytest.mark.parametrize("lab", LABS)
def test_solved_project_passes_the_check(solved_graded: Graded, lab: int) -> None:
    report = solved_graded.evidence.labs[lab]
    assert report.passed, f"seed {report.seed}\n{explain(report)}"


def test_checks_and_grading_leave_the_projects_untouched(
    template_graded: Graded, solved_graded: Graded
) -> None:
    for graded in (template_graded, solved_graded):
        assert graded.status_after == graded.status_before, graded.evidence.project


def test_solved_project_reproduces_in_a_fresh_copy_and_its_tests_pass(
    solved_graded: Graded,
) -> None:
    repro = solved_graded.evidence.repro
    assert repro.ran and repro.up_to_date, repro.seen
    tests = repro.tests
    assert tests and tests["ran"] >= 3 and not (tests["failures"] or tests["errors"]), repro.seen


def test_experiments_still_count_after_a_later_commit(solved: Path, tmp_path: Path) -> None:
    """A project grows after lab 07 (lab 08, the final README): its experiments still count,
    though DVC files them under the commit they started from."""
    from capstone.project.checks.lab07 import experiments
    from capstone.project.checks.sandbox import make_sandbox

    copy = tmp_path / "my-project"
    shutil.copytree(solved, copy, symlinks=True,
                    ignore=shutil.ignore_patterns("cache", "data", "models", "mlruns"))  # fmt: skip
    (copy / "NOTES.md").write_text("work after the experiments\n")
    run(copy, "git", "add", "NOTES.md")
    run(copy, "git", "commit", "-q", "-m", "Later work")
    box = make_sandbox(copy, tmp_path / "box", (), seed=1)
    assert "2 different settings" in experiments(box)


def graded(graded: Graded, group: bool = False) -> Grade:
    return grade_project(graded.evidence.project, group=group, evidence=graded.evidence)


def levels(grade: Grade) -> dict[str, int | None]:
    return {m.id: m.level for m in grade.marks}


def test_solved_project_meets_every_machine_criterion(solved_graded: Graded) -> None:
    grade = graded(solved_graded)
    machine = {c.id for c in criteria_for(group=False) if c.judged_by == "machine"}
    got = levels(grade)
    assert {k: got[k] for k in machine} == dict.fromkeys(machine, MEETS), grade.to_json()
    assert got["problem"] is None and grade.passed
    assert "roles" not in got  # group criteria only with group=True


def test_template_scores_zero_but_for_a_readme(template_graded: Graded) -> None:
    grade = graded(template_graded)
    machine = [c.id for c in criteria_for(group=False) if c.judged_by == "machine"]
    expected = {k: (1 if k == "documentation" else 0) for k in machine}
    assert {k: levels(grade)[k] for k in machine} == expected, grade.to_json()
    assert not grade.passed


def test_group_criteria_need_raci_and_codeowners(solved_graded: Graded) -> None:
    grade = graded(solved_graded, group=True)
    got = levels(grade)
    assert (got["roles"], got["ownership"], got["review"]) == (0, 0, None)
    assert not grade.passed


def test_every_mark_shows_its_evidence(solved_graded: Graded) -> None:
    for mark in graded(solved_graded, group=True).marks:
        assert mark.evidence and all(s.command and s.saw for s in mark.evidence), mark


@pytest.mark.parametrize("which", ["solved", "template"])
def test_cli_grade_prints_the_table_writes_json_and_exits(
    which: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI on the evidence gathered above (gathering again would repeat every lab)."""
    fixture: Graded = request.getfixturevalue(f"{which}_graded")
    seen = {}

    def gather(project: Path, seed: int) -> object:
        seen["args"] = (project, seed)
        return fixture.evidence

    monkeypatch.setattr("capstone.grading.grade.gather", gather)
    monkeypatch.setenv("LABS_CHECK_SEED", "4242")
    monkeypatch.setenv("COLUMNS", "200")
    out = tmp_path / "grades" / "project.json"
    project = fixture.evidence.project
    result = CliRunner().invoke(app, ["grade", str(project), "--json", str(out)])
    assert seen["args"] == (project.resolve(), 4242)
    assert result.exit_code == (0 if which == "solved" else 1), result.output
    assert "LABS_CHECK_SEED=4242" in result.output and "Reproducibility" in result.output
    record = json.loads(out.read_text())
    assert set(record) == {"project", "seed", "group", "seconds", "passed",
                           "max_machine_level", "criteria"}  # fmt: skip
    assert record["passed"] is (which == "solved") and record["group"] is False
    ids = [c["id"] for c in record["criteria"]]
    assert ids == [c.id for c in criteria_for(group=False)]
    for c in record["criteria"]:
        assert set(c) == {"id", "name", "judged_by", "level", "met", "evidence"}
        assert c["judged_by"] in {"machine", "person"}
        assert (c["level"] is None) == (c["judged_by"] == "person")
        assert all(set(e) == {"command", "saw"} for e in c["evidence"])


def test_cli_grade_refuses_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["grade", str(tmp_path)])
    assert result.exit_code == 1 and "not a project" in " ".join(result.output.split())


def test_cli_check_project_exits_1_and_prints_hints(template: Path) -> None:
    result = CliRunner().invoke(app, ["check", "3", "--project", str(template)])
    assert result.exit_code == 1
    assert "hint" in result.output and "ingest" in result.output

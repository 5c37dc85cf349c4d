"""The rubric and the grader's file checks (fast): one source of truth, RACI and CODEOWNERS.

The slow tests that grade real projects are in ``test_project.py`` (they share its
solved project).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capstone.grading.criteria import SCORERS, code_blocks
from capstone.grading.group import owns, read_raci, score_ownership, score_roles
from capstone.grading.rubric import MARKDOWN, load_rubric, render_markdown
from module06_lifecycle.raci import CAPSTONE, ROLES, codeowners, raci_frame


def test_rubric_md_is_rendered_from_rubric_yaml() -> None:
    assert MARKDOWN.read_text() == render_markdown(), (
        "capstone/final_projects/rubric.md differs from rubric.yaml: run "
        "`.venv/bin/python -m capstone.grading.rubric`"
    )


def test_every_machine_criterion_has_a_scorer_and_every_scorer_a_criterion() -> None:
    _, criteria = load_rubric()
    assert {c.id for c in criteria if c.judged_by == "machine"} == set(SCORERS)
    assert {"problem", "review"} <= {c.id for c in criteria if c.judged_by == "person"}


def test_the_briefs_and_rubric_are_linked_from_the_readme() -> None:
    readme = (MARKDOWN.parents[2] / "README.md").read_text()
    for name in ("individual.md", "group.md", "rubric.md"):
        assert f"capstone/final_projects/{name}" in readme, name
        assert (MARKDOWN.parent / name).is_file()


HANDLES = {role: f"@{role.replace('_', '-')}" for role in ROLES}


def raci_md(frame: object) -> str:
    """A RACI frame as the markdown table the group brief asks for."""
    header = "| activity | " + " | ".join(HANDLES[c] for c in frame.columns) + " |"
    rule = "|---" * (len(frame.columns) + 1) + "|"
    rows = [f"| {name} | " + " | ".join(row) + " |" for name, row in frame.iterrows()]
    return "\n".join(["# Who owns what", "", header, rule, *rows, ""])


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A project folder with module 06's capstone RACI and the CODEOWNERS made from it."""
    (tmp_path / "RACI.md").write_text(raci_md(raci_frame(CAPSTONE)))
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "CODEOWNERS").write_text(codeowners(CAPSTONE, HANDLES))
    return tmp_path


def test_module06_raci_and_its_codeowners_meet_the_rubric(team: Path) -> None:
    assert score_roles(team)[0] == 2, score_roles(team)
    assert score_ownership(team)[0] == 2, score_ownership(team)


def test_read_raci_keeps_empty_cells_and_members() -> None:
    frame = read_raci("| activity | @a | @b |\n|:--|--|--|\n| ingest | AR |  |\n| ci | C | AR |")
    assert list(frame.columns) == ["@a", "@b"]
    assert frame.loc["ingest"].tolist() == ["AR", ""] and frame.loc["ci"].tolist() == ["C", "AR"]


@pytest.mark.parametrize(
    ("table", "level", "says"),
    [
        ("| activity | @a | @b |\n|--|--|--|\n| ingest | A | R |\n| ci | R | A |", 2, "no problem"),
        ("| activity | @a | @b |\n|--|--|--|\n| ingest | A | A |\n| ci | R | A |", 1, "2 A"),
        ("| activity | @a | @b |\n|--|--|--|\n| ingest | A | C |\n| ci | R | A |", 1, "no R"),
        ("| activity | @a |\n|--|--|\n| ingest | AR |", 1, "two or more"),
        ("| task | @a | @b |\n|--|--|--|\n| ingest | A | R |", 0, "no table"),
    ],
    ids=["sound", "two-accountable", "no-responsible", "one-member", "no-activity-column"],
)
def test_score_roles(tmp_path: Path, table: str, level: int, says: str) -> None:
    (tmp_path / "RACI.md").write_text(table)
    got, seen = score_roles(tmp_path)
    assert got == level and says in seen[0].saw, seen


def test_score_roles_without_a_file(tmp_path: Path) -> None:
    assert score_roles(tmp_path)[0] == 0


@pytest.mark.parametrize(
    ("codeowners", "level", "says"),
    [
        ("* @a\n/dvc.yaml @b  # the pipeline\n", 2, "no problem"),
        ("* @a\n/dvc.yaml\n", 1, "no owner"),
        ("* @a\n/src/ a@b\n", 1, "does not parse"),
        ("* @a @carol\n", 1, "not a member"),
        ("/src/ @a\n/params.yaml @b\n", 1, "nobody owns dvc.yaml"),
    ],
    ids=["sound", "rule-without-owner", "bad-owner", "not-in-raci", "dvc-yaml-unowned"],
)
def test_score_ownership(tmp_path: Path, codeowners: str, level: int, says: str) -> None:
    (tmp_path / "RACI.md").write_text("| activity | @a | @b |\n|--|--|--|\n| x | A | R |")
    (tmp_path / "CODEOWNERS").write_text(codeowners)
    got, seen = score_ownership(tmp_path)
    assert got == level and says in seen[0].saw, seen


def test_score_ownership_without_a_file(tmp_path: Path) -> None:
    assert score_ownership(tmp_path)[0] == 0


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*", "dvc.yaml", True),
        ("/dvc.yaml", "dvc.yaml", True),
        ("dvc.yaml", "sub/dvc.yaml", True),
        ("/dvc.yaml", "sub/dvc.yaml", False),
        ("*.yaml", "params.yaml", True),
        ("/myflights/", "myflights/train.py", True),
        ("/myflights/", "dvc.yaml", False),
        ("docs/*.md", "docs/a.md", True),
    ],
)
def test_owns_follows_codeowners_patterns(pattern: str, path: str, expected: bool) -> None:
    assert owns(pattern, path) is expected


def test_code_blocks_reads_only_fenced_code() -> None:
    readme = "Run `pytest` later.\n\n```bash\ndvc repro\n```\n\nSome text.\n```\npytest -q\n```\n"
    assert code_blocks(readme).split() == ["dvc", "repro", "pytest", "-q"]

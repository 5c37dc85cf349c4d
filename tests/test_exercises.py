"""Every module's self-checking exercises are right, and `labs check` reports them.

Why it matters: a check that passes a wrong answer teaches nothing, and a check that fails
the reference answer sends a student hunting for a bug that is not theirs. So the checks
run twice: against the solutions (all must pass) and against the untouched starters (none
may pass).

A student who has started filling in a starter.py edits it on purpose; the "starter fails"
tests then skip (they compare with git) instead of failing that student's `make test`.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capstone.cli import app
from labs_common import paths
from labs_common.exercises import modules_with_exercises, run_checks

MODULES = modules_with_exercises()
runner = CliRunner()


def starter_path(number: int) -> Path:
    return paths.module_dir(number) / "exercises" / "starter.py"


def edited_since_commit(path: Path) -> bool:
    """True when git says ``path`` differs from the last commit (False outside git)."""
    try:
        out = subprocess.run(
            ["git", "diff", "--quiet", "HEAD", "--", path.name],
            cwd=path.parent, capture_output=True, timeout=30,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 1


def skip_if_student_edited(number: int) -> None:
    if edited_since_commit(starter_path(number)):
        pytest.skip(f"module {number:02d} starter.py has your answers in it (checked in CI)")


def solution_imports(path: Path) -> list[str]:
    """Imports in a file that reach a ``solutions`` module, as 'line: statement'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [f"{node.module or ''}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            names = [str(node.args[0].value)] if "import" in ast.unparse(node.func) else []
        else:
            continue
        found += [f"{node.lineno}: {n}" for n in names if "solutions" in n.split(".")]
    return found


def test_solution_imports_catches_every_form(tmp_path: Path) -> None:
    path = tmp_path / "starter.py"
    path.write_text(
        "from . import solutions\nfrom .solutions import f\nimport m.exercises.solutions\n"
        "import importlib\nimportlib.import_module('m.exercises.solutions')\nimport pandas\n"
    )
    assert [s.split(":")[0] for s in solution_imports(path)] == ["1", "2", "3", "5"]


def test_some_module_has_exercises() -> None:
    assert 1 in MODULES, f"module 01 should have exercises; found {MODULES}"


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_checks_pass_on_solutions(number: int) -> None:
    bad = [f"{r.name}: {r.status}: {r.message}" for r in run_checks(number, "solutions")]
    bad = [line for line in bad if ": pass: " not in line]
    assert not bad, f"module {number:02d} solutions fail their checks:\n" + "\n".join(bad)


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_checks_fail_on_untouched_starter(number: int) -> None:
    skip_if_student_edited(number)
    passing = [r.name for r in run_checks(number, "starter") if r.passed]
    assert not passing, (
        f"module {number:02d}: these checks pass on the untouched starter, so they cannot "
        f"tell a wrong answer from a right one: {passing}"
    )


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_starter_does_not_import_solutions(number: int) -> None:
    found = solution_imports(starter_path(number))
    assert not found, f"module {number:02d} starter.py imports the solutions: {found}"


def test_cli_check_solutions_exits_zero() -> None:
    result = runner.invoke(app, ["check", "1", "--solutions"])
    assert result.exit_code == 0, result.output


def test_cli_check_starter_exits_one_with_a_hint() -> None:
    skip_if_student_edited(1)
    result = runner.invoke(app, ["check", "1"])
    assert result.exit_code == 1, result.output
    assert "hint" in result.output and "0/" in result.output, result.output


def test_cli_check_unknown_module_says_what_is_valid() -> None:
    result = runner.invoke(app, ["check", "42"])
    assert result.exit_code == 1, result.output
    assert "error" in result.output and "1..9" in result.output and "42" in result.output, (
        result.output
    )

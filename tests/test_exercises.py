"""Every module's self-checking exercises are right, and `labs check` reports them.

Why it matters: a check that passes a wrong answer teaches nothing, and a check that fails
the reference answer sends a student hunting for a bug that is not theirs. So every check
runs against:

(a) the reference solution: it must pass (on this run's random cases);
(b) the untouched starter: it must not pass;
(c) answers that do not compute: the solution's first output returned for every call, and
    a replay, in order, of every output the solution gave on another run (a student who
    typed in what they saw): neither may pass, so each check draws cases the student
    cannot predict;
(d) plausible wrong answers, a table per module in ``tests/exercise_mutants/``: each must
    fail with the check's own assertion (not a crash), at least two per exercise.

A check emptied down to one call with no assertion passes (c) and (d), so the gate fails
it (``test_gate_catches_a_check_without_assertions`` proves that).

A student who has started filling in a starter.py edits it on purpose; the "starter fails"
tests then skip (they compare with git) instead of failing that student's `make test`.
"""

from __future__ import annotations

import ast
import copy
import functools
import importlib
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from capstone.cli import app
from labs_common import paths
from labs_common.exercises import (
    Checks,
    Exercise,
    load_checks,
    module_package,
    modules_with_exercises,
    new_seed,
    run_checks,
    run_exercise,
)
from module09_monitoring.rules import decide as decide_imported_at_the_top

MODULES = modules_with_exercises()
runner = CliRunner()


def gate_seed() -> int:
    """The gate's seed: ``$LABS_GATE_SEED`` in CI (a red CI must mean a real regression,
    and the seed in its message repeats it), a fresh one everywhere else, so that running
    the gate locally keeps exploring new inputs and finds a check a lucky draw can fool.
    """
    given = os.environ.get("LABS_GATE_SEED", "").strip()
    return int(given) if given else new_seed()


def solutions_of(number: int) -> object:
    return importlib.import_module(f"{module_package(number)}.exercises.solutions")


def mutants_of(number: int) -> dict[str, dict[str, Callable[..., object]]]:
    try:
        return importlib.import_module(f"tests.exercise_mutants.module{number:02d}").MUTANTS
    except ModuleNotFoundError:
        return {}


def recorded_outputs(ex: Exercise, solution: Callable[..., object], seed: int) -> list:
    """Every value ``solution`` returns while ``ex``'s check runs with ``seed``."""
    outputs: list = []

    @functools.wraps(solution)
    def recorder(*args: object, **kwargs: object) -> object:
        value = solution(*args, **kwargs)
        outputs.append(copy.deepcopy(value))
        return value

    result = run_exercise(ex, recorder, seed)
    assert result.passed, f"{ex.name}: the solution fails: {result.message}"
    return outputs


def fixed_answers(outputs: list) -> dict[str, Callable[..., object]]:
    """Answers that do not compute: a constant, and a replay of a previous run's outputs."""
    replay = iter(outputs)

    def constant(*args: object, **kwargs: object) -> object:
        return copy.deepcopy(outputs[0])

    def replayed(*args: object, **kwargs: object) -> object:
        return copy.deepcopy(next(replay, outputs[-1]))

    return {"constant (first output, always)": constant, "replay of another run": replayed}


def survivors(
    ex: Exercise, answers: dict[str, Callable[..., object]], seed: int, killed_by: str = "fail"
) -> list[str]:
    """The answers (name -> function) whose status under ``ex``'s check is not ``killed_by``.

    A wrong answer must *fail* (an assertion with a message), not crash the check; an answer
    that does not compute at all must simply not pass (``killed_by="not pass"``).
    """
    left = []
    for name, answer in answers.items():
        result = run_exercise(ex, answer, seed)
        if (
            (result.passed or result.status == "todo")
            if killed_by == "not pass"
            else (result.status != killed_by)
        ):
            left.append(f"{ex.name}: {name} -> {result.status}: {result.message[:120]}")
    return left


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
    seed = gate_seed()
    bad = [f"{r.name}: {r.status}: {r.message}" for r in run_checks(number, "solutions", seed)]
    bad = [line for line in bad if ": pass: " not in line]
    assert not bad, (
        f"module {number:02d} solutions fail their checks with seed {seed}:\n" + "\n".join(bad)
    )


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_checks_fail_answers_that_do_not_compute(number: int) -> None:
    seed, solutions = gate_seed(), solutions_of(number)
    left = []
    for ex in load_checks(number):
        solution = getattr(solutions, ex.name)
        if inspect.isclass(solution):
            continue  # a class has no single output to replay; its mutants cover it
        outputs = recorded_outputs(ex, solution, seed)
        assert outputs, f"{ex.name}: the check never calls the answer"
        left += survivors(ex, fixed_answers(outputs), seed + 1, killed_by="not pass")
    assert not left, (
        f"module {number:02d} (seeds {seed}, {seed + 1}): these checks pass an answer that "
        "does not compute; add random cases from check_rng():\n" + "\n".join(left)
    )


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_checks_fail_plausible_wrong_answers(number: int) -> None:
    mutants, seed = mutants_of(number), gate_seed()
    names = [ex.name for ex in load_checks(number)]
    thin = [n for n in names if len(mutants.get(n, {})) < 2]
    assert not thin, (
        f"module {number:02d}: give these exercises at least two wrong answers in "
        f"tests/exercise_mutants/module{number:02d}.py: {thin}"
    )
    assert set(mutants) <= set(names), f"mutants of unknown exercises: {set(mutants) - set(names)}"
    left = []
    for ex in load_checks(number):
        left += survivors(ex, mutants[ex.name], seed)
    assert not left, (
        f"module {number:02d} (seed {seed}): these wrong answers pass or crash instead of "
        "failing an assertion:\n" + "\n".join(left)
    )


def test_checks_register_in_definition_order_with_the_docstring_as_the_hint() -> None:
    checks = Checks()

    @checks.exercise(forbidden=("module09_monitoring.rules.decide",))
    def check_second(fn: Callable[..., object]) -> None:
        """a hint written over
        two lines"""

    @checks.exercise(name="RunningTotal")
    def check_running_total(cls: Callable[..., object]) -> None:
        """one line"""

    assert [(ex.name, ex.hint, ex.forbidden, ex.check) for ex in checks] == [
        ("second", "a hint written over two lines", ("module09_monitoring.rules.decide",),
         check_second),
        ("RunningTotal", "one line", (), check_running_total),
    ]  # fmt: skip


def test_checks_refuse_a_check_without_hint_name_or_a_unique_name() -> None:
    checks = Checks()

    def check_silent(fn: Callable[..., object]) -> None:
        pass

    with pytest.raises(ValueError, match="no docstring"):
        checks.exercise(check_silent)
    with pytest.raises(ValueError, match="check_<exercise>"):

        @checks.exercise
        def late_rate(fn: Callable[..., object]) -> None:
            """a hint"""

    def check_late_rate(fn: Callable[..., object]) -> None:
        """a hint"""

    checks.exercise(check_late_rate)
    with pytest.raises(ValueError, match="registered twice"):
        checks.exercise(check_late_rate)
    assert checks.named("late_rate").check is check_late_rate
    with pytest.raises(KeyError, match=r"there are: \['late_rate'\]"):
        checks.named("late_rates")


def test_gate_catches_a_check_without_assertions() -> None:
    real = load_checks(5)[0]  # cost_per_flight(y, flagged, missed_delay, false_alert)
    emptied = Exercise(real.name, lambda fn: fn([1, 0], [False, True], 4.0, 1.0), real.hint)
    solution = solutions_of(5).cost_per_flight
    outputs = recorded_outputs(emptied, solution, seed=1)
    assert survivors(emptied, fixed_answers(outputs), 2, "not pass"), "a constant answer passes"
    assert survivors(emptied, mutants_of(5)[real.name], seed=2), "mutants must pass it"


def test_an_answer_calling_the_course_function_fails() -> None:
    ex = load_checks(9).named("should_retrain")
    assert "module09_monitoring.rules.decide" in ex.forbidden

    def via_decide(entry: dict, params: object) -> bool:
        from module09_monitoring.rules import decide

        return bool(decide(entry, params)["retrain"])

    def via_an_earlier_import(entry: dict, params: object) -> bool:
        return bool(decide_imported_at_the_top(entry, params)["retrain"])

    for answer in (via_decide, via_an_earlier_import):
        result = run_exercise(ex, answer, new_seed(), 9)
        assert result.status == "fail", result
        assert "module09_monitoring.rules.decide" in result.message, result


def test_an_answer_calling_the_solutions_fails() -> None:
    ex = load_checks(5)[0]

    def via_solutions(*args: object) -> object:
        return solutions_of(5).cost_per_flight(*args)

    result = run_exercise(ex, via_solutions, new_seed(), 5)
    assert result.status == "fail" and "exercises.solutions" in result.message, result
    assert run_exercise(ex, solutions_of(5).cost_per_flight, new_seed(), 5).passed


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_every_answer_delegating_to_the_solutions_fails(number: int) -> None:
    """(c) for "reads the answer out of the reference package": every function exercise."""
    solutions, seed, left = solutions_of(number), gate_seed(), []
    for ex in load_checks(number):
        solution = getattr(solutions, ex.name)
        if inspect.isclass(solution):
            continue  # a class is not guarded; its fixed-share mutant is in the table

        def delegate(*args: object, _solution=solution, **kwargs: object) -> object:
            return _solution(*args, **kwargs)

        result = run_exercise(ex, delegate, seed, number)
        if result.status != "fail" or "exercises.solutions" not in result.message:
            left.append(f"{ex.name} -> {result.status}: {result.message[:120]}")
    assert not left, f"module {number:02d} (seed {seed}) passes a call to the solutions:\n" + (
        "\n".join(left)
    )


def test_a_failure_names_the_seed_that_repeats_it() -> None:
    ex = load_checks(5)[0]
    first = run_exercise(ex, lambda *args: 0.0, 1234, 5)
    assert first.status == "fail" and "[seed 1234]" in first.message
    assert run_exercise(ex, lambda *args: 0.0, 1234, 5).message == first.message


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
    result = runner.invoke(app, ["check", "5", "--solutions"])
    assert result.exit_code == 0, result.output


def test_cli_check_writes_its_table_to_stdout_and_explains_error(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    done = subprocess.run(
        [sys.executable, "-m", "capstone.cli", "check", "5", "--solutions"],
        stdout=out.open("w"), stderr=subprocess.PIPE, text=True, cwd=paths.ROOT,
        env={**os.environ, "LABS_CHECK_SEED": "77", "COLUMNS": "200"},
        timeout=300,
    )  # fmt: skip
    text = " ".join(out.read_text().split())  # the table wraps its caption
    assert done.returncode == 0, done.stderr
    assert "cost_per_flight" in text and re.search(r"(\d+)/\1 exercises pass", text), text
    assert "error: your code raised an exception other than NotImplementedError" in text, text
    assert "LABS_CHECK_SEED=77" in text, text


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


OPERATIONS = (ast.Call, ast.BinOp, ast.Compare, ast.Subscript, ast.BoolOp, ast.UnaryOp)


def key_expressions(fn: Callable[..., object], min_length: int = 12) -> set[str]:
    """The expressions of a solution's body that do two operations or more, normalised.

    Naming a function with its obvious argument (``np.unique(months)``) points the way; an
    expression that chains operations (``set(flights["tailnum"].dropna())``, a formula)
    is a piece of the answer. Normalised: no spaces, one kind of quote.
    """
    tree = ast.parse(inspect.getsource(inspect.unwrap(fn)).strip())
    nodes = [n for stmt in getattr(tree.body[0], "body", []) for n in ast.walk(stmt)]
    found = {
        _normalised(ast.unparse(n))
        for n in nodes
        if isinstance(n, ast.expr) and sum(isinstance(m, OPERATIONS) for m in ast.walk(n)) >= 2
    }
    return {e for e in found if len(e) >= min_length}


def _normalised(text: str) -> str:
    return "".join(text.split()).replace("'", '"')


def leaked_expressions(hint: str, fn: Callable[..., object]) -> list[str]:
    """The key expressions of ``fn``'s body that ``hint`` contains word for word."""
    flat = _normalised(hint)
    return sorted(e for e in key_expressions(fn) if e in flat)


def starter_todos(number: int) -> dict[str, str]:
    """Each starter function's ``# TODO`` comments, joined (methods under their class)."""
    found: dict[str, str] = {}
    lines = starter_path(number).read_text().splitlines()
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            text = lines[node.lineno - 1 : node.end_lineno]
            found[node.name] = " ".join(line.split("#", 1)[1] for line in text if "#" in line)
    return found


def test_leaked_expressions_finds_a_whole_solution_in_a_hint() -> None:
    solution = solutions_of(1).cancelled_share
    assert leaked_expressions("flights['arr_delay'].isna().mean()", solution)
    assert not leaked_expressions("a missing arr_delay marks a flight; .isna() helps", solution)


@pytest.mark.parametrize("number", MODULES, ids=lambda n: f"module{n:02d}")
def test_hints_point_the_way_without_the_answer(number: int) -> None:
    solutions, todos = solutions_of(number), starter_todos(number)
    leaks = []
    for ex in load_checks(number):
        solution = getattr(solutions, ex.name)
        if inspect.isclass(solution):
            continue  # a class's methods are short; its hint and TODOs are reviewed by hand
        for where, text in (("hint", ex.hint), ("starter TODO", todos.get(ex.name, ""))):
            leaks += [f"{ex.name} ({where}): {e}" for e in leaked_expressions(text, solution)]
    assert not leaks, (
        f"module {number:02d}: these hints contain the solution's own code; say which "
        "function or pitfall matters instead:\n" + "\n".join(leaks)
    )

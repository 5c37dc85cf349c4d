"""Exercises that check themselves, the same way in every module.

How it works. Each module has an ``exercises`` package with three files:

- ``starter.py``: the functions a student fills in (each raises ``NotImplementedError``
  with a ``# TODO`` until then). Notebooks tell the student which function to write.
- ``solutions.py``: the reference answers, kept apart; the starter never imports them.
- ``checks.py``: ``CHECKS``, a list of :class:`Exercise`. A check receives the student's
  function and raises ``AssertionError`` with a helpful message when it is wrong.

``labs check 01`` runs module 01's checks against the starter and prints pass/fail with a
hint. CI runs every module's checks against the solutions (all must pass) and against the
untouched starters (all must fail), so a check that cannot fail is caught.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from labs_common import paths

Target = Literal["starter", "solutions"]
Status = Literal["pass", "todo", "fail", "error"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function the student writes, how to check it, and a hint."""

    name: str
    check: Callable[[Callable[..., object]], None]
    hint: str


@dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    name: str
    status: Status
    message: str
    hint: str

    @property
    def passed(self) -> bool:
        return self.status == "pass"


def module_package(number: int) -> str:
    """Return the package name of module ``number``, e.g. 1 -> ``module01_intro``."""
    return paths.module_dir(number).name


def run_checks(number: int, target: Target = "starter") -> list[Result]:
    """Run module ``number``'s checks against the student's starter or the solutions.

    Why it matters: feedback in seconds, with a hint, is what keeps a student going; and
    running the same checks on the reference solutions proves the checks are right.

    Args:
        number: the module, 1-9.
        target: ``"starter"`` (the student's file) or ``"solutions"``.

    Returns:
        One :class:`Result` per exercise, in the order of ``CHECKS``.
    """
    package = module_package(number)
    try:
        checks = importlib.import_module(f"{package}.exercises.checks").CHECKS
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(f"{package}.exercises"):
            raise LookupError(f"module {number:02d} ({package}) has no exercises yet") from exc
        raise
    answers = importlib.import_module(f"{package}.exercises.{target}")
    return [_run_one(ex, getattr(answers, ex.name, None)) for ex in checks]


def _run_one(ex: Exercise, fn: Callable[..., object] | None) -> Result:
    if fn is None:
        return Result(ex.name, "error", f"no function named {ex.name} was found", ex.hint)
    try:
        ex.check(fn)
    except NotImplementedError:
        return Result(
            ex.name, "todo", "not written yet (still raises NotImplementedError)", ex.hint
        )
    except AssertionError as exc:
        return Result(ex.name, "fail", str(exc) or "the answer is not right yet", ex.hint)
    except Exception as exc:  # noqa: BLE001 - a student's bug is a result, not a crash
        return Result(ex.name, "error", f"{type(exc).__name__}: {exc}", ex.hint)
    return Result(ex.name, "pass", "correct", ex.hint)


def modules_with_exercises() -> list[int]:
    """Return the numbers of the modules that have an ``exercises/checks.py``."""
    return [
        n
        for n in range(1, len(paths.MODULES) + 1)
        if (paths.module_dir(n) / "exercises" / "checks.py").is_file()
    ]


def show_results(number: int, target: Target = "starter") -> list[Result]:
    """Run module ``number``'s checks and print a table; never raises on a wrong answer.

    Notebooks call this after each exercise, so a student sees their progress without the
    notebook stopping (``labs check`` is the version that exits non-zero for CI).
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    results = run_checks(number, target)
    table = Table(title=f"Module {number:02d} exercises ({target})")
    for col in ("exercise", "result", "message / hint"):
        table.add_column(col)
    for r in results:
        note = r.message if r.passed else f"{r.message} | hint: {r.hint}"
        table.add_row(r.name, r.status, escape(note))  # a hint like df[k] is text, not markup
    Console().print(table)
    return results

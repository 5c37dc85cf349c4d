"""Exercises that check themselves, the same way in every module.

How it works. Each module has an ``exercises`` package with three files:

- ``starter.py``: the functions a student fills in (each raises ``NotImplementedError``
  with a ``# TODO`` until then). Notebooks tell the student which function to write.
- ``solutions.py``: the reference answers, kept apart; the starter never imports them.
- ``checks.py``: ``CHECKS = Checks()``, then one check per exercise, registered where it
  is written: ``@CHECKS.exercise`` above ``def check_late_rate(fn)`` declares the exercise
  ``late_rate`` (the function's name without ``check_``), and the check's docstring is the
  hint a student reads when it fails. A check receives the student's function and raises
  ``AssertionError`` with a helpful message when it is wrong; ``CHECKS`` keeps the order of
  definition, the order ``labs check`` prints.

``labs check 01`` runs module 01's checks against the starter and prints pass/fail with a
hint. CI runs every module's checks against the solutions (all must pass), against the
untouched starters, against answers that return fixed values and against plausible wrong
answers (all must fail), so a check that cannot fail is caught (``tests/test_exercises.py``).

Why the inputs change on every run: a check that only ever tries the same table can be
passed by an answer that returns the number it saw last time. So each run draws a fresh
seed; checks take their random cases from :func:`check_rng`, and a failure names the seed
(``LABS_CHECK_SEED=<seed> labs check N`` repeats exactly that run).

Why some answers may not call the course's own code: many exercises rebuild, by hand, a
function the module's package already has (``module09_monitoring.rules.decide`` and the
``should_retrain`` exercise, say). Calling it would pass every input and teach nothing, so
``@CHECKS.exercise(forbidden=(...))`` lists those functions and the check fails when the
answer calls one of them, however it was imported. (Hiding the module at import time was
the other way; it misses an import done before the check ran, and the check itself needs
the module to compute the expected values.) The reference ``solutions.py`` is forbidden
to every answer but itself.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from types import CodeType, FrameType
from typing import Literal, overload

import numpy as np
import pandas as pd

from labs_common import paths
from labs_common.data import load_table

Target = Literal["starter", "solutions"]
Status = Literal["pass", "todo", "fail", "error"]

#: What each status means (``labs check`` prints it under its table).
STATUS_LEGEND = {
    "pass": "the check ran your code on its inputs and every answer was right",
    "todo": "your function still raises NotImplementedError",
    "fail": "an answer was wrong (the message says which input and what was expected)",
    "error": "your code raised an exception other than NotImplementedError or "
    "AssertionError (a bug such as a KeyError or TypeError), or the function is missing",
}

SEED_ENV = "LABS_CHECK_SEED"
_SEED: ContextVar[int] = ContextVar("labs_check_seed", default=0)


#: A check: it runs the student's function and raises ``AssertionError`` when it is wrong.
CheckFn = Callable[[Callable[..., object]], None]


@dataclass(frozen=True)
class Exercise:
    """One exercise: the function the student writes, how to check it, and a hint.

    ``forbidden`` names the course functions (``"package.module.function"``, or
    ``"package.module.Class.method"``) that already compute this exercise's answer; an
    answer that calls one of them fails.
    """

    name: str
    check: CheckFn
    hint: str
    forbidden: tuple[str, ...] = ()


class Checks(list[Exercise]):
    """A module's exercises, in the order their checks are defined (``checks.py``'s ``CHECKS``).

    Why it matters: the hint a student reads when a check fails is written where the check
    is, as its docstring, not in a table at the end of the file that names every check a
    second time. Register a check with ``@CHECKS.exercise`` (or
    ``@CHECKS.exercise(forbidden=(...))``): ``check_late_rate`` checks the exercise
    ``late_rate``, and its docstring, joined into one line, is the hint.
    """

    @overload
    def exercise(self, check: CheckFn, /) -> CheckFn: ...

    @overload
    def exercise(
        self, *, forbidden: tuple[str, ...] = (), name: str | None = None
    ) -> Callable[[CheckFn], CheckFn]: ...

    def exercise(
        self,
        check: CheckFn | None = None,
        /,
        *,
        forbidden: tuple[str, ...] = (),
        name: str | None = None,
    ) -> CheckFn | Callable[[CheckFn], CheckFn]:
        """Register ``check_<name>`` as the check of exercise ``<name>``, its docstring the hint.

        ``name`` is needed only when the student's answer is not named like the check (a
        class such as ``RunningLateShare``); ``forbidden`` is :attr:`Exercise.forbidden`.
        """

        def register(check: CheckFn) -> CheckFn:
            exercise = name or check.__name__.removeprefix("check_")
            if exercise == check.__name__:
                raise ValueError(f"{check.__name__}: name a check check_<exercise>, or pass name=")
            if any(ex.name == exercise for ex in self):
                raise ValueError(f"exercise {exercise!r} is registered twice")
            if not check.__doc__:
                raise ValueError(
                    f"{check.__name__} has no docstring: it is the hint a student reads "
                    "(and python -OO strips docstrings: run the checks without it)"
                )
            hint = " ".join(check.__doc__.split())
            self.append(Exercise(exercise, check, hint, tuple(forbidden)))
            return check

        return register if check is None else register(check)

    def named(self, name: str) -> Exercise:
        """The exercise called ``name``; a ``KeyError`` lists the names there are."""
        for ex in self:
            if ex.name == name:
                return ex
        raise KeyError(f"no exercise {name!r}; there are: {[ex.name for ex in self]}")


@dataclass(frozen=True)
class Result:
    """The outcome of one check."""

    name: str
    status: Status
    message: str
    hint: str
    seed: int = 0

    @property
    def passed(self) -> bool:
        return self.status == "pass"


def new_seed() -> int:
    """A seed for one run of the checks: ``$LABS_CHECK_SEED`` if set, else a fresh random one."""
    given = os.environ.get(SEED_ENV, "").strip()
    if given:
        try:
            return int(given)
        except ValueError:
            raise ValueError(f"{SEED_ENV} must be an integer, got {given!r}") from None
    return int.from_bytes(os.urandom(4), "little")


def current_seed() -> int:
    """The seed of the check that is running (0 outside a check)."""
    return _SEED.get()


def check_rng(stream: int = 0) -> np.random.Generator:
    """A generator for a check's random cases, drawn from this run's seed.

    Why it matters: the student cannot know the inputs in advance, yet a failing run can be
    repeated exactly (``LABS_CHECK_SEED``). ``stream`` gives independent generators for
    independent parts of one check.
    """
    return np.random.default_rng([_SEED.get(), stream])


def assert_equal_answers_for_equal_inputs(
    fn: Callable[..., object],
    inputs: list[tuple],
    kind: list[int],
    rng: np.random.Generator,
    repeats: int,
    *,
    same: str,
    different: str,
) -> None:
    """Call ``fn`` on every input and on ``repeats`` of them again, in a random order: two
    answers must be equal exactly when their inputs are of the same ``kind`` (``kind[i]`` of
    ``inputs[i]``), e.g. the same model given with its keys in another order.

    Why it matters: an id or a fingerprint is right only when it both stays put for the same
    thing and moves for any change; testing pairs in an order the student cannot predict
    catches an answer that remembers its last input. A failure says ``same`` (equal inputs
    got different answers) or ``different`` (different inputs got one answer).
    """
    picks = rng.permutation([*range(len(inputs)), *rng.integers(0, len(inputs), repeats)])
    answers = [fn(*inputs[i]) for i in picks]
    for a in range(len(picks)):
        for b in range(a):
            equal = kind[picks[a]] == kind[picks[b]]
            assert (answers[a] == answers[b]) == equal, (
                f"calls {b} and {a} of {len(picks)}: {same if equal else different}"
            )


@functools.lru_cache(maxsize=4)
def course_table(name: str) -> pd.DataFrame:
    """A raw course table (``labs_common.data.TABLES``), read once and shared by every check.

    Why it matters: checks sample the real tables on every run, and reading the flights
    each time would make ``labs check`` slow. Shared means never changed in place: sample
    it or copy it before changing anything.
    """
    return load_table(name)


def module_package(number: int) -> str:
    """Return the package name of module ``number``, e.g. 1 -> ``module01_intro``."""
    return paths.module_dir(number).name


def load_checks(number: int) -> Checks:
    """Return module ``number``'s ``CHECKS`` (``LookupError`` when it has no exercises)."""
    package = module_package(number)
    try:
        return importlib.import_module(f"{package}.exercises.checks").CHECKS
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith(f"{package}.exercises"):
            raise LookupError(f"module {number:02d} ({package}) has no exercises yet") from exc
        raise


def run_checks(number: int, target: Target = "starter", seed: int | None = None) -> list[Result]:
    """Run module ``number``'s checks against the student's starter or the solutions.

    Why it matters: feedback in seconds, with a hint, is what keeps a student going; and
    running the same checks on the reference solutions proves the checks are right.

    Args:
        number: the module, 1-9.
        target: ``"starter"`` (the student's file) or ``"solutions"``.
        seed: the seed of the random cases (default: :func:`new_seed`).

    Returns:
        One :class:`Result` per exercise, in the order of ``CHECKS``.
    """
    checks = load_checks(number)
    answers = importlib.import_module(f"{module_package(number)}.exercises.{target}")
    seed = new_seed() if seed is None else seed
    return [run_exercise(ex, getattr(answers, ex.name, None), seed, number) for ex in checks]


def run_exercise(
    ex: Exercise, fn: Callable[..., object] | None, seed: int, number: int | None = None
) -> Result:
    """Run one check on one answer with the random cases of ``seed``."""
    if fn is None:
        return Result(ex.name, "error", f"no function named {ex.name} was found", ex.hint, seed)
    token = _SEED.set(seed)
    try:
        ex.check(_guarded(fn, _forbidden_code(ex, fn, number)))
    except NotImplementedError:
        status, message = "todo", "not written yet (still raises NotImplementedError)"
    except AssertionError as exc:
        status, message = "fail", str(exc) or "the answer is not right yet"
    except Exception as exc:  # noqa: BLE001 - a student's bug is a result, not a crash
        status, message = "error", f"{type(exc).__name__}: {exc}"
    else:
        status, message = "pass", "correct"
    finally:
        _SEED.reset(token)
    if status in ("fail", "error"):
        message += f" [seed {seed}]"
    return Result(ex.name, status, message, ex.hint, seed)


class ForbiddenCall(AssertionError):
    """The answer called a course function that already computes the exercise's answer."""


def _forbidden_code(
    ex: Exercise, fn: Callable[..., object], number: int | None
) -> dict[CodeType | str, str]:
    """Code objects (and whole files) the answer ``fn`` must not run, with their names."""
    found: dict[CodeType | str, str] = {}
    for dotted in ex.forbidden:
        target = inspect.unwrap(_resolve(dotted))
        code = getattr(target, "__code__", None)
        if code is None:
            raise TypeError(f"forbidden {dotted!r} of {ex.name} is not a Python function")
        found[code] = dotted
    if number is not None:
        solutions = paths.module_dir(number) / "exercises" / "solutions.py"
        if _source_file(fn) != str(solutions):
            found[str(solutions)] = f"{module_package(number)}.exercises.solutions"
    return found


def _resolve(dotted: str) -> object:
    """The object named ``dotted``: a module's function or a class's method (``m.Class.f``)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        return functools.reduce(getattr, parts[cut:], target)
    raise ModuleNotFoundError(f"no module in {dotted!r}")


def _source_file(fn: Callable[..., object]) -> str | None:
    try:
        return inspect.getsourcefile(inspect.unwrap(fn))
    except TypeError:
        return None


def _guarded(fn: Callable[..., object], forbidden: dict[CodeType | str, str]) -> Callable:
    """``fn``, failing when a call to it runs any of the ``forbidden`` code (classes as is)."""
    if not forbidden or inspect.isclass(fn):
        return fn

    @functools.wraps(fn)
    def answer(*args: object, **kwargs: object) -> object:
        with _watch_calls(forbidden) as called:
            result = fn(*args, **kwargs)
        if called:
            raise ForbiddenCall(
                f"your answer calls {called[0]}, which already computes this exercise's "
                "answer: write the logic yourself (reading that code afterwards is fine)"
            )
        return result

    return answer


@contextlib.contextmanager
def _profiled(on_event: Callable[[FrameType, str, object], None]) -> Iterator[None]:
    """Call ``on_event(frame, event, arg)`` for every call and return inside the block.

    A profiler set around this one (a coverage tool, an outer check) keeps receiving every
    event, and is put back afterwards.
    """
    previous = sys.getprofile()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        on_event(frame, event, arg)
        if previous is not None:
            previous(frame, event, arg)

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(previous)


@contextlib.contextmanager
def _watch_calls(forbidden: dict[CodeType | str, str]) -> Iterator[list[str]]:
    """Record which of the ``forbidden`` functions (or files) run inside the block."""
    called: list[str] = []

    def on_event(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        name = event == "call" and (forbidden.get(code) or forbidden.get(code.co_filename))
        if name and name not in called:
            called.append(name)

    with _profiled(on_event):
        yield called


@contextlib.contextmanager
def builtin_calls() -> Iterator[set[object]]:
    """Collect the C functions (``hmac.compare_digest``, ...) called inside the block.

    Why it matters: "use a constant-time comparison" is a behaviour a check can observe by
    running the answer, where a search of its source text is fooled by a comment.
    """
    seen: set[object] = set()

    def on_event(frame: FrameType, event: str, arg: object) -> None:
        if event == "c_call":
            seen.add(arg)

    with _profiled(on_event):
        yield seen


def modules_with_exercises() -> list[int]:
    """Return the numbers of the modules that have an ``exercises/checks.py``."""
    return [
        n
        for n in range(1, len(paths.MODULES) + 1)
        if (paths.module_dir(n) / "exercises" / "checks.py").is_file()
    ]


def results_table(number: int, results: list[Result], title_suffix: str = "") -> object:
    """The rich table of ``results`` with the statuses explained below it."""
    from rich.markup import escape
    from rich.table import Table

    style = {"pass": "green", "todo": "yellow", "fail": "red", "error": "red"}
    seed = results[0].seed if results else 0
    legend = "; ".join(f"{k}: {v}" for k, v in STATUS_LEGEND.items())
    table = Table(
        title=f"Module {number:02d} exercises{title_suffix}",
        caption=f"{legend}. Random cases drawn with seed {seed}; "
        f"{SEED_ENV}={seed} labs check {number} repeats them.",
        caption_justify="left",
    )
    for col in ("exercise", "result", "message / hint"):
        table.add_column(col)
    for r in results:
        note = escape(r.message)
        if not r.passed:
            note += f"\n[dim]hint: {escape(r.hint)}[/]"  # a hint like df[k] is text, not markup
        table.add_row(r.name, f"[{style[r.status]}]{r.status}[/]", note)
    return table


def show_results(number: int, target: Target = "starter") -> list[Result]:
    """Run module ``number``'s checks and print a table; never raises on a wrong answer.

    Notebooks call this after each exercise, so a student sees their progress without the
    notebook stopping (``labs check`` is the version that exits non-zero for CI).
    """
    from rich.console import Console

    results = run_checks(number, target)
    Console().print(results_table(number, results, f" ({target})"))
    return results

"""Theory of computation, part 2: what no test can decide, and why tests sample.

Lesson: module 02, notebook 05. Turing (1936): no program decides, for every program and
input, whether it halts. Rice (1953): the same holds for *every* non-trivial property of
what a program computes ("never reads a column known only after the decision time",
"always returns a probability"). So a test cannot prove such a property; it runs the code
on a sample of inputs and can only find a counter-example. This file holds the small,
runnable pieces of that argument: programs as step-by-step generators, a watcher that
gives up after a budget (every real "decider" is one), the program that outlasts any
budget, and the Collatz map, whose halting nobody has proved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

#: A program, for this lesson: called with an input, it yields once per step of work.
Program = Callable[[int], Iterator[None]]


def halts_within(program: Program, arg: int, budget: int) -> bool | None:
    """Run ``program(arg)`` for at most ``budget`` steps: True if it ended, None if unknown.

    Why it matters: this is the only general way to find out whether code halts, and it
    can answer "yes" but never "no": after ``budget`` steps, the program may end at the
    next step or never.

    Example:
        >>> halts_within(countdown, 5, budget=10)
        True
        >>> halts_within(countdown, 50, budget=10) is None
        True
    """
    steps = program(arg)
    for _ in range(budget + 1):  # a program of k steps ends at the (k + 1)-th resume
        try:
            next(steps)
        except StopIteration:
            return True
    return None


def countdown(n: int) -> Iterator[None]:
    """A program that halts after ``n`` steps."""
    for _ in range(n):
        yield


def outlast(budget: int) -> Program:
    """Build a program that halts, but only after ``budget + 1`` steps.

    Why it matters: whatever budget a watcher uses, this program makes it answer "unknown"
    although the program halts. Turing's proof goes further (a program that asks the
    decider about itself and does the opposite), but the lesson for tests is the same.
    """

    def slow(_: int) -> Iterator[None]:
        yield from countdown(budget + 1)

    return slow


def collatz_steps(n: int, budget: int = 10_000) -> int | None:
    """Steps of the Collatz map (n/2 if even, 3n+1 if odd) until 1; None past ``budget``.

    Why it matters: a three-line loop of which nobody knows whether it halts for every n
    (checked by computer far beyond 10^18, never proved). Testing many n is evidence, not
    proof: exactly the position of every test suite.

    Example:
        >>> collatz_steps(6)  # 6 3 10 5 16 8 4 2 1
        8
    """
    if n < 1:
        raise ValueError(f"the Collatz map starts from a positive integer, got {n}")
    steps = 0
    while n != 1:
        if steps == budget:
            return None
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def collatz_program(n: int) -> Iterator[None]:
    """The Collatz loop as a :data:`Program`: one yield per step."""
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        yield

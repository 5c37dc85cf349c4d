"""The halting lesson's pieces: a budgeted watcher, a program that outlasts it, Collatz."""

from __future__ import annotations

import doctest

import pytest

from module02_foundations import decidability as dec


@pytest.mark.parametrize("budget", [0, 1, 7, 100])
def test_halts_within_answers_yes_exactly_up_to_the_budget(budget: int) -> None:
    assert dec.halts_within(dec.countdown, budget, budget) is True
    assert dec.halts_within(dec.countdown, budget + 1, budget) is None


@pytest.mark.parametrize("budget", [0, 5, 1000])
def test_outlast_halts_but_not_within_the_budget(budget: int) -> None:
    program = dec.outlast(budget)
    assert dec.halts_within(program, 0, budget) is None
    assert dec.halts_within(program, 0, budget + 1) is True


def test_collatz_steps_matches_the_program_and_known_values() -> None:
    # 27 takes 111 steps (a classic); powers of two take their exponent.
    assert dec.collatz_steps(27) == 111
    assert [dec.collatz_steps(2**k) for k in range(6)] == list(range(6))
    for n in range(1, 300):
        steps = dec.collatz_steps(n)
        assert dec.halts_within(dec.collatz_program, n, steps) is True
        assert steps == 0 or dec.halts_within(dec.collatz_program, n, steps - 1) is None


def test_collatz_steps_gives_up_past_the_budget_and_rejects_bad_input() -> None:
    assert dec.collatz_steps(27, budget=110) is None
    with pytest.raises(ValueError, match="positive integer, got 0"):
        dec.collatz_steps(0)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(dec).failed == 0

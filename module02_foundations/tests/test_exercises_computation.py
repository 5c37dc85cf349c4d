"""The checks of notebook 05's exercises reject fixed answers and typical mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from module02_foundations.exercises import checks


def _no_dead_state(table, start, accepting, text):  # crashes or accepts on unknown chars
    state = start
    for char in text:
        state = table[state].get(char, state)
    return state in accepting


def _overlap_counts_touching(start, end):  # counts a flight leaving at t as present at t
    return max(int(((start <= t) & (t <= end)).sum()) for t in start)


def _off_by_one_budget(n, budget):
    steps = 0
    while n != 1:
        if steps > budget:
            return None
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


@pytest.mark.parametrize(
    ("name", "wrong", "match"),
    [
        ("dfa_accepts", lambda *_: True, "expected False"),
        ("dfa_accepts", _no_dead_state, "missing from the row"),
        ("gates_needed", lambda start, end: 3, "random flights"),
        ("gates_needed", lambda start, end: len(start), "random flights"),
        ("gates_needed", _overlap_counts_touching, "random flights|frees its gate"),
        ("collatz_steps", lambda n, budget: 111, "expected"),
        ("collatz_steps", _off_by_one_budget, "expected None"),
    ],
    ids=["always-true", "no-reject", "fixed-3", "all-flights", "touching", "fixed", "off-by-one"],
)
def test_computation_checks_reject_wrong_answers(name: str, wrong: object, match: str) -> None:
    check = checks.CHECKS.named(name).check
    with pytest.raises(AssertionError, match=match):
        check(wrong)


def test_gates_needed_check_passes_the_sweep_of_numpy() -> None:
    def by_numpy(start, end):
        times = np.concatenate([start, end])
        change = np.concatenate([np.ones(len(start)), -np.ones(len(end))])
        order = np.lexsort((change, times))
        return int(np.cumsum(change[order]).max())

    checks.check_gates_needed(by_numpy)

"""Gate assignment: every solver is feasible; the programme matches exhaustive search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module02_foundations import gates


def _random_problem(seed: int, n: int = 8, n_gates: int = 3) -> gates.GateProblem:
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 240, n)
    eligible = rng.random((n, n_gates)) < 0.6
    return gates.GateProblem(start, start + rng.integers(20, 90, n), eligible, pd.DataFrame())


@pytest.mark.parametrize("seed", range(12))
def test_solve_milp_matches_exhaustive_search(seed: int) -> None:
    problem = _random_problem(seed)
    best, tried = gates.solve_exhaustive(problem)
    exact = gates.solve_milp(problem)
    assert gates.is_feasible(problem, best) and gates.is_feasible(problem, exact)
    assert (exact >= 0).sum() == (best >= 0).sum()
    assert tried >= 1


@pytest.mark.parametrize("seed", range(12))
def test_solve_greedy_is_feasible_and_never_beats_the_optimum(seed: int) -> None:
    problem = _random_problem(seed, n=30, n_gates=5)
    greedy = gates.solve_greedy(problem)
    assert gates.is_feasible(problem, greedy)
    assert (greedy >= 0).sum() <= (gates.solve_milp(problem) >= 0).sum()


def test_greedy_can_miss_the_optimum() -> None:
    # Flight 0 may use either gate and takes gate 0, the less popular one; flight 1, which
    # overlaps it and may use only gate 0, is then left out. Exact: 0 -> gate 1, 1 -> gate 0.
    problem = gates.GateProblem(
        np.array([0, 10, 50, 70]), np.array([30, 40, 60, 80]),
        np.array([[True, True], [True, False], [False, True], [False, True]]), pd.DataFrame(),
    )  # fmt: skip
    assert (gates.solve_milp(problem) >= 0).sum() == 4
    greedy = gates.solve_greedy(problem)
    assert gates.is_feasible(problem, greedy) and (greedy >= 0).sum() == 3


def test_is_feasible_catches_overlaps_and_ineligible_gates() -> None:
    problem = gates.GateProblem(
        np.array([0, 10]), np.array([30, 40]), np.array([[True, False], [True, True]]),
        pd.DataFrame(),
    )  # fmt: skip
    assert not gates.is_feasible(problem, np.array([0, 0]))  # overlap at gate 0
    assert not gates.is_feasible(problem, np.array([1, 0]))  # flight 0 may not use gate 1
    assert gates.is_feasible(problem, np.array([0, 1]))
    assert gates.is_feasible(problem, np.array([0, -1]))


@pytest.mark.data
def test_gate_problem_on_a_real_day(flights, planes) -> None:
    day = flights[(flights["origin"] == "EWR") & (flights["month"] == 7) & (flights["day"] == 12)]
    problem = gates.gate_problem(day, planes, n_gates=30)
    assert problem.n_flights == day["sched_dep_time"].notna().sum()
    assert problem.eligible.any(axis=1).all(), "every flight has at least one gate"
    table = gates.compare_solvers(problem)
    assert table.loc["milp (exact)", "served"] >= table.loc["greedy", "served"]
    assert table["of optimum"].between(0.9, 1.0).all()

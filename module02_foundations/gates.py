"""Theory of computation, part 3: an NP-hard problem on the flights, exact versus greedy.

Lesson: module 02, notebook 05. Every departure occupies a gate from ``turnaround``
minutes before its scheduled departure until it leaves. Gates belong to terminals (each
carrier uses one terminal) and only wide gates take wide-body aircraft. Which flights get
a gate, so that as many as possible do (the others are bussed from a remote stand)?

With identical gates this is easy: sorting by time solves it. With *eligibility* (each
flight may use only some gates) deciding whether every flight fits is NP-complete
(Arkin and Silverberg, 1987: fixed-interval scheduling when jobs may use only a subset of
the machines). No algorithm is known that solves every instance in polynomial time. The
notebook compares three ways: exhaustive search (exact, exponential, tiny days only), an
integer linear programme solved by branch and bound (``scipy.optimize.milp``, exact, fast
on many real days but exponential in the worst case), and a greedy heuristic (fast, no
guarantee). Tests assert on feasibility and optimality, never on wall time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

#: A plane with more seats than this needs a wide gate (a Boeing 757 has about 180-200).
WIDE_SEATS = 200


@dataclass(frozen=True)
class GateProblem:
    """One airport day: when each flight needs a gate, and which gates it may use.

    Attributes:
        start, end: minutes after midnight; flight ``i`` holds a gate over [start, end).
        eligible: boolean matrix, ``eligible[i, g]`` is True when flight ``i`` may use gate g.
        flights: the flights' own columns (carrier, tail number, ...), row ``i`` = flight i.
    """

    start: np.ndarray
    end: np.ndarray
    eligible: np.ndarray
    flights: pd.DataFrame

    @property
    def n_flights(self) -> int:
        return len(self.start)

    @property
    def n_gates(self) -> int:
        return self.eligible.shape[1]


def gate_problem(
    flights: pd.DataFrame,
    planes: pd.DataFrame,
    n_gates: int,
    n_terminals: int = 3,
    wide_share: float = 0.25,
    turnaround: int = 45,
) -> GateProblem:
    """Build the problem for the departures in ``flights`` (one airport, one day).

    Carriers are dealt to terminals by volume (the busiest to terminal 0, the next to 1, ...),
    gates are spread evenly over the terminals, and the first ``wide_share`` of each
    terminal's gates are wide. A flight whose plane has more than :data:`WIDE_SEATS` seats
    may use only wide gates of its carrier's terminal; any other flight, any gate there.
    """
    day = flights.dropna(subset=["sched_dep_time"]).sort_values("sched_dep_time")
    minutes = (day["sched_dep_time"] // 100 * 60 + day["sched_dep_time"] % 100).to_numpy(int)
    seats = day["tailnum"].map(planes.set_index("tailnum")["seats"]).fillna(0).to_numpy()
    volume = day["carrier"].astype(str).value_counts()
    terminal_of = {carrier: rank % n_terminals for rank, carrier in enumerate(volume.index)}
    flight_terminal = day["carrier"].astype(str).map(terminal_of).to_numpy()
    gate_terminal = np.arange(n_gates) % n_terminals
    gate_rank = np.arange(n_gates) // n_terminals  # position of a gate inside its terminal
    per_terminal = np.bincount(gate_terminal, minlength=n_terminals)
    gate_wide = gate_rank < np.ceil(wide_share * per_terminal[gate_terminal])
    same_terminal = flight_terminal[:, None] == gate_terminal[None, :]
    fits = (seats[:, None] <= WIDE_SEATS) | gate_wide[None, :]
    return GateProblem(
        minutes - turnaround, minutes, same_terminal & fits, day.reset_index(drop=True)
    )


def is_feasible(problem: GateProblem, gate: np.ndarray) -> bool:
    """True when every assigned flight (``gate[i] >= 0``) uses an eligible, free gate.

    ``gate[i] = -1`` means flight i goes to a remote stand.
    """
    gate = np.asarray(gate)
    for g in np.unique(gate[gate >= 0]):
        at_g = np.flatnonzero(gate == g)
        if not problem.eligible[at_g, g].all():
            return False
        order = at_g[np.argsort(problem.start[at_g], kind="stable")]
        if (problem.start[order[1:]] < problem.end[order[:-1]]).any():
            return False
    return True


def _conflicting(problem: GateProblem, i: int, j: int) -> bool:
    return bool(problem.start[i] < problem.end[j] and problem.start[j] < problem.end[i])


def solve_exhaustive(problem: GateProblem) -> tuple[np.ndarray, int]:
    """Try every feasible assignment (depth first); return the best and how many were tried.

    Why it matters: this is the definition of exact, and its cost is the point: each extra
    flight multiplies the assignments by up to (gates + 1). Use it on a handful of flights.
    """
    n, best = problem.n_flights, (np.full(problem.n_flights, -1), -1)
    gate, tried = np.full(n, -1), 0

    def place(i: int, served: int) -> None:
        nonlocal best, tried
        if i == n:
            tried += 1
            if served > best[1]:
                best = (gate.copy(), served)
            return
        for g in np.flatnonzero(problem.eligible[i]):
            if not any(gate[j] == g and _conflicting(problem, i, j) for j in range(i)):
                gate[i] = g
                place(i + 1, served + 1)
        gate[i] = -1
        place(i + 1, served)

    place(0, 0)
    return best[0], tried


def gate_types(problem: GateProblem) -> tuple[np.ndarray, np.ndarray]:
    """Group gates that accept the same flights; return each gate's type and each type's size."""
    _, kind, sizes = np.unique(problem.eligible.T, axis=0, return_inverse=True, return_counts=True)
    return kind.ravel(), sizes


def solve_milp(problem: GateProblem, time_limit: float = 60.0) -> np.ndarray:
    """Solve exactly as an integer linear programme (HiGHS branch and bound, via scipy).

    Gates that accept exactly the same flights are interchangeable, so the programme
    chooses a gate *type* per flight: one binary variable per eligible (flight, type)
    pair. Each flight takes at most one type; at the start of each flight, each type holds
    at most as many of the flights present then as it has gates (the start times suffice:
    where intervals overlap, they all contain the latest start). Maximise the flights at a
    gate. Within a type, :func:`_colour_intervals` then names the gates.

    Why it matters: a model of 30 separate gates has 30! equivalent optima, and branch and
    bound wades through them (14 s on a real day, measured); grouping them removes that.

    Raises:
        RuntimeError: the solver stopped without a proven optimum (time limit).
    """
    kind, sizes = gate_types(problem)
    allowed = np.zeros((problem.n_flights, len(sizes)), dtype=bool)
    allowed[:, kind] = problem.eligible  # columns of one type are equal
    pairs = np.argwhere(allowed)  # rows (flight, type)
    present = (problem.start[None, :] <= problem.start[:, None]) & (
        problem.start[:, None] < problem.end[None, :]
    )  # present[t, i]: flight i holds its gate when flight t starts
    blocks = [(pairs[:, 0] == i, 1) for i in range(problem.n_flights)]
    blocks += [(present[t, pairs[:, 0]] & (pairs[:, 1] == k), sizes[k])
               for t in range(problem.n_flights) for k in np.flatnonzero(allowed[t])]  # fmt: skip
    A = sparse.csr_array(np.array([mask for mask, _ in blocks], dtype=float))
    result = milp(
        c=-np.ones(len(pairs)),
        constraints=LinearConstraint(A, -np.inf, [cap for _, cap in blocks]),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    if result.status != 0:
        raise RuntimeError(f"milp stopped without a proven optimum: {result.message}")
    chosen = pairs[np.round(result.x).astype(bool)]
    gate = np.full(problem.n_flights, -1)
    for k in range(len(sizes)):
        flights = chosen[chosen[:, 1] == k, 0]
        gate[flights] = np.flatnonzero(kind == k)[_colour_intervals(problem, flights)]
    return gate


def _colour_intervals(problem: GateProblem, flights: np.ndarray) -> np.ndarray:
    """Number the gates of one type: by start time, each flight takes the lowest free one.

    For intervals this uses exactly as many gates as the most flights present at once
    (interval graphs are perfect), which the programme's constraints keep within the type.
    """
    colour = np.zeros(len(flights), dtype=int)
    free_at: list[int] = []
    for pos in np.argsort(problem.start[flights], kind="stable"):
        i = flights[pos]
        c = next((c for c, t in enumerate(free_at) if t <= problem.start[i]), len(free_at))
        if c == len(free_at):
            free_at.append(int(problem.end[i]))
        else:
            free_at[c] = int(problem.end[i])
        colour[pos] = c
    return colour


def solve_greedy(problem: GateProblem) -> np.ndarray:
    """Take flights in order of start; give each the eligible free gate that takes fewest others.

    Why it matters: one pass, O(flights x gates), and usually close; but it decides once and
    never revisits, so a wide gate given early to a narrow-body plane may be missed later.
    """
    free_at = np.full(problem.n_gates, np.iinfo(np.int64).min)
    popularity = problem.eligible.sum(axis=0)  # how many flights each gate could serve
    gate = np.full(problem.n_flights, -1)
    for i in np.argsort(problem.start, kind="stable"):
        options = np.flatnonzero(problem.eligible[i] & (free_at <= problem.start[i]))
        if len(options):
            g = options[np.argmin(popularity[options])]
            gate[i], free_at[g] = g, problem.end[i]
    return gate


def compare_solvers(problem: GateProblem, exhaustive: bool = False) -> pd.DataFrame:
    """Time each solver on ``problem``; served flights, share of the optimum, seconds."""
    solvers = {"greedy": solve_greedy, "milp (exact)": solve_milp}
    if exhaustive:
        solvers["exhaustive (exact)"] = lambda p: solve_exhaustive(p)[0]
    rows = {}
    for name, solve in solvers.items():
        began = time.perf_counter()
        gate = solve(problem)
        seconds = time.perf_counter() - began
        if not is_feasible(problem, gate):
            raise AssertionError(f"{name} returned an infeasible assignment")
        rows[name] = {"served": int((gate >= 0).sum()), "seconds": seconds}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.insert(1, "of optimum", table["served"] / table.loc["milp (exact)", "served"])
    return table.rename_axis(f"{problem.n_flights} flights, {problem.n_gates} gates")


def random_small_days(
    day: pd.DataFrame, planes: pd.DataFrame, n_flights: int, seeds: range, **layout: object
) -> pd.DataFrame:
    """Draw small days (``n_flights`` of ``day`` per seed); flights served, exact vs greedy.

    Why it matters: one example proves nothing about a heuristic; how often it misses the
    optimum on many random instances, and by how much, is what an engineer can act on.
    """
    rows = []
    for seed in seeds:
        problem = gate_problem(day.sample(n_flights, random_state=seed), planes, **layout)
        exact, greedy = solve_milp(problem), solve_greedy(problem)
        served = {"exact": int((exact >= 0).sum()), "greedy": int((greedy >= 0).sum())}
        rows.append({"seed": seed, **served})
    return pd.DataFrame(rows).set_index("seed")

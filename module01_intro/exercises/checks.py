"""Checks of module 01's exercises; ``labs check 1`` runs them against ``starter.py``.

Expectations are computed with numpy, hashlib or the module's contract, never typed in,
on inputs drawn at random for each run (random samples of the real tables, perturbed), so
an answer that returns what it saw last time does not pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from labs_common.exercises import Checks, check_rng, course_table

#: This module's exercises, registered by @CHECKS.exercise in the order below.
CHECKS = Checks()


ROUTES = ["ATL", "BOS", "LAX", "ORD", "SFO", "MIA", "DEN", "DCA", "CLT", "MCO", "IAH", "SEA"]
BREAKABLE = {"month": 13, "day": 32, "hour": 24, "minute": 60, "flight": 0, "distance": 0,
             "dep_delay": -500.0, "air_time": 0.0, "sched_dep_time": 2490}  # fmt: skip


def _sample(rng: np.random.Generator, low: int = 5_000, high: int = 30_000) -> pd.DataFrame:
    """A random sample of the real flights, of a random size."""
    flights = course_table("flights")
    return flights.sample(int(rng.integers(low, high)), random_state=rng).reset_index(drop=True)


def _random_delays(rng: np.random.Generator, n: int, missing: float) -> np.ndarray:
    """Arrival delays with some exactly on the whole minutes a threshold may sit on."""
    delay = np.round(rng.normal(10, 35, n))
    delay[rng.random(n) < missing] = np.nan
    return delay


@CHECKS.exercise
def check_cancelled_share(fn: Callable[..., object]) -> None:
    """a missing arr_delay marks a flight that never arrived; the mean of a boolean Series is a
    share
    """
    tiny = pd.DataFrame({"arr_delay": [1.0, np.nan, np.nan, 3.0], "dep_delay": [0.0] * 4})
    got = fn(tiny)
    assert np.isclose(got, 0.5), f"on arr_delay [1, NaN, NaN, 3] expected 0.5, got {got}"
    rng = check_rng()
    for _ in range(3):
        n = int(rng.integers(20, 400))
        frame = pd.DataFrame({"arr_delay": _random_delays(rng, n, rng.uniform(0.05, 0.6)),
                              "dep_delay": rng.normal(0, 1, n)})  # fmt: skip
        expected = float(np.isnan(frame["arr_delay"].to_numpy()).mean())
        got = fn(frame)
        assert np.isclose(got, expected), (
            f"on {n} random flights, {expected:.1%} without arr_delay: expected {expected:.4f}, "
            f"got {got}"
        )
    sample = _sample(rng)
    expected = float(np.isnan(sample["arr_delay"].to_numpy()).mean())
    got = fn(sample)
    assert np.isclose(got, expected), (
        f"on {len(sample)} real flights expected {expected:.4f}, got {got}"
    )


def _route_frame(rng: np.random.Generator) -> tuple[pd.DataFrame, tuple[str, str]]:
    """Random routes; the busiest one has the most cancellations, so it wins only with them."""
    routes = [(o, d) for o in ("EWR", "JFK", "LGA") for d in ROUTES]
    order = rng.permutation(len(routes))
    top = int(rng.integers(60, 90))
    counts = {routes[order[0]]: top, routes[order[1]]: top - int(rng.integers(3, 8))}
    counts |= {routes[i]: int(rng.integers(5, top - 10)) for i in order[2:]}
    rows = [r for route, c in counts.items() for r in [route] * c]
    frame = pd.DataFrame(rows, columns=["origin", "dest"]).astype("category")
    frame["arr_delay"] = rng.normal(5, 20, len(frame))
    busiest = routes[order[0]]
    lost = np.flatnonzero((frame["origin"] == busiest[0]) & (frame["dest"] == busiest[1]))
    frame.loc[lost[: top - counts[routes[order[1]]] + 2], "arr_delay"] = np.nan
    return frame.sample(frac=1, random_state=rng).reset_index(drop=True), busiest


@CHECKS.exercise
def check_busiest_route(fn: Callable[..., object]) -> None:
    """group by both columns and count rows (not arr_delay values: cancelled flights count too);
    categories need observed=True; the codes must be plain str
    """
    rng = check_rng()
    for _ in range(2):
        frame, expected = _route_frame(rng)
        got = fn(frame)
        assert isinstance(got, tuple), f"return a tuple (origin, dest), got {type(got).__name__}"
        assert all(type(x) is str for x in got), f"return plain str values, got {got!r}"
        assert got == expected, (
            f"on random routes expected {expected}, got {got}; count every scheduled flight, "
            "cancelled ones (missing arr_delay) included"
        )
    flights = _sample(rng, 40_000, 80_000)
    pairs = flights["origin"].astype(str) + " " + flights["dest"].astype(str)
    values, counts = np.unique(pairs.to_numpy(), return_counts=True)
    expected = tuple(values[np.argmax(counts)].split())
    got = fn(flights)
    assert got == expected, f"on {len(flights)} real flights expected {expected}, got {got}"


def _late_share(frame: pd.DataFrame, minutes: int) -> pd.Series:
    delay = frame["arr_delay"].to_numpy()
    origin = frame["origin"].astype(str).to_numpy()
    keep = ~np.isnan(delay)
    return pd.Series(delay[keep] > minutes).groupby(origin[keep]).mean()


@CHECKS.exercise(forbidden=("module01_intro.eda.late_rate_by",))
def check_late_share_by_origin(fn: Callable[..., object]) -> None:
    """drop the flights without arr_delay before comparing; 'more than' is strict, so a flight
    exactly late_minutes late is on time
    """
    tiny = pd.DataFrame({"origin": ["EWR", "EWR", "JFK"], "arr_delay": [30.0, np.nan, 0.0]})
    got = pd.Series(fn(tiny))
    assert np.isclose(got.get("EWR", np.nan), 1.0), (
        f"EWR has one late arrival and one cancelled flight: expected 1.0, got {got.to_dict()}"
        " (leave missing arr_delay out of the denominator)"
    )
    rng = check_rng()
    synthetic = pd.DataFrame({"origin": rng.choice(["EWR", "JFK", "LGA"], 600)})
    synthetic["arr_delay"] = _random_delays(rng, 600, 0.2)
    minutes = int(rng.choice([m for m in range(5, 31) if m != 15]))  # the default would hide a bug
    cases = [(synthetic, minutes), (_sample(rng), int(rng.choice([15, 60])))]
    for frame, minutes in cases:
        frame["arr_delay"] = frame["arr_delay"].mask(rng.random(len(frame)) < 0.05, minutes)
        expected = _late_share(frame, minutes)
        got = pd.Series(fn(frame, late_minutes=minutes))
        got.index = got.index.astype(str)
        assert sorted(got.index) == sorted(expected.index), (
            f"index should be {list(expected.index)}"
        )
        assert np.allclose(got[expected.index], expected), (
            f"late_minutes={minutes} on {len(frame)} flights (some exactly {minutes} minutes "
            f"late, which is not late): expected {expected.round(4).to_dict()}, "
            f"got {got.round(4).to_dict()}"
        )


@CHECKS.exercise(forbidden=("module01_intro.eda.join_coverage",))
def check_share_with_plane(fn: Callable[..., object]) -> None:
    """Series.isin tests membership; think about what a missing tailnum gives, and divide by all
    flights
    """
    rng = check_rng()
    flights, planes = _sample(rng), course_table("planes")
    planes = planes.sample(frac=rng.uniform(0.3, 0.9), random_state=rng)
    flights["tailnum"] = flights["tailnum"].mask(rng.random(len(flights)) < 0.05)
    known = set(planes["tailnum"].dropna().astype(str))
    tails = flights["tailnum"].astype(object).to_numpy()
    expected = float(np.mean([isinstance(t, str) and t in known for t in tails]))
    got = fn(flights, planes)
    assert np.isclose(got, expected), (
        f"{len(flights)} random flights, {len(planes)} random planes: expected {expected:.4f}, "
        f"got {got} (a missing tailnum counts as not found)"
    )


@CHECKS.exercise
def check_failing_columns(fn: Callable[..., object]) -> None:
    """module01_intro.contract.check_table returns a report; its errors (not its warnings) name the
    columns; a column can break several rules
    """
    rng = check_rng()
    weather = course_table("weather").sample(2_000, random_state=rng).reset_index(drop=True)
    weather.loc[int(rng.integers(len(weather))), "wind_speed"] = 1_000.0  # a warning rule
    got = fn(weather, "weather")
    assert list(got) == [], (
        f"a wind speed of 1000 only breaks a warning rule: expected [], got {got}"
    )
    for first in (True, False, False):
        bad = course_table("flights").sample(400, random_state=rng).reset_index(drop=True)
        broken = sorted(rng.choice(list(BREAKABLE)[:-1], int(rng.integers(1, 5)), replace=False))
        broken = sorted([*broken, "sched_dep_time"]) if first else broken
        for column in broken:
            bad.loc[rng.choice(len(bad), int(rng.integers(1, 4))), column] = BREAKABLE[column]
        if rng.random() < 0.5:
            bad["carrier"] = bad["carrier"].cat.add_categories(["ZZ"])
            bad.loc[int(rng.integers(len(bad))), "carrier"] = "ZZ"
            broken = sorted([*broken, "carrier"])
        got = fn(bad, "flights")
        assert list(got) == broken, (
            f"flights with {', '.join(broken)} broken (sched_dep_time 2490 breaks two rules): "
            f"expected {broken}, each once, sorted; got {got}"
        )


@CHECKS.exercise(forbidden=("module01_intro.privacy.keyed_code",))
def check_pseudonymise(fn: Callable[..., object]) -> None:
    """hmac.new takes the key and the value as bytes, with hashlib.sha256 as the digest; Series.map
    can skip missing values for you
    """
    from module01_intro.privacy import keyed_code

    rng = check_rng()
    tails = course_table("flights")["tailnum"].dropna().astype(str).unique()
    values = pd.Series([*rng.choice(tails, 200).tolist(), None, "N14228", "N14228"])
    key = rng.bytes(32)
    got = pd.Series(fn(values, key))
    assert got.isna().tolist() == values.isna().tolist(), "missing values must stay missing"
    expected = [keyed_code(v, key) for v in values.dropna()]
    salted = hashlib.sha256(key + str(values[0]).encode()).hexdigest()[:16]
    assert got[0] != salted, "that is sha256(salt + value); use hmac.new(key, value, sha256)"
    assert got.dropna().tolist() == expected, (
        f"expected HMAC-SHA256 codes such as {expected[:2]}, got {got.dropna().tolist()[:2]}"
    )
    assert got.iloc[-1] == got.iloc[-2], "the same value must give the same code"
    other = pd.Series(fn(values, rng.bytes(32)))
    assert (other.dropna() != got.dropna()).all(), "another key must give other codes"

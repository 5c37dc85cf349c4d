"""Checks of module 01's exercises; ``labs check 1`` runs them against ``starter.py``.

Expectations are computed from the real tables with numpy, hashlib or the module's own
package (``eda``, ``contract``), never typed in, so they stay right if the data changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import pandas as pd

from labs_common.data import load_table
from labs_common.exercises import Exercise
from module01_intro import eda


@lru_cache(maxsize=4)
def _table(name: str) -> pd.DataFrame:
    return load_table(name)


def _flights() -> pd.DataFrame:
    return _table("flights").copy()


def check_cancelled_share(fn: Callable[..., object]) -> None:
    tiny = pd.DataFrame({"arr_delay": [1.0, np.nan, np.nan, 3.0]})
    got = fn(tiny)
    assert np.isclose(got, 0.5), f"on arr_delay [1, NaN, NaN, 3] expected 0.5, got {got}"
    delay = _flights()["arr_delay"].to_numpy()
    expected = float(np.isnan(delay).mean())
    got = fn(_flights())
    assert np.isclose(got, expected), f"on all flights expected {expected:.4f}, got {got}"


def check_busiest_route(fn: Callable[..., object]) -> None:
    flights = _flights()
    pairs = flights["origin"].astype(str) + " " + flights["dest"].astype(str)
    values, counts = np.unique(pairs.to_numpy(), return_counts=True)
    expected = tuple(values[np.argmax(counts)].split())
    got = fn(flights)
    assert isinstance(got, tuple), f"return a tuple (origin, dest), got {type(got).__name__}"
    assert all(type(x) is str for x in got), f"return plain str values, got {got!r}"
    assert got == expected, f"expected {expected}, got {got}"


def check_late_share_by_origin(fn: Callable[..., object]) -> None:
    tiny = pd.DataFrame({"origin": ["EWR", "EWR", "JFK"], "arr_delay": [30.0, np.nan, 0.0]})
    got = pd.Series(fn(tiny))
    assert np.isclose(got.get("EWR", np.nan), 1.0), (
        f"EWR has one late arrival and one cancelled flight: expected 1.0, got {got.to_dict()}"
        " (leave missing arr_delay out of the denominator)"
    )
    for minutes in (15, 60):
        expected = eda.late_rate_by(_flights(), "origin", minutes)["late_share"]
        got = pd.Series(fn(_flights(), late_minutes=minutes))
        got.index = got.index.astype(str)
        expected.index = expected.index.astype(str)
        assert sorted(got.index) == sorted(expected.index), (
            f"index should be {list(expected.index)}"
        )
        assert np.allclose(got[expected.index], expected), (
            f"late_minutes={minutes}: expected {expected.round(4).to_dict()}, "
            f"got {got.round(4).to_dict()}"
        )


def check_share_with_plane(fn: Callable[..., object]) -> None:
    flights, planes = _flights(), _table("planes")
    expected = eda.join_coverage(flights, planes, "tailnum")
    got = fn(flights, planes)
    assert np.isclose(got, expected), f"expected {expected:.4f}, got {got}"


def check_failing_columns(fn: Callable[..., object]) -> None:
    got = fn(_table("weather"), "weather")
    assert list(got) == [], f"real weather only breaks a warning rule: expected [], got {got}"
    bad = _flights().head(500)
    bad.loc[7, "month"] = 13
    bad["carrier"] = bad["carrier"].cat.add_categories(["ZZ"])
    bad.loc[9, "carrier"] = "ZZ"
    got = fn(bad, "flights")
    assert list(got) == ["carrier", "month"], (
        f"month 13 and carrier ZZ break two rules: expected ['carrier', 'month'], got {got}"
    )


def check_pseudonymise(fn: Callable[..., object]) -> None:
    from module01_intro.privacy import keyed_code

    rng = np.random.default_rng(13)
    tails = load_table("flights")["tailnum"].dropna().astype(str).unique()
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


CHECKS = [
    Exercise("cancelled_share", check_cancelled_share, "flights['arr_delay'].isna().mean()"),
    Exercise("busiest_route", check_busiest_route,
             "groupby(['origin', 'dest'], observed=True).size().idxmax(), then str() each"),
    Exercise("late_share_by_origin", check_late_share_by_origin,
             "dropna(subset=['arr_delay']) first, then .gt(late_minutes).groupby(origin).mean()"),
    Exercise("share_with_plane", check_share_with_plane,
             "flights['tailnum'].isin(planes['tailnum']), and NA tailnums count as not found"),
    Exercise("failing_columns", check_failing_columns,
             "report = check_table(df, table); report.errors['column'] holds what you need"),
    Exercise("pseudonymise", check_pseudonymise,
             "values.map(lambda v: hmac.new(key, str(v).encode(), hashlib.sha256)"
             ".hexdigest()[:16], na_action='ignore')"),
]  # fmt: skip

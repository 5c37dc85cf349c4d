"""The data contract accepts good flights and names the rule a bad one breaks."""

import pandas as pd
import pytest

from myflights.contract import problems


def test_contract_accepts_good_flights(flights: pd.DataFrame) -> None:
    assert problems(flights) == []


@pytest.mark.parametrize(
    ("column", "value"),
    [("distance", -10.0), ("origin", "BOS"), ("sched_dep_time", 2575), ("month", 13)],
    ids=["negative-distance", "unknown-origin", "bad-clock", "month-13"],
)
def test_contract_names_the_broken_column(flights: pd.DataFrame, column: str, value) -> None:
    broken = flights.copy()
    broken.loc[1, column] = value
    assert any(p.startswith(f"{column}:") for p in problems(broken))

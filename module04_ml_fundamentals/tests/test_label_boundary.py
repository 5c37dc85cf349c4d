"""The label rule at its boundary: a flight exactly ``late_minutes`` late is on time.

The expected labels are written out by hand, not re-derived with the rule's own expression,
so ``>=`` instead of ``>`` (2,470 real flights arrive exactly 15 minutes late) fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from module04_ml_fundamentals.features import LABEL, add_label


@pytest.mark.parametrize(
    ("late_minutes", "delays", "expected"),
    [
        (15, [14.0, 15.0, 16.0], [0, 0, 1]),
        (15, [-30.0, 0.0, 15.0, 15.5], [0, 0, 0, 1]),
        (0, [-1.0, 0.0, 1.0], [0, 0, 1]),
        (60, [59.0, 60.0, 61.0, 15.0], [0, 0, 1, 0]),
    ],
    ids=["15-at-below-above", "15-half-minute", "zero-threshold", "60-threshold"],
)
def test_add_label_exactly_at_late_minutes_is_on_time(
    late_minutes: int, delays: list[float], expected: list[int]
) -> None:
    labelled = add_label(pd.DataFrame({"arr_delay": delays}), late_minutes)
    assert labelled[LABEL].tolist() == expected


def test_add_label_on_the_fixture_with_a_row_exactly_at_the_threshold(
    tiny_flights: pd.DataFrame,
) -> None:
    flights = tiny_flights.copy()
    flights.loc[3:5, "arr_delay"] = [15.0, 16.0, 14.0]  # rows 0-2 are the cancelled ones
    labelled = add_label(flights, 15)
    assert len(labelled) == len(flights) - 3, "the three cancelled flights are dropped"
    at, above, below = labelled.loc[0:2, LABEL].tolist()
    assert (at, above, below) == (0, 1, 0)
    assert labelled[LABEL].dtype == "int8"


def test_add_label_keeps_columns_and_does_not_touch_the_input() -> None:
    flights = pd.DataFrame({"arr_delay": [15.0, None, 40.0], "carrier": ["AA", "UA", "DL"]})
    labelled = add_label(flights, 15)
    assert labelled["carrier"].tolist() == ["AA", "DL"]
    assert labelled.index.tolist() == [0, 1]
    assert LABEL not in flights and len(flights) == 3


def test_add_label_drops_only_flights_without_an_arrival_delay() -> None:
    """Other gaps (no tail number, no departure time recorded) do not remove a flight."""
    flights = pd.DataFrame(
        {
            "arr_delay": [20.0, 5.0, None],
            "tailnum": [None, "N14228", "N24211"],
            "dep_time": [None, 517.0, None],
        }
    )
    labelled = add_label(flights, 15)
    assert labelled[LABEL].tolist() == [1, 0]
    assert list(labelled.columns) == ["arr_delay", "tailnum", "dep_time", LABEL]
    assert labelled.index.tolist() == [0, 1]

from __future__ import annotations

import pandas as pd
import pytest

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.schemas import ScheduleError, validate_schedule


@pytest.fixture
def schedule(tiny_flights: pd.DataFrame) -> pd.DataFrame:
    """The tiny flights as a caller would send them: plain strings, no categories."""
    out = tiny_flights.copy()
    for col in ("carrier", "origin", "dest", "tailnum"):
        out[col] = out[col].astype(object)
    return out


def test_validate_schedule_keeps_schedule_columns_in_order(schedule: pd.DataFrame) -> None:
    out = validate_schedule(schedule)
    assert list(out.columns) == SCHEDULE_COLUMNS
    assert len(out) == len(schedule)
    assert out["carrier"].dtype == "category" and out["year"].dtype == "int64"


def test_validate_schedule_accepts_missing_tailnum(schedule: pd.DataFrame) -> None:
    schedule.loc[0, "tailnum"] = None
    assert validate_schedule(schedule)["tailnum"].isna().sum() == 1


def test_validate_schedule_coerces_numeric_strings(schedule: pd.DataFrame) -> None:
    schedule["distance"] = schedule["distance"].astype(str)
    assert validate_schedule(schedule)["distance"].dtype == "int64"


def test_validate_schedule_names_missing_columns(schedule: pd.DataFrame) -> None:
    with pytest.raises(ScheduleError, match=r"missing column\(s\) \['dest', 'distance'\]"):
        validate_schedule(schedule.drop(columns=["distance", "dest"]))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "origin",
            "BOS",
            r"origin: isin\(\['EWR', 'JFK', 'LGA'\]\) \(e.g. \['BOS'\] at row\(s\) \[1\]",
        ),
        ("carrier", "ZZ", r"carrier: isin"),
        ("month", 13, r"month: in_range\(1, 12\)"),
        ("day", 30, r"date_exists .* \['2013-2-30'\]"),
        ("sched_dep_time", 1275, r"sched_dep_time: minutes_below_60 \(e.g. \[1275\]"),
        ("sched_arr_time", 2500, r"sched_arr_time: in_range\(0, 2400\)"),
        ("distance", 0, r"distance: in_range\(1, 5000\)"),
        ("dest", "miami", r"dest: str_matches"),
        ("year", None, r"year: not_nullable"),
    ],
    ids=[
        "origin",
        "carrier",
        "month",
        "no-such-date",
        "minutes",
        "hour",
        "distance",
        "dest",
        "null-year",
    ],
)
def test_validate_schedule_names_column_rule_and_row(
    schedule: pd.DataFrame, column: str, value: object, message: str
) -> None:
    if column == "day":
        schedule.loc[1, "month"] = 2
    schedule[column] = schedule[column].astype(object)
    schedule.loc[1, column] = value
    with pytest.raises(ScheduleError, match=message):
        validate_schedule(schedule)


def test_validate_schedule_counts_each_broken_rule_once(schedule: pd.DataFrame) -> None:
    schedule.loc[[0, 1], "month"] = 2
    schedule.loc[[0, 1], "day"] = 30
    with pytest.raises(ScheduleError, match=r"^schedule breaks 1 rule\(s\): date_exists"):
        validate_schedule(schedule)


def test_validate_schedule_ignores_the_input_index(schedule: pd.DataFrame) -> None:
    shifted = schedule.set_axis(range(100, 100 + len(schedule)))
    shifted.loc[101, "month"], shifted.loc[101, "day"] = 2, 30
    with pytest.raises(ScheduleError, match=r"at row\(s\) \[1\]"):
        validate_schedule(shifted)

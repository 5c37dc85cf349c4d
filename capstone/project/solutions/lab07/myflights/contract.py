"""The data contract of the ingested flights: what every later stage may rely on.

Why it matters: a broken upstream file (negative distances, an unknown airport, a clock
time of 26:00) would train a model quietly on nonsense. The contract stops the pipeline at
the stage ``validate`` with a message naming the column and the rule.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

NYC_AIRPORTS = ["EWR", "JFK", "LGA"]


def _clock(column: str) -> pa.Column:
    """A local clock time written hhmm: 0..2359 with minutes below 60."""
    minutes = pa.Check(lambda s: s % 100 < 60, name="minutes_below_60")
    return pa.Column(checks=[pa.Check.in_range(0, 2359), minutes], nullable=False, name=column)


FLIGHTS = pa.DataFrameSchema(
    {
        "year": pa.Column(checks=pa.Check.eq(2013)),
        "month": pa.Column(checks=pa.Check.in_range(1, 12)),
        "day": pa.Column(checks=pa.Check.in_range(1, 31)),
        "sched_dep_time": _clock("sched_dep_time"),
        "sched_arr_time": _clock("sched_arr_time"),
        "carrier": pa.Column(nullable=False, checks=pa.Check.str_length(2, 2)),
        "origin": pa.Column(nullable=False, checks=pa.Check.isin(NYC_AIRPORTS)),
        "dest": pa.Column(nullable=False),
        "distance": pa.Column(checks=pa.Check.gt(0)),
    },
    strict=False,
)


def problems(flights: pd.DataFrame) -> list[str]:
    """Every broken rule as 'column: check (n rows)'; an empty list when the data is good."""
    try:
        FLIGHTS.validate(flights, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.groupby(["column", "check"], dropna=False).size()
        return [f"{column}: {check} ({n} rows)" for (column, check), n in cases.items()]
    return []

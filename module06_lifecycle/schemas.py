"""What a scheduled flight must look like before the model sees it (a pandera schema).

Why it matters: a model returns a number for any numbers you give it. A flight on
February 30th, a carrier that does not exist or an hour of 2575 would get a confident
probability, and nobody would notice. The schema here is module 01's data contract,
restricted to the columns known at the decision time, plus one rule the contract checks
through its time column: the date must exist. Batch scoring, the service and the monitor
all validate with it.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from module01_intro.contract import FLIGHTS
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS

DATE_RULE = "date_exists (year-month-day must be a calendar date)"


def _date_exists(df: pd.DataFrame) -> pd.Series:
    dates = pd.to_datetime(df[["year", "month", "day"]], errors="coerce")
    return dates.notna()


def build_schedule_schema() -> pa.DataFrameSchema:
    """Return the schema of a schedule: the contract's rules for ``SCHEDULE_COLUMNS``.

    Why it matters: one contract, two uses. The raw table and a request are checked by the
    same ranges and allowed values, so "valid" means the same thing in training and serving.
    ``coerce=True`` turns strings from a file or a request into the contract's types (codes
    become categories, which is also the fastest input for the model's features).
    """
    return pa.DataFrameSchema(
        columns=FLIGHTS.select_columns(SCHEDULE_COLUMNS).columns,
        checks=[pa.Check(_date_exists, name="date_exists", error=DATE_RULE)],
        coerce=True,
        strict=False,
        name="schedule",
    )


SCHEDULE = build_schedule_schema()


class ScheduleError(ValueError):
    """A schedule breaks the contract; the message names each column, rule and example."""


def validate_schedule(df: pd.DataFrame) -> pd.DataFrame:
    """Return the schedule columns of ``df``, typed and checked against :data:`SCHEDULE`.

    Args:
        df: raw flights or requests; extra columns are allowed and dropped.

    Returns:
        A new frame with exactly ``SCHEDULE_COLUMNS`` in order.

    Raises:
        ScheduleError: a column is missing or a value breaks a rule.

    Example:
        >>> row = dict(year=2013, month=2, day=30, sched_dep_time=900, sched_arr_time=1100,
        ...            carrier="UA", flight=1, tailnum="N14228", origin="EWR", dest="IAH",
        ...            distance=1400)
        >>> validate_schedule(pd.DataFrame([row]))
        Traceback (most recent call last):
        ...
        module06_lifecycle.schemas.ScheduleError: schedule breaks 1 rule(s): date_exists ...
    """
    missing = [c for c in SCHEDULE_COLUMNS if c not in df.columns]
    if missing:
        raise ScheduleError(f"schedule is missing column(s) {missing}; expected {SCHEDULE_COLUMNS}")
    schedule = df[SCHEDULE_COLUMNS].reset_index(drop=True)
    try:
        return SCHEDULE.validate(schedule, lazy=True)
    except SchemaErrors as exc:
        raise ScheduleError(explain_errors(exc.failure_cases, schedule)) from None


def explain_errors(failures: pd.DataFrame, df: pd.DataFrame, examples: int = 3) -> str:
    """Summarise pandera's failure cases: one clause per (column, rule), with examples.

    A rule on the whole frame (the date) is reported once with the failing dates, not once
    per column as pandera lists it.
    """
    clauses = []
    whole = failures["schema_context"] == "DataFrameSchema"
    for check, group in failures[whole].groupby("check", sort=False):
        rows = group["index"].dropna().astype(int).drop_duplicates().head(examples).tolist()
        dates = [f"{r.year}-{r.month}-{r.day}" for r in df.iloc[rows].itertuples()]
        clauses.append(f"{check} (e.g. {dates} at row(s) {rows})")
    for (column, check), group in failures[~whole].groupby(["column", "check"], sort=False):
        shown = group["failure_case"].drop_duplicates().head(examples).tolist()
        rows = group["index"].dropna().head(examples).astype(int).tolist()
        where = f" at row(s) {rows}" if rows else ""
        clauses.append(f"{column}: {check} (e.g. {shown}{where})")
    return f"schedule breaks {len(clauses)} rule(s): " + "; ".join(clauses)

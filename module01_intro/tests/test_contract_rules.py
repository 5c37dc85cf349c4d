"""Every rule of the data contract, broken on purpose: the report names the column and rule.

The cases are generated from the schemas themselves (each column's checks, its
nullability and uniqueness), so a rule added to the contract is tested here too. Range
rules are also checked exactly at their bounds, where they must *not* fire.
"""

from __future__ import annotations

import pandas as pd
import pytest

from module01_intro.contract import SCHEMAS, check_table

ROW = 1


def _bad_value(check: object) -> object:
    """A value that breaks ``check``, read from the check's own statistics."""
    stats, name = check.statistics or {}, check.name
    if name == "in_range":
        return stats["max_value"] + 1
    if name in {"equal_to", "eq"}:
        return stats["value"] + 1
    if name in {"greater_than_or_equal_to", "ge"}:
        return stats["min_value"] - 1
    if name in {"greater_than", "gt"}:
        return stats["min_value"]  # the bound itself breaks a strict rule
    if name in {"less_than_or_equal_to", "le", "plausible_wind_speed"}:
        return stats["max_value"] + 1
    if name == "isin":
        return "ZZZ"
    if name == "str_matches":
        return "bad value!"
    if name == "minutes_below_60":
        return 1260
    raise AssertionError(f"no breaking value for rule {name!r}: teach _bad_value this rule")


def _cases() -> list:
    cases = []
    for table, schema in SCHEMAS.items():
        for column, col in schema.columns.items():
            for check in col.checks:
                cases.append(
                    pytest.param(table, column, check, id=f"{table}.{column}.{check.name}")
                )
            if not col.nullable:
                cases.append(pytest.param(table, column, None, id=f"{table}.{column}.not_nullable"))
    return cases


def _set(df: pd.DataFrame, column: str, value: object) -> pd.DataFrame:
    if isinstance(df[column].dtype, pd.CategoricalDtype) and value not in df[column].cat.categories:
        df[column] = df[column].cat.add_categories([value])
    elif pd.api.types.is_integer_dtype(df[column]) and isinstance(value, float):
        df[column] = df[column].astype(float)
    df.loc[ROW, column] = value
    return df


def _rows_of(report: object, column: str, rule: str) -> pd.DataFrame:
    v = report.violations
    return v[(v["column"] == column) & v["rule"].str.startswith(rule)]


@pytest.mark.parametrize(("table", "column", "check"), _cases())
def test_each_contract_rule_broken_is_reported_by_column_and_rule(
    raw_tables: dict[str, pd.DataFrame], table: str, column: str, check: object
) -> None:
    df = raw_tables[table].head(30).copy().reset_index(drop=True)
    if check is None:
        if pd.api.types.is_integer_dtype(df[column]):
            df[column] = df[column].astype(float)
        df.loc[ROW, column] = None  # NaN, NA or NaT, whatever the column's type
        rule, severity = "not_nullable", "error"
    else:
        df = _set(df, column, _bad_value(check))
        rule, severity = check.name, "warning" if check.raise_warning else "error"
    report = check_table(df, table)
    hits = _rows_of(report, column, rule)
    assert len(hits) == 1, report.summary()
    assert hits.iloc[0]["severity"] == severity
    assert hits.iloc[0]["rows"] == [ROW]
    assert report.ok is (severity == "warning")
    assert f"{table}.{column}: rule '{hits.iloc[0]['rule']}' ({severity})" in report.summary()


def _range_cases() -> list:
    cases = []
    for table, schema in SCHEMAS.items():
        for column, col in schema.columns.items():
            for check in col.checks:
                if check.name == "in_range":
                    for bound in ("min_value", "max_value"):
                        cases.append(pytest.param(table, column, check, bound,
                                                  id=f"{table}.{column}.{bound}"))  # fmt: skip
    return cases


@pytest.mark.parametrize(("table", "column", "check", "bound"), _range_cases())
def test_range_rules_admit_their_bounds_and_refuse_one_beyond(
    raw_tables: dict[str, pd.DataFrame], table: str, column: str, check: object, bound: str
) -> None:
    value = check.statistics[bound]
    beyond = value - 1 if bound == "min_value" else value + 1
    at = check_table(_set(raw_tables[table].head(30).copy(), column, value), table)
    out = check_table(_set(raw_tables[table].head(30).copy(), column, beyond), table)
    assert _rows_of(at, column, "in_range").empty, at.summary()
    assert len(_rows_of(out, column, "in_range")) == 1, out.summary()


def test_unique_columns_and_keys_report_the_duplicate(raw_tables: dict[str, pd.DataFrame]) -> None:
    for table, schema in SCHEMAS.items():
        df = raw_tables[table].head(30).copy()
        unique_columns = [c for c, col in schema.columns.items() if col.unique]
        if not unique_columns and not schema.unique:
            continue
        report = check_table(pd.concat([df, df.head(1)], ignore_index=True), table)
        assert not report.ok, table
        reported = set(report.errors["column"])
        for column in unique_columns:
            assert column in reported, (table, column, report.summary())
        if schema.unique:
            assert "+".join(schema.unique) in reported, (table, report.summary())


def test_a_missing_column_is_named(raw_tables: dict[str, pd.DataFrame]) -> None:
    for table, schema in SCHEMAS.items():
        column = next(iter(schema.columns))
        report = check_table(raw_tables[table].head(10).drop(columns=[column]), table)
        assert _rows_of(report, column, "column_in_dataframe").shape[0] == 1, report.summary()

"""Tests of the raw-data contract: real tables pass, corrupted copies fail with the reason."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from labs_common.data import TABLES
from module01_intro.contract import SCHEMAS, check_table


@pytest.mark.parametrize("name", TABLES, ids=list(TABLES))
def test_check_table_real_tables_pass(raw_tables: dict[str, pd.DataFrame], name: str) -> None:
    report = check_table(raw_tables[name], name)
    assert report.ok, report.summary()
    assert report.rows == len(raw_tables[name])


def test_contract_covers_every_column(raw_tables: dict[str, pd.DataFrame]) -> None:
    for name, df in raw_tables.items():
        assert set(SCHEMAS[name].columns) == set(df.columns), name


def _drop_arr_delay(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["arr_delay"])


def _month_as_float(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(month=df["month"].astype(float))


def _month_13(df: pd.DataFrame) -> pd.DataFrame:
    df.loc[5, "month"] = 13
    return df


def _duplicate_rows(df: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([df, df.head(2)], ignore_index=True)


def _carrier_zz(df: pd.DataFrame) -> pd.DataFrame:
    df["carrier"] = df["carrier"].cat.add_categories(["ZZ"])
    df.loc[3, "carrier"] = "ZZ"
    return df


def _origin_missing(df: pd.DataFrame) -> pd.DataFrame:
    df.loc[4, "origin"] = np.nan
    return df


CORRUPTIONS = [
    pytest.param(_drop_arr_delay, "arr_delay", "column_in_dataframe", id="missing-column"),
    pytest.param(_month_as_float, "month", "dtype", id="wrong-dtype"),
    pytest.param(_month_13, "month", "in_range", id="out-of-range"),
    pytest.param(_duplicate_rows, "flight", "multiple_fields_uniqueness", id="duplicated-key"),
    pytest.param(_carrier_zz, "carrier", "isin", id="unknown-category"),
    pytest.param(_origin_missing, "origin", "not_nullable", id="missing-required-value"),
]


@pytest.mark.parametrize(("corrupt", "column", "rule"), CORRUPTIONS)
def test_check_table_corrupted_copy_fails(
    flights_sample: pd.DataFrame, corrupt: Callable, column: str, rule: str
) -> None:
    report = check_table(corrupt(flights_sample), "flights")
    assert not report.ok
    hits = report.errors[
        report.errors["column"].str.contains(column) & report.errors["rule"].str.contains(rule)
    ]
    assert len(hits) == 1, report.summary()
    assert column in report.summary()
    assert rule in report.summary()


def test_check_table_reports_row_and_value(flights_sample: pd.DataFrame) -> None:
    report = check_table(_month_13(flights_sample), "flights")
    row = report.errors.iloc[0]
    assert (row["failures"], row["examples"], row["rows"]) == (1, [13], [5])


def test_check_table_duplicate_key_counts_every_copy(flights_sample: pd.DataFrame) -> None:
    report = check_table(_duplicate_rows(flights_sample), "flights")
    assert report.errors.iloc[0]["failures"] == 4  # rows 0, 1 and their two copies


def test_check_table_warning_does_not_fail(raw_tables: dict[str, pd.DataFrame]) -> None:
    weather = raw_tables["weather"]
    report = check_table(weather, "weather")
    assert report.ok
    warned = report.violations[report.violations["severity"] == "warning"]
    assert warned["column"].tolist() == ["wind_speed"]
    assert warned.iloc[0]["failures"] == int((weather["wind_speed"] > 200).sum())


def test_check_table_warning_and_error_reported_together(
    raw_tables: dict[str, pd.DataFrame],
) -> None:
    weather = raw_tables["weather"].copy()
    weather.loc[0, "humid"] = 150.0
    report = check_table(weather, "weather")
    assert not report.ok
    assert set(report.violations["severity"]) == {"error", "warning"}
    assert report.errors["column"].tolist() == ["humid"]


def test_check_table_planes_duplicate_tailnum(raw_tables: dict[str, pd.DataFrame]) -> None:
    planes = raw_tables["planes"].head(50)
    report = check_table(pd.concat([planes, planes.head(1)]), "planes")
    assert report.errors[["column", "rule"]].values.tolist() == [["tailnum", "field_uniqueness"]]


def test_check_table_unknown_table_raises(flights_sample: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no contract for table 'passengers'"):
        check_table(flights_sample, "passengers")


def test_summary_clean_table_says_so(raw_tables: dict[str, pd.DataFrame]) -> None:
    assert check_table(raw_tables["airlines"], "airlines").summary() == (
        "airlines: all 16 rows meet the contract"
    )


def test_summary_says_a_rule_could_not_run_on_text(flights_sample: pd.DataFrame) -> None:
    bad = flights_sample.copy()
    bad["dep_time"] = bad["dep_time"].astype(object)
    bad.loc[bad.index[:3], "dep_time"] = "abc"
    summary = check_table(bad, "flights").summary()
    assert "rule not run: '>=' not supported" in summary
    assert "TypeError(" not in summary

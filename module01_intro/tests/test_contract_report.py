"""The shape of the contract's report: what a data owner reads when a table breaks a rule.

Why it matters: the report is the contract's user interface. These tests pin what each row
says (the rule, how many rows, at most three examples and three row positions, in the
order of the schema) so that a change to the folding code cannot quietly garble it. They
were written for the mutants ``make mutate`` found alive in ``module01_intro/contract.py``.
"""

from __future__ import annotations

import pandas as pd

from module01_intro.contract import FLIGHT_KEY, check_table


def records(report) -> dict[tuple[str, str], dict]:
    return {(r["column"], r["severity"]): r for r in report.violations.to_dict("records")}


def test_examples_and_rows_are_capped_at_three_whole_positions(flights_sample) -> None:
    flights_sample.loc[[11, 5, 9, 7], "month"] = [16, 13, 15, 14]
    row = records(check_table(flights_sample, "flights"))[("month", "error")]
    assert row["failures"] == 4
    assert row["examples"] == [13, 14, 15], "the first three bad values, in row order"
    assert row["rows"] == [5, 7, 9] and all(type(i) is int for i in row["rows"])


def test_rules_are_reported_in_the_schema_order_not_alphabetically(flights_sample) -> None:
    flights_sample.loc[3, "year"] = 2012  # 'year' comes before 'month' in the schema
    flights_sample.loc[5, "month"] = 13
    columns = check_table(flights_sample, "flights").violations["column"].tolist()
    assert columns == ["year", "month"]


def test_a_duplicated_key_is_named_and_not_listed_value_by_value(flights_sample) -> None:
    doubled = pd.concat([flights_sample, flights_sample.head(2)], ignore_index=True)
    (row,) = check_table(doubled, "flights").violations.to_dict("records")
    assert row["column"] == "+".join(FLIGHT_KEY)
    assert row["examples"] == ["duplicate key"] and row["rule"] == "multiple_fields_uniqueness"


def test_a_missing_column_and_a_wrong_type_name_themselves(flights_sample) -> None:
    broken = flights_sample.drop(columns=["arr_delay"]).assign(
        day=flights_sample["day"].astype(float)
    )
    found = records(check_table(broken, "flights"))
    assert found[("arr_delay", "error")]["examples"] == ["arr_delay"]
    assert found[("day", "error")]["examples"] == ["float64"]


def test_errors_and_warnings_share_one_numbered_table(raw_tables) -> None:
    weather = raw_tables["weather"].head(200).copy()
    weather.loc[[10, 2, 30, 20], "wind_speed"] = [250.0, 300.0, 260.0, 270.0]  # warning
    weather.loc[1, "humid"] = 150.0  # error
    report = check_table(weather.set_index(weather.index + 1000), "weather")
    assert list(report.violations.index) == list(range(len(report.violations)))
    warned = records(report)[("wind_speed", "warning")]
    assert warned["rule"] == "plausible_wind_speed" and warned["failures"] == 4
    assert warned["examples"] == [300.0, 250.0, 270.0] and warned["rows"] == [2, 10, 20]
    assert records(report)[("humid", "error")]["rows"] == [1], "positions, not the index"


def test_a_missing_column_does_not_hide_later_warnings(raw_tables) -> None:
    weather = raw_tables["weather"].head(50).drop(columns=["temp"])  # a column before wind
    weather.loc[3, "wind_speed"] = 250.0
    found = records(check_table(weather, "weather"))
    assert ("temp", "error") in found and ("wind_speed", "warning") in found


def test_summary_has_one_line_per_broken_rule(flights_sample) -> None:
    flights_sample.loc[3, "year"] = 2012
    flights_sample.loc[5, "month"] = 13
    lines = check_table(flights_sample, "flights").summary().splitlines()
    assert len(lines) == 2 and all(line.startswith("flights.") for line in lines)
    assert "examples [2012], at rows [3]" in lines[0]

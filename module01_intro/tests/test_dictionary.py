"""Tests of the generated data dictionary: every column described, facts match the data."""

from __future__ import annotations

import pandas as pd
import pytest

from module01_intro import dictionary


def test_build_dictionary_every_column_described(raw_tables: dict[str, pd.DataFrame]) -> None:
    got = dictionary.build_dictionary(raw_tables)
    undocumented = got.loc[got["description"] == "", ["table", "column"]].values.tolist()
    assert undocumented == [], f"add these to DESCRIPTIONS: {undocumented}"
    assert len(got) == sum(df.shape[1] for df in raw_tables.values())


def test_build_dictionary_counts_match(tiny_flights: pd.DataFrame) -> None:
    got = dictionary.build_dictionary({"flights": tiny_flights}).set_index("column")
    assert got.loc["arr_delay", "non_null"] == 37
    assert got.loc["arr_delay", "pct_missing"] == pytest.approx(100 * 3 / 40)
    assert got.loc["carrier", "n_unique"] == tiny_flights["carrier"].nunique()


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3, 1, 2], "1 .. 3"), (["b", "a", "b"], "b (2), a (1)"), ([None, None], "(all missing)")],
    ids=["numeric-range", "top-values", "all-missing"],
)
def test_describe_column(values: list, expected: str) -> None:
    assert (
        dictionary.describe_column(pd.Series(values, dtype=object if None in values else None))
        == expected
    )


def test_render_markdown_one_section_per_table(tiny_flights: pd.DataFrame) -> None:
    planes = pd.DataFrame({"tailnum": ["N1|X"]})
    text = dictionary.render_markdown(
        dictionary.build_dictionary({"flights": tiny_flights, "planes": planes})
    )
    assert "## flights" in text and "## planes" in text
    assert "N1\\|X" in text  # a pipe in a value is escaped, the table stays intact


def test_describe_column_breaks_ties_alphabetically() -> None:
    values = pd.Series(["d", "c", "b", "a", "e", "e"])  # four values tied at one each
    assert dictionary.describe_column(values) == "e (2), a (1), b (1)"

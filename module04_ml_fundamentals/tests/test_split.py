from __future__ import annotations

import pandas as pd
import pytest

from labs_common.config import SplitParams
from module04_ml_fundamentals.split import split_by_month


def test_split_by_month_is_temporal_and_complete(tiny_flights: pd.DataFrame) -> None:
    split = SplitParams(train_months=[1, 2, 3, 4, 5, 6], valid_months=[7, 8, 9],
                        test_months=[10, 11, 12])  # fmt: skip
    parts = split_by_month(tiny_flights, split)
    assert sum(len(p) for p in parts.values()) == len(tiny_flights)
    assert parts["train"]["month"].max() < parts["valid"]["month"].min()
    assert parts["valid"]["month"].max() < parts["test"]["month"].min()


def test_split_by_month_empty_part_says_which(tiny_flights: pd.DataFrame) -> None:
    only_winter = tiny_flights.loc[tiny_flights["month"] <= 6]
    split = SplitParams(train_months=[1, 2], valid_months=[3], test_months=[11, 12])
    with pytest.raises(ValueError, match=r"no flights in test months \[11, 12\]"):
        split_by_month(only_winter, split)

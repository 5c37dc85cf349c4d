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


def test_split_stage_writes_one_file_per_part_where_told(tmp_path) -> None:
    """The stage's paths can be overridden: it reads and writes only what it is given."""
    import numpy as np
    from typer.testing import CliRunner

    from module04_ml_fundamentals.split import PARTS, app

    rng = np.random.default_rng(4)
    labelled = tmp_path / "labelled.parquet"
    pd.DataFrame({"month": rng.integers(1, 13, 240), "late": rng.integers(0, 2, 240)}).to_parquet(
        labelled
    )
    out = tmp_path / "processed"
    result = CliRunner().invoke(app, ["--labelled", str(labelled), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in out.iterdir()) == sorted(PARTS)
    months = {part: set(pd.read_parquet(out / f"{part}.parquet")["month"]) for part in PARTS}
    assert months["train"] <= set(range(1, 9)) and months["test"] <= {11, 12}
    assert sum(len(pd.read_parquet(out / f"{p}.parquet")) for p in PARTS) == 240


def test_split_stage_default_files_are_the_contracts() -> None:
    from labs_common import contract, paths
    from module04_ml_fundamentals.split import PARTS

    assert {p: paths.PROCESSED / f"{p}.parquet" for p in PARTS} == contract.SPLITS

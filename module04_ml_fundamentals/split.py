"""The ``split`` stage: a temporal split by month (train, then validation, then test).

Why it matters: a model is used on flights that come *after* the ones it learned from.
Splitting at random would let it peek at the future (the same storm, the same holiday
week in train and test) and promise a quality production will never see.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import typer

from labs_common import contract, paths
from labs_common.config import SplitParams, load_params
from labs_common.data import read_table, write_table
from labs_common.logs import setup_logging

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

PARTS = ("train", "valid", "test")


def split_by_month(df: pd.DataFrame, split: SplitParams) -> dict[str, pd.DataFrame]:
    """Return the rows of each part, keyed ``train``/``valid``/``test``, in time order.

    Example:
        >>> s = SplitParams(train_months=[1], valid_months=[2], test_months=[3])
        >>> parts = split_by_month(pd.DataFrame({"month": [3, 1, 2, 1]}), s)
        >>> {k: len(v) for k, v in parts.items()}
        {'train': 2, 'valid': 1, 'test': 1}
    """
    months = {"train": split.train_months, "valid": split.valid_months, "test": split.test_months}
    parts = {}
    for name, wanted in months.items():
        part = df.loc[df["month"].isin(wanted)].reset_index(drop=True)
        if part.empty:
            raise ValueError(f"no flights in {name} months {wanted}; edit split in params.yaml")
        parts[name] = part
    return parts


@app.command()
def main(
    labelled: Path = contract.LABELLED_FLIGHTS,
    out_dir: Path = paths.PROCESSED,
    params_path: Path = paths.PARAMS_PATH,
) -> None:
    """Read the labelled flights, split them by month, write ``out_dir/<part>.parquet``."""
    setup_logging()
    parts = split_by_month(read_table(labelled), load_params(params_path).split)
    for name, part in parts.items():
        write_table(part, Path(out_dir) / f"{name}.parquet")
    log.info("Split %s", ", ".join(f"{name} {len(part):,} rows" for name, part in parts.items()))


if __name__ == "__main__":
    app()

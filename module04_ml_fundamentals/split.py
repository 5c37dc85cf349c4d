"""The ``split`` stage: a temporal split by month (train, then validation, then test).

Why it matters: a model is used on flights that come *after* the ones it learned from.
Splitting at random would let it peek at the future (the same storm, the same holiday
week in train and test) and promise a quality production will never see.
"""

from __future__ import annotations

import logging

import pandas as pd

from labs_common.config import SplitParams

log = logging.getLogger(__name__)

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


def main() -> None:
    """Read the labelled flights, split them by month, write one Parquet file per part."""
    from labs_common import contract
    from labs_common.config import load_params
    from labs_common.data import read_table, write_table

    parts = split_by_month(read_table(contract.LABELLED_FLIGHTS), load_params().split)
    for name, part in parts.items():
        write_table(part, contract.SPLITS[name])


if __name__ == "__main__":
    from labs_common.logs import setup_logging

    setup_logging()
    main()

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labs_common.config import SplitParams
from module04_ml_fundamentals.features import LABEL, feature_names
from module04_ml_fundamentals.samples import (
    compute_features,
    labels,
    limit_threads,
    load_samples,
    lookup_paths,
    sample_parts,
    sample_rows,
)


def test_sample_rows_is_seeded_and_in_time_order(tiny_flights: pd.DataFrame) -> None:
    a, b = sample_rows(tiny_flights, 20, seed=1), sample_rows(tiny_flights, 20, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 20 and list(a.index) == list(range(20))
    order = a[["month", "day", "sched_dep_time"]].to_records(index=False).tolist()
    assert order == sorted(order)
    assert not a.equals(sample_rows(tiny_flights, 20, seed=2))


def test_sample_rows_keeps_every_row_when_n_is_large(tiny_flights: pd.DataFrame) -> None:
    assert len(sample_rows(tiny_flights, 10_000)) == len(sample_rows(tiny_flights, None)) == 40


def test_load_samples_reads_each_part(tmp_path: Path, tiny_flights: pd.DataFrame) -> None:
    tiny_flights.to_parquet(tmp_path / "train.parquet")
    tiny_flights.head(10).to_parquet(tmp_path / "valid.parquet")
    parts = load_samples({"train": 15, "valid": None}, folder=tmp_path)
    assert {k: len(v) for k, v in parts.items()} == {"train": 15, "valid": 10}


def test_load_samples_says_how_to_make_a_missing_part(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"test\.parquet does not exist; run `dvc repro`"):
        load_samples({"test": 10}, folder=tmp_path)


def test_lookup_paths_names_the_missing_files(tmp_path: Path) -> None:
    (tmp_path / "planes.parquet").touch()
    with pytest.raises(FileNotFoundError, match=r"weather\.parquet'\] not found; run `dvc repro"):
        lookup_paths(tmp_path)
    (tmp_path / "weather.parquet").touch()
    assert lookup_paths(tmp_path) == {"weather_path": str(tmp_path / "weather.parquet"),
                                      "planes_path": str(tmp_path / "planes.parquet")}  # fmt: skip


def test_compute_features_gives_every_part_the_same_columns(
    winter_flights: pd.DataFrame, lookups: dict[str, str]
) -> None:
    parts = {"train": winter_flights.head(300), "valid": winter_flights.tail(200)}
    features = compute_features(parts, lookups, use_weather=False)
    assert {k: v.shape for k, v in features.items()} == {
        "train": (300, len(feature_names(False))),
        "valid": (200, len(feature_names(False))),
    }
    assert list(features["valid"].columns) == feature_names(False)
    ys = labels(parts)
    np.testing.assert_array_equal(ys["valid"], parts["valid"][LABEL].to_numpy())


def test_limit_threads_caps_openmp_and_can_be_undone() -> None:
    from threadpoolctl import threadpool_info

    limiter = limit_threads(1)
    try:
        openmp = [p for p in threadpool_info() if p["user_api"] == "openmp"]
        assert openmp and all(p["num_threads"] == 1 for p in openmp)
    finally:
        limiter.restore_original_limits()


def test_sample_parts_splits_by_month_then_samples(tiny_flights: pd.DataFrame) -> None:
    split = SplitParams(train_months=[1, 2, 3, 4, 5, 6], valid_months=[7, 8, 9],
                        test_months=[10, 11, 12])  # fmt: skip
    parts = sample_parts(tiny_flights, split, {"train": 5, "valid": None}, seed=0)
    assert set(parts) == {"train", "valid"} and len(parts["train"]) == 5
    assert parts["train"]["month"].max() <= 6
    assert parts["valid"]["month"].between(7, 9).all()
    assert len(parts["valid"]) == tiny_flights["month"].between(7, 9).sum()

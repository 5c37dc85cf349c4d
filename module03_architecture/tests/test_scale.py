"""Tests of the scale-up and the four aggregation engines: they must agree on every number."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labs_common import paths
from module03_architecture import scale


def _expected(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The aggregate computed the plainest way: one frame, one groupby, no partial sums."""
    df = pd.concat(parts).astype({"carrier": str, "month": "int64"})
    grouped = df.groupby(["carrier", "month"])["arr_delay"]
    out = pd.DataFrame({"flights": grouped.size(),
                        "late_share": grouped.apply(lambda s: (s > 15).mean()),
                        "mean_arr_delay": grouped.mean()})  # fmt: skip
    return out.reset_index()


@pytest.fixture
def scaled(tiny_flights: pd.DataFrame, tmp_path: Path) -> tuple[Path, list[Path]]:
    files = scale.make_scaled_flights(tiny_flights, 3, tmp_path / "x3")
    return tmp_path / "x3", files


def test_make_scaled_flights_writes_factor_copies(
    scaled: tuple[Path, list[Path]], tiny_flights: pd.DataFrame
) -> None:
    _, files = scaled
    parts = [pd.read_parquet(f) for f in files]
    assert [f.name for f in files] == [f"part-{k:04d}.parquet" for k in range(3)]
    assert [len(p) for p in parts] == [len(tiny_flights)] * 3
    assert list(parts[0].columns) == scale.COLUMNS
    np.testing.assert_array_equal(parts[0]["arr_delay"], tiny_flights["arr_delay"])


def test_make_scaled_flights_jitters_delays_and_renumbers_flights(
    scaled: tuple[Path, list[Path]], tiny_flights: pd.DataFrame
) -> None:
    _, files = scaled
    copy = pd.read_parquet(files[2])
    shift = copy["arr_delay"] - tiny_flights["arr_delay"]
    assert shift.abs().max() <= 5 and shift.abs().max() > 0
    assert copy["arr_delay"].isna().sum() == tiny_flights["arr_delay"].isna().sum()
    np.testing.assert_array_equal(copy["flight"], tiny_flights["flight"] + 20_000)


def test_make_scaled_flights_is_seeded(tiny_flights: pd.DataFrame, tmp_path: Path) -> None:
    a = scale.make_scaled_flights(tiny_flights, 2, tmp_path / "a", seed=7)
    b = scale.make_scaled_flights(tiny_flights, 2, tmp_path / "b", seed=7)
    c = scale.make_scaled_flights(tiny_flights, 2, tmp_path / "c", seed=8)
    pd.testing.assert_frame_equal(pd.read_parquet(a[1]), pd.read_parquet(b[1]))
    assert not pd.read_parquet(a[1]).equals(pd.read_parquet(c[1]))


def test_make_scaled_flights_smaller_rerun_drops_old_parts(
    scaled: tuple[Path, list[Path]], tiny_flights: pd.DataFrame
) -> None:
    folder, _ = scaled
    scale.make_scaled_flights(tiny_flights, 1, folder)
    assert sorted(p.name for p in folder.glob("*.parquet")) == ["part-0000.parquet"]


@pytest.mark.parametrize("factor", [0, -3], ids=["zero", "negative"])
def test_make_scaled_flights_rejects_bad_factor(
    tiny_flights: pd.DataFrame, tmp_path: Path, factor: int
) -> None:
    with pytest.raises(ValueError, match="positive whole number"):
        scale.make_scaled_flights(tiny_flights, factor, tmp_path)


@pytest.mark.parametrize("method", list(scale.METHODS))
def test_aggregate_methods_match_plain_groupby(
    scaled: tuple[Path, list[Path]], method: str
) -> None:
    folder, files = scaled
    expected = _expected([pd.read_parquet(f) for f in files])
    got = scale.METHODS[method](folder)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)


def test_aggregate_chunked_small_batches_equal_one_batch(scaled: tuple[Path, list[Path]]) -> None:
    folder, _ = scaled
    pd.testing.assert_frame_equal(
        scale.aggregate_chunked(folder, batch_size=7), scale.aggregate_pandas(folder), rtol=1e-12
    )


def test_add_counts_counts_late_known_and_sums(tiny_flights: pd.DataFrame) -> None:
    counts = scale.add_counts(tiny_flights[scale.COLUMNS])
    known = tiny_flights["arr_delay"].dropna()
    assert list(counts.columns) == [*scale.KEYS, "flights", "late", "known", "delay_sum"]
    assert counts["known"].sum() == len(known)
    assert counts["late"].sum() == (known > 15).sum()
    assert counts["delay_sum"].sum() == pytest.approx(known.sum())


def test_finish_aggregate_combines_partial_sums() -> None:
    partial = pd.DataFrame({"carrier": ["AA", "AA", "UA"], "month": [1, 1, 2],
                            "flights": [2, 3, 4], "late": [1, 0, 4], "known": [2, 2, 4],
                            "delay_sum": [10.0, 30.0, 80.0]})  # fmt: skip
    got = scale.finish_aggregate(partial)
    assert got["flights"].tolist() == [5, 4]
    assert got["late_share"].tolist() == pytest.approx([1 / 5, 1.0])
    assert got["mean_arr_delay"].tolist() == pytest.approx([40 / 4, 20.0])


def test_load_flights_falls_back_to_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paths, "RAW", tmp_path)
    assert len(scale.load_flights()) == 336_776

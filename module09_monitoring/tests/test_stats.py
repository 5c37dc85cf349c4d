from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from scipy.spatial import distance

from module09_monitoring.drift import psi
from module09_monitoring.stats import (
    binned_shares,
    chi_square,
    compare_with_evidently,
    evidently_score,
    fill_empty_bins,
    ks_statistic,
    wasserstein_norm,
)


def _numbers(n: int, seed: int, shift: float = 0.0, scale: float = 1.0) -> pd.Series:
    return pd.Series(np.random.default_rng(seed).normal(shift, scale, n))


def _letters(n: int, seed: int, p: list[float]) -> pd.Series:
    return pd.Series(np.random.default_rng(seed).choice(list("abc"), n, p=p))


def test_ks_statistic_matches_scipy() -> None:
    ref, cur = _numbers(3000, 0), _numbers(2000, 1, shift=0.3, scale=1.2)
    assert ks_statistic(ref, cur) == pytest.approx(scipy_stats.ks_2samp(ref, cur).statistic)


def test_wasserstein_norm_matches_evidently_and_scipy() -> None:
    ref, cur = _numbers(3000, 0), _numbers(2000, 1, shift=0.3, scale=1.2)
    expected = scipy_stats.wasserstein_distance(ref, cur) / np.std(ref)
    assert wasserstein_norm(ref, cur) == pytest.approx(expected)
    assert wasserstein_norm(ref, cur) == pytest.approx(evidently_score(ref, cur, "wasserstein"))


def test_chi_square_matches_evidently_p_value() -> None:
    ref, cur = _letters(3000, 0, [0.5, 0.3, 0.2]), _letters(2000, 1, [0.45, 0.35, 0.2])
    _, p_value = chi_square(ref, cur)
    assert p_value == pytest.approx(evidently_score(ref, cur, "chisquare", categorical=True))


def test_binned_shares_are_the_bins_of_evidently_psi_and_js() -> None:
    ref, cur = _numbers(3000, 0), _numbers(2000, 1, shift=0.5)
    shares = binned_shares(ref, cur)
    assert len(shares) == len(np.histogram_bin_edges(np.r_[ref, cur], bins="sturges")) - 1
    assert shares.sum().to_numpy() == pytest.approx([1.0, 1.0])
    expected = distance.jensenshannon(shares["reference"], shares["current"])
    assert evidently_score(ref, cur, "jensenshannon") == pytest.approx(expected)
    filled = shares.replace(0, 1e-4)
    by_hand = (filled.reference - filled.current) * np.log(filled.reference / filled.current)
    assert by_hand.sum() == pytest.approx(psi(ref, cur, categorical=False), rel=1e-6)


def test_binned_shares_counts_categories_on_both_sides() -> None:
    shares = binned_shares(pd.Series(["a", "a", "b"]), pd.Series(["a", "c"]), categorical=True)
    assert shares.index.tolist() == ["a", "b", "c"]
    assert shares["reference"].tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    assert shares["current"].tolist() == pytest.approx([0.5, 0, 0.5])


@pytest.mark.parametrize(
    ("reference", "current", "categorical"),
    [
        (_numbers(3000, 0), _numbers(2000, 1, shift=0.4), False),
        (pd.Series(np.arange(3000) % 7, dtype=float), pd.Series(np.arange(2000) % 9.0), False),
        (_letters(3000, 0, [0.5, 0.5, 0.0]), _letters(2000, 1, [0.3, 0.3, 0.4]), True),
    ],
    ids=["numeric-bins", "few-values-with-new-ones", "new-category"],
)
def test_psi_by_hand_equals_evidentlys(
    reference: pd.Series, current: pd.Series, categorical: bool
) -> None:
    expected = evidently_score(reference, current, "psi", categorical)
    assert psi(reference, current, categorical) == pytest.approx(expected, rel=1e-9)


def test_fill_empty_bins_follows_the_smallest_share() -> None:
    assert fill_empty_bins(np.array([0.5, 0.0])).tolist() == [0.5, 0.0001]
    assert fill_empty_bins(np.array([1e-5, 0.0]))[1] == pytest.approx(1e-11)


def test_evidently_score_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="method must be one of"):
        evidently_score(pd.Series([1.0]), pd.Series([1.0]), "kl")


@pytest.mark.parametrize("categorical", [False, True], ids=["numeric", "categorical"])
def test_compare_with_evidently_agrees_with_evidently(categorical: bool) -> None:
    if categorical:
        ref, cur = _letters(3000, 0, [0.5, 0.3, 0.2]), _letters(2000, 1, [0.4, 0.4, 0.2])
    else:
        ref, cur = _numbers(3000, 0), _numbers(2000, 1, shift=0.2)
    table = compare_with_evidently(ref, cur, categorical)
    expected = ["chisquare", "jensenshannon"] if categorical else ["wasserstein", "ks",
                                                                   "jensenshannon"]  # fmt: skip
    assert table.index.tolist() == expected
    here, theirs = table["here"].astype(float), table["evidently"].astype(float)
    assert np.allclose(here, theirs, rtol=1e-6, atol=1e-12)

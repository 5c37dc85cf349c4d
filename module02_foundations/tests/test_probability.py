"""Tests of module02_foundations.probability, checked against pandas and scipy.stats."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from module01_intro.eda import late_rate_by
from module02_foundations import probability as pr


@pytest.fixture(scope="module")
def late_sample(flights: pd.DataFrame) -> np.ndarray:
    """0/1 late labels of 3,000 seeded arrived flights."""
    return pr.late_labels(flights.sample(3000, random_state=1)).to_numpy(dtype=float)


def test_late_labels_drops_cancelled(tiny_flights: pd.DataFrame) -> None:
    late = pr.late_labels(tiny_flights)
    assert len(late) == tiny_flights["arr_delay"].notna().sum()
    assert late.dtype == bool
    assert late.sum() == (tiny_flights["arr_delay"] > 15).sum()


def test_base_rate_matches_numpy(flights: pd.DataFrame) -> None:
    delay = flights["arr_delay"].to_numpy()
    delay = delay[~np.isnan(delay)]
    assert pr.base_rate(flights) == pytest.approx(np.mean(delay > 15))
    assert pr.base_rate(flights, late_minutes=60) < pr.base_rate(flights)


def test_conditional_rates_match_module01(flights: pd.DataFrame) -> None:
    table = pr.conditional_rates(flights, "origin")
    expected = late_rate_by(flights, "origin")
    assert np.allclose(table["p_late_given"], expected["late_share"])
    assert table["p_value"].sum() == pytest.approx(1.0)
    # the law of total probability: sum_v P(late | v) P(v) = P(late)
    total = (table["p_late_given"] * table["p_value"]).sum()
    assert total == pytest.approx(pr.base_rate(flights))


@pytest.mark.parametrize(
    ("prior", "if_true", "if_false", "expected"),
    [(0.5, 0.5, 0.5, 0.5), (0.01, 0.9, 0.05, 0.009 / (0.009 + 0.0495)), (0.3, 1.0, 0.0, 1.0)],
    ids=["uninformative", "rare-event", "perfect-evidence"],
)
def test_bayes_posterior_cases(
    prior: float, if_true: float, if_false: float, expected: float
) -> None:
    assert pr.bayes_posterior(prior, if_true, if_false) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "match"),
    [((1.5, 0.5, 0.5), "prior must be a probability"), ((0.5, 0.0, 0.0), "P\\(B\\) is 0")],
    ids=["bad-prior", "impossible-evidence"],
)
def test_bayes_posterior_rejects_bad_input(args: tuple[float, float, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pr.bayes_posterior(*args)


@pytest.mark.parametrize("hour", [6, 19])
def test_bayes_check_agrees_with_counting(flights: pd.DataFrame, hour: int) -> None:
    got = pr.bayes_check(flights, "hour", hour)
    assert got["p_late_given_value_bayes"] == pytest.approx(got["p_late_given_value_counted"])
    rates = pr.conditional_rates(flights, "hour")
    assert got["p_late_given_value_counted"] == pytest.approx(rates.loc[hour, "p_late_given"])


def test_bootstrap_ci_close_to_scipy_and_wald(late_sample: np.ndarray) -> None:
    low, high = pr.bootstrap_ci(late_sample, n_resamples=4000, seed=3)
    ref = stats.bootstrap(
        (late_sample,), np.mean, n_resamples=4000, method="percentile", rng=4
    ).confidence_interval
    width = high - low
    assert abs(low - ref.low) < 0.1 * width
    assert abs(high - ref.high) < 0.1 * width
    wald = pr.wald_interval(int(late_sample.sum()), len(late_sample))
    assert np.allclose([low, high], wald, atol=0.1 * width)
    assert low < late_sample.mean() < high


def test_bootstrap_ci_of_median_and_seed(late_sample: np.ndarray) -> None:
    delays = np.random.default_rng(0).exponential(20, size=500)
    first = pr.bootstrap_ci(delays, np.median, seed=5)
    assert first == pr.bootstrap_ci(delays, np.median, seed=5)
    assert first[0] < np.median(delays) < first[1]
    narrow = pr.bootstrap_ci(late_sample, confidence=0.5)
    wide = pr.bootstrap_ci(late_sample, confidence=0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]


@pytest.mark.parametrize(
    ("values", "confidence", "match"),
    [([1.0], 0.95, "at least 2"), ([1.0, 2.0], 1.0, "confidence must be in")],
    ids=["too-short", "bad-confidence"],
)
def test_bootstrap_ci_rejects_bad_input(values: list[float], confidence: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pr.bootstrap_ci(np.array(values), confidence=confidence)


def test_permutation_test_matches_scipy_exact_on_small_groups() -> None:
    a = np.array([12.0, 30.0, 45.0, 8.0, 60.0, 25.0])
    b = np.array([2.0, -5.0, 10.0, 0.0, 15.0, 4.0])
    ours = pr.permutation_test(a, b, n_resamples=20_000, seed=0)
    exact = stats.permutation_test(
        (a, b), lambda x, y, axis: x.mean(axis) - y.mean(axis), vectorized=True
    )
    assert ours.statistic == pytest.approx(exact.statistic)
    assert ours.p_value == pytest.approx(exact.pvalue, abs=0.01)
    assert len(ours.null_distribution) == 20_000


def test_permutation_test_on_carriers_matches_fisher(flights: pd.DataFrame) -> None:
    a, b = pr.carrier_samples(flights, ("UA", "DL"))
    rng = np.random.default_rng(0)
    a, b = rng.choice(a, 1500, replace=False), rng.choice(b, 1500, replace=False)
    ours = pr.permutation_test(a, b, n_resamples=4000, seed=1)
    table = [[a.sum(), len(a) - a.sum()], [b.sum(), len(b) - b.sum()]]
    assert ours.p_value == pytest.approx(stats.fisher_exact(table).pvalue, abs=0.02)
    assert abs(ours.null_distribution.mean()) < 0.005  # under the null, no difference


def test_permutation_test_finds_no_difference_between_same_groups() -> None:
    x = np.random.default_rng(2).normal(size=400)
    assert pr.permutation_test(x[:200], x[200:], n_resamples=1000).p_value > 0.05


def test_permutation_test_rejects_empty_group() -> None:
    with pytest.raises(ValueError, match="both groups need values"):
        pr.permutation_test(np.array([]), np.array([1.0]))


def test_carrier_samples_rejects_unknown_carrier(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"carriers \['ZZ'\]"):
        pr.carrier_samples(tiny_flights, ("UA", "ZZ"))

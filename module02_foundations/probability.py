"""Probability and statistics on the flights data: base rates, Bayes, bootstrap and tests.

Lesson: module 02, notebook 03. The label of the course (arrives more than
``features.late_minutes`` minutes late) is a coin with an unknown bias. We estimate its base
rate and its conditional rates, invert a conditional with Bayes' rule, put a bootstrap
interval around an estimate and test whether two carriers really differ with a permutation
test, each checked against scipy.
Calibration (is a score a probability?) lives in :mod:`module02_foundations.calibration`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from labs_common.label import resolve_minutes

log = logging.getLogger(__name__)

Statistic = Callable[..., np.ndarray]
_BATCH_CELLS = 2_000_000  # resampled values held in memory at once (about 16 MB of floats)


def late_labels(flights: pd.DataFrame, late_minutes: int | None = None) -> pd.Series:
    """Return ``late`` (bool) for the flights that arrived; cancelled ones have no label.

    Why it matters: a probability needs a well-defined sample space; a cancelled flight is
    neither late nor on time, so it is left out of numerator and denominator alike.

    A lesson: it writes the rule out (``arr_delay > late_minutes`` on arrived flights) so
    the notebook can show it; the pipeline's rule is :mod:`labs_common.label`, and
    ``tests/test_label_rule.py`` pins this copy to it. ``late_minutes=None`` reads
    params.yaml.

    Example:
        >>> late_labels(pd.DataFrame({"arr_delay": [20.0, None, 3.0]})).tolist()
        [True, False]
    """
    return flights["arr_delay"].dropna().gt(resolve_minutes(late_minutes)).rename("late")


def base_rate(flights: pd.DataFrame, late_minutes: int | None = None) -> float:
    """Return P(late): the share of arrived flights that are late.

    Why it matters: every model must beat the classifier that always predicts the base
    rate; it is also the prior in Bayes' rule.
    """
    return float(late_labels(flights, late_minutes).mean())


def conditional_rates(
    flights: pd.DataFrame, column: str, late_minutes: int | None = None
) -> pd.DataFrame:
    """Tabulate, per value v of ``column``: n, P(column = v), P(late | v) and the lift.

    Why it matters: P(late | evening) is far above P(late); the lift P(late | v) / P(late)
    says how much knowing v is worth, which is what a feature brings to a model.
    """
    late = late_labels(flights, late_minutes)
    values = flights.loc[late.index, column]
    table = late.groupby(values, observed=True).agg(n="size", p_late_given="mean")
    table["p_value"] = table["n"] / table["n"].sum()
    table["lift"] = table["p_late_given"] / late.mean()
    return table[["n", "p_value", "p_late_given", "lift"]]


def bayes_posterior(prior: float, p_evidence_if_true: float, p_evidence_if_false: float) -> float:
    """Return P(A | B) by Bayes' rule from P(A), P(B | A) and P(B | not A).

    Why it matters: data often give the conditional the wrong way round (how many late
    flights were in the evening?); Bayes' rule turns it into the one we want.

    Example:
        >>> round(bayes_posterior(0.01, 0.9, 0.05), 4)  # a rare event, a good test
        0.1538
    """
    for name, p in [("prior", prior), ("p_evidence_if_true", p_evidence_if_true),
                    ("p_evidence_if_false", p_evidence_if_false)]:  # fmt: skip
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{name} must be a probability in [0, 1], got {p}")
    evidence = p_evidence_if_true * prior + p_evidence_if_false * (1.0 - prior)
    if evidence == 0:
        raise ValueError("P(B) is 0: the evidence never happens, so P(A | B) is undefined")
    return p_evidence_if_true * prior / evidence


def bayes_check(
    flights: pd.DataFrame, column: str, value: object, late_minutes: int | None = None
) -> pd.Series:
    """Compute P(late | column = value) twice: by Bayes' rule and by counting directly.

    Why it matters: the two numbers agree exactly, which is the whole content of Bayes'
    rule: it is counting, rearranged.
    """
    late = late_labels(flights, late_minutes)
    hit = flights.loc[late.index, column].eq(value).to_numpy()
    is_late = late.to_numpy()
    prior, p_if_late, p_if_not = is_late.mean(), hit[is_late].mean(), hit[~is_late].mean()
    return pd.Series(
        {
            "p_late": prior,
            "p_value_given_late": p_if_late,
            "p_value_given_on_time": p_if_not,
            "p_late_given_value_bayes": bayes_posterior(prior, p_if_late, p_if_not),
            "p_late_given_value_counted": is_late[hit].mean(),
        }
    )


def bootstrap_distribution(
    values: np.ndarray, statistic: Statistic = np.mean, n_resamples: int = 2000, seed: int = 0
) -> np.ndarray:
    """Return ``statistic`` on ``n_resamples`` resamples (with replacement) of ``values``.

    Why it matters: the spread of these numbers is how much the estimate would move if we
    had drawn another year of flights; ``statistic`` must accept ``axis=``.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(f"values must be 1-D with at least 2 items, got shape {values.shape}")
    rng = np.random.default_rng(seed)
    batch = max(1, _BATCH_CELLS // len(values))
    out = []
    for start in range(0, n_resamples, batch):
        size = min(batch, n_resamples - start)
        rows = rng.integers(0, len(values), size=(size, len(values)))
        out.append(statistic(values[rows], axis=1))
    return np.concatenate(out)


def bootstrap_ci(
    values: np.ndarray,
    statistic: Statistic = np.mean,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Return the percentile bootstrap confidence interval of ``statistic``.

    Why it matters: it works for any statistic (a median, a late share, a model's AUC)
    without a formula; ``scipy.stats.bootstrap(method="percentile")`` does the same.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    dist = bootstrap_distribution(values, statistic, n_resamples, seed)
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(dist, [alpha, 1.0 - alpha])
    return float(low), float(high)


def wald_interval(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Return the textbook normal-approximation interval p ± z·sqrt(p(1-p)/n) of a share."""
    p = successes / n
    half = z * np.sqrt(p * (1.0 - p) / n)
    return p - half, p + half


@dataclass(frozen=True)
class PermutationResult:
    """Observed difference of means, its two-sided p-value and the null distribution."""

    statistic: float
    p_value: float
    null_distribution: np.ndarray


def permutation_test(
    a: np.ndarray, b: np.ndarray, n_resamples: int = 5000, seed: int = 0
) -> PermutationResult:
    """Test whether mean(a) and mean(b) differ by shuffling the group labels.

    Why it matters: under "no difference" the labels are arbitrary, so reshuffling them
    shows how big a gap chance alone produces; p = (1 + #{|null| >= |observed|}) / (1 + R),
    the same Monte Carlo rule as ``scipy.stats.permutation_test``.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(a) == 0 or len(b) == 0:
        raise ValueError(f"both groups need values, got {len(a)} and {len(b)}")
    pooled, rng = np.concatenate([a, b]), np.random.default_rng(seed)
    observed = a.mean() - b.mean()
    batch = max(1, _BATCH_CELLS // len(pooled))
    null = []
    for start in range(0, n_resamples, batch):
        size = min(batch, n_resamples - start)
        shuffled = rng.permuted(np.broadcast_to(pooled, (size, len(pooled))), axis=1)
        null.append(shuffled[:, : len(a)].mean(axis=1) - shuffled[:, len(a) :].mean(axis=1))
    null_dist = np.concatenate(null)
    extreme = np.sum(np.abs(null_dist) >= abs(observed) * (1 - 1e-12))
    return PermutationResult(float(observed), (1 + extreme) / (1 + n_resamples), null_dist)


def carrier_samples(
    flights: pd.DataFrame, carriers: tuple[str, str], late_minutes: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the 0/1 late labels of two carriers' arrived flights, ready for a test."""
    late = late_labels(flights, late_minutes)
    codes = flights.loc[late.index, "carrier"].astype(str)
    unknown = set(carriers) - set(codes.unique())
    if unknown:
        raise ValueError(f"carriers {sorted(unknown)} have no arrived flights in this table")
    return tuple(late[codes.eq(c)].to_numpy(dtype=float) for c in carriers)  # type: ignore[return-value]

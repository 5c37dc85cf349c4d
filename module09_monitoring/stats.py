"""The statistics behind drift tests, written out with numpy, next to Evidently's own (lesson 01).

Why it matters: a drift report is a table of numbers produced by tests you did not write.
Each of them answers a different question: PSI and Jensen-Shannon compare the *shares* of
bins or categories, Wasserstein measures how *far* values moved, Kolmogorov-Smirnov and
chi-square ask whether a difference could be *chance*. Written out here in a few lines of
numpy, and checked against Evidently's implementations (``evidently_score``), they stop
being magic, and their weak spots (bins, zero shares, p-values on big samples) show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Evidently's registered test names used in the lesson, and what each returns.
METHODS = {
    "psi": "population stability index (0 = same shares)",
    "jensenshannon": "Jensen-Shannon distance of the shares (0 to 1)",
    "wasserstein": "Wasserstein distance divided by the reference's standard deviation",
    "ks": "Kolmogorov-Smirnov p-value (small = different)",
    "chisquare": "chi-square p-value of the category counts (small = different)",
}


def evidently_score(
    reference: pd.Series, current: pd.Series, method: str, categorical: bool = False
) -> float:
    """Return the drift score Evidently's test ``method`` gives (missing values left out).

    Why it matters: the same test the reports run (a ``ValueDrift`` metric, through
    Evidently's public ``Report`` API), on the same column, so a number computed by hand can
    be compared with the number the report shows.

    Example:
        >>> ref = pd.Series(["a"] * 50 + ["b"] * 50)
        >>> round(evidently_score(ref, pd.Series(["a"] * 90 + ["b"] * 10), "psi", True), 3)
        0.879
    """
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import ValueDrift

    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    kind = {"categorical_columns" if categorical else "numerical_columns": ["x"]}
    definition = DataDefinition(**kind)

    def data(side: pd.Series) -> Dataset:
        return Dataset.from_pandas(side.dropna().rename("x").to_frame(), definition)

    snapshot = Report([ValueDrift(column="x", method=method)]).run(
        current_data=data(current), reference_data=data(reference)
    )
    return float(snapshot.dict()["metrics"][0]["value"])


def fill_empty_bins(shares: np.ndarray) -> np.ndarray:
    """Return a copy with empty bins set to a tiny share, as Evidently does before PSI.

    Why it matters: PSI takes log(reference share / current share); one empty bin would
    make it infinite. Evidently puts 0.0001 there (or a millionth of the smallest share when
    that is smaller still), so one new category gives a large, finite PSI.

    Example:
        >>> fill_empty_bins(np.array([0.5, 0.5, 0.0])).tolist()
        [0.5, 0.5, 0.0001]
    """
    out = np.asarray(shares, dtype=float).copy()
    smallest = out[out > 0].min()
    out[out == 0] = smallest / 10**6 if smallest <= 0.0001 else 0.0001
    return out


def binned_shares(
    reference: pd.Series, current: pd.Series, categorical: bool = False
) -> pd.DataFrame:
    """Return the share of each side in each bin, binned as Evidently bins for PSI and JS.

    A numeric column with more than 20 distinct reference values is cut into Sturges' number
    of equal-width bins over *both* samples together (not quantiles); anything else is
    counted value by value. Empty bins stay 0 here (Evidently then replaces them).

    Returns:
        One row per bin (its left edge, or the category), columns ``reference`` and
        ``current``.
    """
    ref, cur = reference.dropna(), current.dropna()
    if not categorical and ref.nunique() > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        counts = {
            "reference": np.histogram(ref, edges)[0] / len(ref),
            "current": np.histogram(cur, edges)[0] / len(cur),
        }
        return pd.DataFrame(counts, index=pd.Index(edges[:-1].round(6), name="bin"))
    keys = sorted(set(ref.astype(str)) | set(cur.astype(str)))
    counts = {
        name: side.astype(str).value_counts().reindex(keys, fill_value=0) / len(side)
        for name, side in (("reference", ref), ("current", cur))
    }
    return pd.DataFrame(counts).rename_axis("bin")


def _cdfs(reference: pd.Series, current: pd.Series) -> tuple[np.ndarray, ...]:
    """Both empirical CDFs on the sorted union of the values."""
    ref, cur = np.sort(reference.dropna()), np.sort(current.dropna())
    grid = np.unique(np.concatenate([ref, cur]))
    f_ref = np.searchsorted(ref, grid, side="right") / len(ref)
    f_cur = np.searchsorted(cur, grid, side="right") / len(cur)
    return grid, f_ref, f_cur


def ks_statistic(reference: pd.Series, current: pd.Series) -> float:
    """Return the largest vertical gap between the two empirical CDFs (the KS statistic).

    Example:
        >>> ks_statistic(pd.Series([1.0, 2.0]), pd.Series([3.0, 4.0]))
        1.0
    """
    _, f_ref, f_cur = _cdfs(reference, current)
    return float(np.max(np.abs(f_ref - f_cur)))


def wasserstein_norm(reference: pd.Series, current: pd.Series) -> float:
    """Return the area between the two CDFs, in reference standard deviations.

    Why it matters: it reads as "how far did the values move": 0.5 means by half a standard
    deviation on average. Evidently divides by the reference's std (at least 0.001).

    Example:
        >>> wasserstein_norm(pd.Series([0.0, 2.0]), pd.Series([1.0, 3.0]))
        1.0
    """
    grid, f_ref, f_cur = _cdfs(reference, current)
    area = float(np.sum(np.abs(f_ref - f_cur)[:-1] * np.diff(grid)))
    return area / max(float(np.std(reference.dropna())), 0.001)


def chi_square(reference: pd.Series, current: pd.Series) -> tuple[float, float]:
    """Return the chi-square statistic and p-value of the current category counts.

    The expected counts are the reference's shares times the current sample's size.

    Example:
        >>> stat, p = chi_square(pd.Series(list("aabb")), pd.Series(list("aaab")))
        >>> round(stat, 2)
        1.0
    """
    shares = binned_shares(reference, current, categorical=True)
    size = len(current.dropna())
    observed, expected = shares["current"] * size, shares["reference"] * size
    stat = float((((observed - expected) ** 2) / expected).sum())
    return stat, float(stats.chi2.sf(stat, df=len(shares) - 1))


def compare_with_evidently(
    reference: pd.Series, current: pd.Series, categorical: bool = False
) -> pd.DataFrame:
    """Return each applicable test's score computed here (numpy/scipy) and by Evidently.

    Numeric columns: Wasserstein (normed), KS p-value, Jensen-Shannon on Evidently's bins.
    Categorical columns: chi-square p-value, Jensen-Shannon on the category shares.
    """
    from scipy.spatial import distance

    shares = binned_shares(reference, current, categorical)
    js = float(distance.jensenshannon(shares["reference"], shares["current"]))
    ref, cur = reference.dropna(), current.dropna()
    if categorical:
        ours = {"chisquare": chi_square(ref, cur)[1], "jensenshannon": js}
    else:
        ks_p = float(stats.ks_2samp(ref, cur).pvalue)
        ours = {"wasserstein": wasserstein_norm(ref, cur), "ks": ks_p, "jensenshannon": js}
    rows = {
        m: {
            "here": v,
            "evidently": evidently_score(ref, cur, m, categorical),
            "reads as": METHODS[m],
        }
        for m, v in ours.items()
    }
    return pd.DataFrame(rows).T.rename_axis("method")

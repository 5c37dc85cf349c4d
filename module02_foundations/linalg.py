"""Linear algebra on the flights data: least squares, conditioning and PCA by SVD.

Lesson: module 02, notebook 02. We solve the same regression of arrival delay three ways
(normal equations, QR, ``numpy.linalg.lstsq``) and see why libraries prefer QR/SVD: the
normal equations square the condition number. Then PCA of the hourly weather is one SVD.

Note on leakage: ``air_time`` is known only after the flight; we use it here purely as a
maths example of a feature almost collinear with ``distance``, never as a model feature.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import solve_triangular
from sklearn.linear_model import LinearRegression

log = logging.getLogger(__name__)

FEATURES = ("distance", "hour", "month")
WEATHER_COLUMNS = ("temp", "dewp", "humid", "wind_speed", "precip", "pressure", "visib")


def make_design(
    df: pd.DataFrame, features: Sequence[str] = FEATURES, target: str = "arr_delay"
) -> tuple[np.ndarray, np.ndarray]:
    """Return the design matrix (a leading column of ones, then ``features``) and target.

    Why it matters: rows with a missing value (cancelled flights have no ``arr_delay``)
    must be dropped from X and y together, or the equations pair the wrong rows.

    Example:
        >>> X, y = make_design(pd.DataFrame({"a": [1.0, 2.0, None], "t": [1.0, 2.0, 3.0]}),
        ...                    ["a"], "t")
        >>> X.tolist(), y.tolist()
        ([[1.0, 1.0], [1.0, 2.0]], [1.0, 2.0])
    """
    cols = [*features, target]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} are not in the table; choose from {list(df.columns)}")
    clean = df[cols].dropna().astype(float)
    X = np.column_stack([np.ones(len(clean)), clean[list(features)].to_numpy()])
    return X, clean[target].to_numpy()


def solve_normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Solve least squares by the normal equations (XᵀX) b = Xᵀy.

    Why it matters: it is the formula in every textbook, and it is fast, but forming XᵀX
    squares the condition number, so it loses twice as many digits as QR.
    """
    return np.linalg.solve(X.T @ X, X.T @ y)


def solve_qr(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Solve least squares by a QR factorisation: X = QR, then R b = Qᵀy (back substitution).

    Why it matters: Q is orthogonal, so it does not amplify rounding errors; this is how
    statistical software solves regressions.
    """
    Q, R = np.linalg.qr(X, mode="reduced")
    return solve_triangular(R, Q.T @ y, lower=False)


def compare_least_squares(X: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Return the coefficients of the four solvers side by side (rows: b0 = intercept, b1..).

    Why it matters: four different algorithms agreeing to many digits is the evidence that
    each one is right; where they disagree, conditioning is the usual suspect.
    """
    model = LinearRegression().fit(X[:, 1:], y)
    return pd.DataFrame(
        {
            "normal_equations": solve_normal_equations(X, y),
            "qr": solve_qr(X, y),
            "lstsq": np.linalg.lstsq(X, y, rcond=None)[0],
            "sklearn": np.concatenate([[model.intercept_], model.coef_]),
        },
        index=[f"b{i}" for i in range(X.shape[1])],
    )


def condition_number(X: np.ndarray) -> float:
    """Return the 2-norm condition number: largest over smallest singular value.

    Why it matters: with condition number 10^k you may lose about k digits of accuracy in
    the solution; near-collinear features push it up.

    Example:
        >>> round(condition_number(np.diag([10.0, 1.0])), 6)
        10.0
    """
    s = np.linalg.svd(np.asarray(X, dtype=float), compute_uv=False)
    return float(np.inf if s[-1] == 0 else s[0] / s[-1])


def standardize_columns(X: np.ndarray) -> np.ndarray:
    """Return X with every non-constant column centred and scaled to unit variance."""
    std = X.std(axis=0)
    scale = np.where(std == 0, 1.0, std)
    centre = np.where(std == 0, 0.0, X.mean(axis=0))
    return (X - centre) / scale


def coefficient_spread(
    X: np.ndarray, y: np.ndarray, n_splits: int = 20, seed: int = 0
) -> np.ndarray:
    """Return the standard deviation of each QR coefficient over random half-samples.

    Why it matters: collinear features make individual coefficients unstable: refit on
    another half of the data and they swing, even though predictions barely change.
    """
    rng = np.random.default_rng(seed)
    coefs = []
    for _ in range(n_splits):
        rows = rng.choice(len(y), size=len(y) // 2, replace=False)
        coefs.append(solve_qr(X[rows], y[rows]))
    return np.std(coefs, axis=0)


def compare_conditioning(df: pd.DataFrame, feature_sets: dict[str, Sequence[str]]) -> pd.DataFrame:
    """Tabulate cond(X), cond(XᵀX) and the normal-equations error for several feature sets.

    Why it matters: the table shows cond(XᵀX) = cond(X)², and that scaling the columns
    (standardising) removes most of the ill-conditioning that only came from units.
    """
    rows = []
    for name, features in feature_sets.items():
        X, y = make_design(df, features)
        for scaled in (False, True):
            Xs = standardize_columns(X) if scaled else X
            gap = _normal_equations_gap(Xs, y)
            rows.append(
                {
                    "features": name,
                    "standardized": scaled,
                    "cond_X": condition_number(Xs),
                    "cond_XtX": condition_number(Xs.T @ Xs),
                    "normal_eq_max_gap": gap,
                }
            )
    return pd.DataFrame(rows)


def _normal_equations_gap(X: np.ndarray, y: np.ndarray) -> float:
    """Largest coefficient difference between the normal equations and lstsq (inf if singular)."""
    try:
        normal = solve_normal_equations(X, y)
    except np.linalg.LinAlgError:
        return float("inf")
    return float(np.abs(normal - np.linalg.lstsq(X, y, rcond=None)[0]).max())


@dataclass(frozen=True)
class PCAResult:
    """Principal components (rows), variance explained by each, and the projected data."""

    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    scores: np.ndarray


def weather_matrix(weather: pd.DataFrame, columns: Sequence[str] = WEATHER_COLUMNS) -> np.ndarray:
    """Return complete weather rows of ``columns``, standardised (PCA on raw units would be
    dominated by pressure, measured in the thousands)."""
    X = weather[list(columns)].dropna().to_numpy(dtype=float)
    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)


def pca_svd(X: np.ndarray, n_components: int | None = None) -> PCAResult:
    """Compute PCA with one SVD of the centred data: X - mean = U S Vᵀ.

    Why it matters: the rows of Vᵀ are the directions of largest variance, and S²/(n-1)
    is the variance along each; sklearn's PCA does exactly this (up to the sign).
    """
    k = n_components or X.shape[1]
    if not 1 <= k <= min(X.shape):
        raise ValueError(f"n_components must be in 1..{min(X.shape)}, got {n_components}")
    centred = X - X.mean(axis=0)
    U, S, Vt = np.linalg.svd(centred, full_matrices=False)
    variance = S**2 / (len(X) - 1)
    return PCAResult(Vt[:k], variance[:k], variance[:k] / variance.sum(), U[:, :k] * S[:k])


def align_signs(components: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Flip each row of ``components`` so it points the same way as ``reference``'s row.

    Why it matters: an eigenvector v and -v describe the same direction; two correct PCA
    codes may disagree on the sign, so compare them after aligning.
    """
    signs = np.sign(np.sum(components * reference, axis=1))
    return components * np.where(signs == 0, 1.0, signs)[:, None]

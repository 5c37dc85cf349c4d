"""Tests of module02_foundations.linalg, checked against numpy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LinearRegression

from module02_foundations import linalg


@pytest.fixture
def regression() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A seeded regression with known coefficients and a little noise."""
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(200), rng.normal(size=(200, 3))])
    beta = np.array([2.0, -1.0, 0.5, 3.0])
    return X, X @ beta + rng.normal(scale=0.01, size=200), beta


@pytest.fixture(scope="module")
def design(flights: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return linalg.make_design(flights)


def test_make_design_drops_cancelled_and_adds_ones(flights: pd.DataFrame) -> None:
    X, y = linalg.make_design(flights, ["distance"])
    assert X.shape == (flights["arr_delay"].notna().sum(), 2)
    assert np.all(X[:, 0] == 1.0)
    assert not np.isnan(y).any()


def test_make_design_rejects_unknown_feature(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="not in the table"):
        linalg.make_design(tiny_flights, ["nope"])


@pytest.mark.parametrize(
    "solver", [linalg.solve_normal_equations, linalg.solve_qr], ids=["normal", "qr"]
)
def test_solvers_recover_known_coefficients(regression, solver) -> None:
    X, y, beta = regression
    np.testing.assert_allclose(solver(X, y), beta, atol=0.01)
    np.testing.assert_allclose(solver(X, y), np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)


def test_compare_least_squares_agrees_with_sklearn_on_flights(design) -> None:
    X, y = design
    table = linalg.compare_least_squares(X, y)
    model = LinearRegression().fit(X[:, 1:], y)
    for column in table.columns:
        np.testing.assert_allclose(table[column].iloc[1:], model.coef_, rtol=1e-6)
        np.testing.assert_allclose(table[column].iloc[0], model.intercept_, rtol=1e-6)


@pytest.mark.parametrize(
    "X",
    [np.diag([100.0, 2.0, 1.0]), np.random.default_rng(1).normal(size=(30, 4))],
    ids=["diagonal", "random"],
)
def test_condition_number_matches_numpy(X: np.ndarray) -> None:
    assert linalg.condition_number(X) == pytest.approx(np.linalg.cond(X), rel=1e-10)


def test_condition_number_of_singular_matrix_is_infinite() -> None:
    assert linalg.condition_number(np.zeros((3, 2))) == np.inf


def test_standardize_columns_keeps_intercept(design) -> None:
    Z = linalg.standardize_columns(design[0])
    np.testing.assert_allclose(Z[:, 0], 1.0)
    np.testing.assert_allclose(Z[:, 1:].mean(axis=0), 0.0, atol=1e-10)
    np.testing.assert_allclose(Z[:, 1:].std(axis=0), 1.0)


def test_compare_conditioning_squares_condition_number(flights: pd.DataFrame) -> None:
    table = linalg.compare_conditioning(flights, {"base": ["distance", "hour"]})
    np.testing.assert_allclose(table["cond_XtX"], table["cond_X"] ** 2, rtol=1e-4)
    raw, scaled = table["cond_X"]
    assert scaled < raw / 100


def test_compare_conditioning_flags_exact_collinearity() -> None:
    df = pd.DataFrame({"a": np.arange(10.0), "arr_delay": np.arange(10.0) ** 2})
    df["b"] = 2 * df["a"]
    table = linalg.compare_conditioning(df, {"collinear": ["a", "b"]})
    assert (table["cond_X"] > 1e12).all()


def test_coefficient_spread_grows_with_collinearity(flights: pd.DataFrame) -> None:
    X1, y1 = linalg.make_design(flights, ["distance"])
    X2, y2 = linalg.make_design(flights, ["distance", "air_time"])  # air_time: maths only
    alone = linalg.coefficient_spread(X1, y1, n_splits=8)[1]
    together = linalg.coefficient_spread(X2, y2, n_splits=8)[1]
    assert together > 3 * alone


@pytest.fixture(scope="module")
def weather_X(weather: pd.DataFrame) -> np.ndarray:
    return linalg.weather_matrix(weather)


def test_pca_svd_matches_sklearn(weather_X: np.ndarray) -> None:
    ours = linalg.pca_svd(weather_X, n_components=4)
    theirs = PCA(n_components=4).fit(weather_X)
    np.testing.assert_allclose(ours.explained_variance, theirs.explained_variance_, rtol=1e-8)
    np.testing.assert_allclose(
        ours.explained_variance_ratio, theirs.explained_variance_ratio_, rtol=1e-8
    )
    aligned = linalg.align_signs(ours.components, theirs.components_)
    np.testing.assert_allclose(aligned, theirs.components_, atol=1e-8)
    scores = theirs.transform(weather_X)
    np.testing.assert_allclose(np.abs(ours.scores), np.abs(scores), atol=1e-6)


def test_pca_svd_ratios_sum_to_one(weather_X: np.ndarray) -> None:
    ratio = linalg.pca_svd(weather_X).explained_variance_ratio
    assert ratio.sum() == pytest.approx(1.0)
    assert np.all(np.diff(ratio) <= 0)


def test_pca_svd_rejects_too_many_components(weather_X: np.ndarray) -> None:
    with pytest.raises(ValueError, match="n_components must be in"):
        linalg.pca_svd(weather_X, n_components=99)


def test_align_signs_flips_only_opposite_rows() -> None:
    ref = np.array([[1.0, 0.0], [0.0, 1.0]])
    got = linalg.align_signs(np.array([[-1.0, 0.0], [0.0, 1.0]]), ref)
    np.testing.assert_array_equal(got, ref)

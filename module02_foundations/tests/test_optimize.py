"""Tests of module02_foundations.optimize, checked against scipy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import approx_fprime
from scipy.special import expit
from sklearn.metrics import log_loss as sk_log_loss

from module02_foundations import optimize as op


@pytest.fixture(scope="module")
def data(flights: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Standardised features and labels of 5,000 seeded flights."""
    X, y = op.make_classification_data(flights.sample(5000, random_state=2))
    return op.standardize(X)[0], y


def test_make_classification_data_shapes_and_weekday(tiny_flights: pd.DataFrame) -> None:
    X, y = op.make_classification_data(tiny_flights)
    arrived = tiny_flights.dropna(subset=["arr_delay"])
    assert X.shape == (len(arrived), len(op.FEATURES))
    assert set(np.unique(y)) <= {0.0, 1.0}
    assert np.array_equal(X[:, 3], arrived["time_hour"].dt.dayofweek.to_numpy())


def test_make_classification_data_rejects_post_flight_column(tiny_flights: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="not in the table"):
        op.make_classification_data(tiny_flights, ["hour", "delay_we_cannot_know"])


def test_standardize_gives_zero_mean_unit_std() -> None:
    X = np.random.default_rng(0).normal(5, 3, size=(100, 3))
    Xs, mean, std = op.standardize(X)
    assert np.allclose(Xs.mean(axis=0), 0) and np.allclose(Xs.std(axis=0), 1)
    assert np.allclose(Xs * std + mean, X)
    with pytest.raises(ValueError, match=r"columns \[1\] are constant"):
        op.standardize(np.column_stack([X[:, 0], np.ones(100)]))


def test_sigmoid_matches_expit_without_overflow() -> None:
    z = np.array([-800.0, -30.0, -1.0, 0.0, 2.5, 40.0, 800.0])
    with np.errstate(over="raise"):
        assert np.allclose(op.sigmoid(z), expit(z), rtol=1e-12, atol=0)


def test_log_loss_matches_sklearn() -> None:
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 2, 200).astype(float), rng.uniform(0.01, 0.99, 200)
    assert op.log_loss(y, p) == pytest.approx(sk_log_loss(y, p))


def test_gradient_matches_finite_differences(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = data
    X1, w = op.add_intercept(X), np.array([0.3, -0.2, 0.1, 0.5, -0.4])
    loss, grad = op.loss_and_gradient(w, X1, y)
    numeric = approx_fprime(w, lambda v: op.loss_and_gradient(v, X1, y)[0], 1e-6)
    assert np.allclose(grad, numeric, atol=1e-6)
    assert loss == pytest.approx(sk_log_loss(y, expit(X1 @ w)))


def test_gradient_descent_matches_sklearn(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = data
    X1 = op.add_intercept(X)
    result = op.gradient_descent(X1, y, op.safe_learning_rate(X1), tol=1e-9)
    assert result.converged
    table = op.compare_with_sklearn(X, y, result)
    assert table["abs_diff"].max() < 1e-6
    assert np.all(np.diff(result.losses) <= 1e-15)  # a safe step never increases the loss


def test_gradient_descent_on_raw_features_is_slow(flights: pd.DataFrame) -> None:
    X, y = op.make_classification_data(flights.sample(2000, random_state=3))
    raw, scaled = op.add_intercept(X), op.add_intercept(op.standardize(X)[0])
    assert op.safe_learning_rate(raw) < 1e-4 < 1 < op.safe_learning_rate(scaled)
    slow = op.gradient_descent(raw, y, op.safe_learning_rate(raw), max_iter=300)
    fast = op.gradient_descent(scaled, y, op.safe_learning_rate(scaled), max_iter=300)
    assert fast.converged and not slow.converged
    assert slow.losses[-1] > fast.losses[-1] + 0.005


def test_gradient_descent_rejects_bad_learning_rate(data: tuple[np.ndarray, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        op.gradient_descent(op.add_intercept(data[0]), data[1], learning_rate=0.0)


def test_loss_curves_small_rate_slower_large_rate_worse(
    data: tuple[np.ndarray, np.ndarray],
) -> None:
    X1, y = op.add_intercept(data[0]), data[1]
    curves = op.loss_curves(X1, y, [0.05, 1.0, 20.0], n_iter=60)
    assert curves.shape == (60, 3)
    assert (curves.iloc[0] == np.log(2)).all()  # w = 0 predicts 0.5 for everyone
    last = curves.iloc[-1]
    assert last[1.0] < last[0.05] and last[1.0] < last[20.0]
    ax = op.plot_loss_curves(curves, best=float(last.min()))
    assert len(ax.get_lines()) == 3

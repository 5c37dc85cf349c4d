"""Optimisation from scratch: logistic regression of "late" by batch gradient descent.

Lesson: module 02, notebook 04 (second part). Training a model is minimising a loss. We
write the log loss, its gradient and plain batch gradient descent with numpy, and check
that they land on the same coefficients and loss as scikit-learn's unpenalised
``LogisticRegression``. Standardising the features is what makes gradient descent fast:
it shrinks the condition number met in notebook 02.

Only features known at the decision time are used (hour, distance, month, weekday).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from labs_common.label import is_late

log = logging.getLogger(__name__)

FEATURES = ("hour", "distance", "month", "weekday")


def make_classification_data(
    flights: pd.DataFrame, features: Sequence[str] = FEATURES, late_minutes: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return X (arrived flights x ``features``) and y (1 = late) as float arrays.

    Why it matters: ``weekday`` (0 = Monday) is derived from the scheduled ``time_hour``,
    known when the flight is scheduled; cancelled flights have no label and are dropped.
    """
    arrived = flights[flights["arr_delay"].notna()]
    frame = arrived.assign(weekday=arrived["time_hour"].dt.dayofweek)
    missing = [c for c in features if c not in frame.columns]
    if missing:
        raise KeyError(f"features {missing} are not in the table; choose from {FEATURES}")
    X = frame[list(features)].to_numpy(dtype=float)
    return X, is_late(frame["arr_delay"], late_minutes).to_numpy(dtype=float)


def standardize(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (X - mean) / std with the mean and std (apply the same ones to new data)."""
    mean, std = X.mean(axis=0), X.std(axis=0)
    if np.any(std == 0):
        raise ValueError(f"columns {np.flatnonzero(std == 0).tolist()} are constant")
    return (X - mean) / std, mean, std


def add_intercept(X: np.ndarray) -> np.ndarray:
    """Prepend a column of ones so that w[0] is the intercept."""
    return np.column_stack([np.ones(len(X)), X])


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + exp(-z)) without overflow for large |z| (same as scipy's expit).

    Example:
        >>> sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_loss(y: np.ndarray, p: np.ndarray, eps: float = 1e-15) -> float:
    """Return the mean log loss -[y log p + (1 - y) log(1 - p)] (sklearn's ``log_loss``)."""
    p = np.clip(p, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))


def loss_and_gradient(w: np.ndarray, X1: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Return the mean log loss of weights ``w`` on ``X1`` (with intercept) and its gradient.

    Why it matters: the gradient of the log loss is X1ᵀ(p - y) / n, the prediction errors
    weighted by the features; every step of gradient descent costs O(n·d).
    """
    p = sigmoid(X1 @ w)
    return log_loss(y, p), X1.T @ (p - y) / len(y)


def safe_learning_rate(X1: np.ndarray) -> float:
    """Return 1 / L, with L = λmax(X1ᵀX1 / n) / 4 the log loss's curvature bound.

    Why it matters: with this step size gradient descent never overshoots; with raw
    features (distance in thousands of miles) L is huge, so the step is tiny.
    """
    return 4.0 / float(np.linalg.eigvalsh(X1.T @ X1 / len(X1))[-1])


@dataclass(frozen=True)
class DescentResult:
    """Weights (intercept first), the loss at every iteration, and whether it converged."""

    weights: np.ndarray
    losses: np.ndarray
    converged: bool

    @property
    def n_iter(self) -> int:
        return len(self.losses)


def gradient_descent(
    X1: np.ndarray,
    y: np.ndarray,
    learning_rate: float = 1.0,
    max_iter: int = 5000,
    tol: float = 1e-8,
) -> DescentResult:
    """Minimise the log loss by batch gradient descent: w <- w - learning_rate * gradient.

    Why it matters: this loop, run on mini-batches, trains every neural network; it stops
    when the largest gradient component is below ``tol`` (a flat spot: the minimum).
    """
    if learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    w, losses = np.zeros(X1.shape[1]), []
    for _ in range(max_iter):
        loss, grad = loss_and_gradient(w, X1, y)
        losses.append(loss)
        if np.max(np.abs(grad)) < tol:
            return DescentResult(w, np.array(losses), True)
        w = w - learning_rate * grad
    log.info("gradient descent stopped after %d iterations without converging", max_iter)
    return DescentResult(w, np.array(losses), False)


def fit_sklearn(X: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """Fit sklearn's logistic regression without penalty, to a tight tolerance.

    ``C=np.inf`` means no penalty: scikit-learn 1.8 deprecated ``penalty=None`` for it.
    """
    return LogisticRegression(C=np.inf, tol=1e-10, max_iter=10_000).fit(X, y)


def compare_with_sklearn(
    X: np.ndarray, y: np.ndarray, result: DescentResult, names: Sequence[str] = FEATURES
) -> pd.DataFrame:
    """Tabulate our weights next to sklearn's, with the log loss of each in the last row."""
    model = fit_sklearn(X, y)
    ours = result.weights
    theirs = np.concatenate([model.intercept_, model.coef_.ravel()])
    table = pd.DataFrame({"gradient_descent": ours, "sklearn": theirs}, index=["intercept", *names])
    table.loc["log_loss"] = [
        log_loss(y, sigmoid(add_intercept(X) @ ours)),
        log_loss(y, model.predict_proba(X)[:, 1]),
    ]
    table["abs_diff"] = (table["gradient_descent"] - table["sklearn"]).abs()
    return table


def loss_curves(
    X1: np.ndarray, y: np.ndarray, learning_rates: Sequence[float], n_iter: int = 200
) -> pd.DataFrame:
    """Run ``n_iter`` steps for each learning rate; columns are learning rates, rows steps."""
    curves = {
        lr: gradient_descent(X1, y, lr, max_iter=n_iter, tol=0.0).losses for lr in learning_rates
    }
    return pd.DataFrame(curves).rename_axis(index="iteration", columns="learning_rate")


def plot_loss_curves(curves: pd.DataFrame, best: float, ax: plt.Axes | None = None) -> plt.Axes:
    """Plot the loss above its minimum ``best`` per iteration, log scale, one line per curve."""
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    for name in curves.columns:
        ax.semilogy(curves.index, np.maximum(curves[name] - best, 1e-16), label=str(name))
    ax.set(xlabel="iteration", ylabel="loss - minimum loss", title="Gradient descent")
    ax.legend(title=curves.columns.name)
    return ax

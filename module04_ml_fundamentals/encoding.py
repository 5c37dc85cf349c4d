"""Feature engineering beyond the capstone's features: cyclical time and target encoding.

Why it matters: how a feature is *written* decides what a model can learn from it. An
hour of the day is a circle (23:00 is next to 00:00), which a linear model cannot see in
the raw number. A category with thousands of values (a tail number, a flight number) can
be replaced by the share of late flights it had, its *target encoding*, but computed the
naive way that share contains each flight's own label, and the model learns the answer
instead of the pattern. This file holds the safe and the unsafe ways, to measure both.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import OneHotEncoder, TargetEncoder

from module04_ml_fundamentals.compare import boosting_on_columns
from module04_ml_fundamentals.features import CATEGORICAL_FEATURES
from module04_ml_fundamentals.samples import compute_features, labels

Strategy = Literal["in-sample", "with future labels", "cross-fitted"]
STRATEGIES: tuple[Strategy, ...] = ("in-sample", "with future labels", "cross-fitted")


def cyclical(values: np.ndarray, period: float) -> np.ndarray:
    """Map values on a circle of length ``period`` to ``(sin, cos)`` columns.

    Example:
        >>> np.round(cyclical(np.array([0.0, 6.0, 24.0]), 24), 6).tolist()
        [[0.0, 1.0], [1.0, 0.0], [-0.0, 1.0]]
    """
    angle = 2 * np.pi * np.asarray(values, dtype=float) / period
    return np.column_stack([np.sin(angle), np.cos(angle)])


def hour_encodings(hours: np.ndarray) -> dict[str, np.ndarray]:
    """Three ways to give a model the scheduled hour: raw, on a circle, one column per hour."""
    hours = np.asarray(hours, dtype=float)
    one_hot = OneHotEncoder(categories=[np.arange(24)], handle_unknown="ignore")
    return {
        "raw hour": hours.reshape(-1, 1),
        "sin and cos": cyclical(hours, 24),
        "one-hot hour": one_hot.fit_transform(np.floor(hours).reshape(-1, 1) % 24).toarray(),
    }


def compare_hour_encodings(
    hours_train: np.ndarray, y_train: np.ndarray, hours_valid: np.ndarray, y_valid: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a logistic regression on the hour alone, once per encoding.

    Returns:
        Per encoding, the number of columns and the validation ROC AUC (the ranking) and
        log loss (the probabilities); and each model's probability on a grid of hours 0-24
        (what the model believes about the time of day, for a plot).
    """
    grid = np.linspace(0, 24, 97)[:-1]
    rows, curves = {}, {}
    for name, train in hour_encodings(hours_train).items():
        model = LogisticRegression(max_iter=1000).fit(train, y_train)
        proba = model.predict_proba(hour_encodings(hours_valid)[name])[:, 1]
        rows[name] = {"columns": train.shape[1], "valid_roc_auc": roc_auc_score(y_valid, proba),
                      "valid_log_loss": log_loss(y_valid, proba)}  # fmt: skip
        curves[name] = model.predict_proba(hour_encodings(grid)[name])[:, 1]
    table = pd.DataFrame(rows).T.astype({"columns": int})
    return table, pd.DataFrame(curves, index=pd.Index(grid, name="hour"))


def smoothed_target_mean(
    fit_keys: pd.Series, fit_y: np.ndarray, apply_keys: pd.Series, smoothing: float = 20.0
) -> np.ndarray:
    """Encode each key by its late share in the fitting rows, pulled toward the overall share.

    ``(late_k + smoothing * prior) / (n_k + smoothing)``; an unseen key gets the prior.
    Smoothing stops a key seen twice (once late) from claiming a 50% rate.

    Example:
        >>> smoothed_target_mean(pd.Series(["a", "a", "b"]), np.array([1, 1, 0]),
        ...                      pd.Series(["a", "z"]), smoothing=1.0).round(3).tolist()
        [0.889, 0.667]
    """
    y = np.asarray(fit_y, dtype=float)
    prior = y.mean()
    stats = pd.DataFrame({"key": np.asarray(fit_keys, dtype=object), "y": y})
    stats = stats.groupby("key")["y"].agg(["sum", "count"])
    rate = (stats["sum"] + smoothing * prior) / (stats["count"] + smoothing)
    keys = pd.Series(np.asarray(apply_keys, dtype=object))
    return keys.map(rate).fillna(prior).to_numpy(float)


def target_encode(
    strategy: Strategy,
    train_keys: pd.Series,
    y_train: np.ndarray,
    valid_keys: pd.Series,
    y_valid: np.ndarray,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the encoded training and validation keys, the unsafe or the safe way.

    - ``in-sample``: rates from the training rows, applied to those same rows; each
      flight's own label is in its feature (a tail number seen once *is* its label).
    - ``with future labels``: rates from training *and validation* rows; the validation
      score then uses labels production will not have.
    - ``cross-fitted``: scikit-learn's ``TargetEncoder``; each training row is encoded
      from the other folds only, the validation rows from all training rows.
    """
    if strategy == "in-sample":
        return (smoothed_target_mean(train_keys, y_train, train_keys, 0.0),
                smoothed_target_mean(train_keys, y_train, valid_keys, 0.0))  # fmt: skip
    if strategy == "with future labels":
        keys = pd.concat([pd.Series(train_keys), pd.Series(valid_keys)], ignore_index=True)
        y = np.concatenate([y_train, y_valid])
        return (smoothed_target_mean(keys, y, train_keys, 0.0),
                smoothed_target_mean(keys, y, valid_keys, 0.0))  # fmt: skip
    if strategy == "cross-fitted":
        cv = KFold(5, shuffle=True, random_state=seed)
        encoder = TargetEncoder(target_type="binary", cv=cv)
        train = encoder.fit_transform(_column(train_keys), y_train)
        return train.ravel(), encoder.transform(_column(valid_keys)).ravel()
    raise ValueError(f"unknown strategy {strategy!r}; possible values are: {list(STRATEGIES)}")


def _column(keys: pd.Series) -> np.ndarray:
    return np.asarray(keys, dtype=object).astype(str).reshape(-1, 1)


def compare_target_encodings(
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
    keys: tuple[pd.Series, pd.Series],
    seed: int = 0,
) -> pd.DataFrame:
    """Add one target-encoded column to the features, fit boosting, score train and valid.

    The first row adds nothing (the reference). ``encoding_alone`` is the validation ROC
    AUC of the encoded column by itself.
    """
    train_keys, valid_keys = keys
    reference = _fit_and_score(X_train, y_train, X_valid, y_valid, seed)
    rows = [{"strategy": "no encoding", **reference}]
    for strategy in STRATEGIES:
        enc_train, enc_valid = target_encode(
            strategy, train_keys, y_train, valid_keys, y_valid, seed
        )
        scores = _fit_and_score(
            X_train.assign(encoded=enc_train), y_train,
            X_valid.assign(encoded=enc_valid), y_valid, seed,
        )  # fmt: skip
        alone = roc_auc_score(y_valid, enc_valid)
        rows.append({"strategy": strategy, **scores, "encoding_alone": alone})
    return pd.DataFrame(rows).set_index("strategy")


def _fit_and_score(
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
    seed: int,
) -> dict[str, float]:
    categories = [c for c in CATEGORICAL_FEATURES if c in X_train.columns]
    model = boosting_on_columns(seed, categories=categories).fit(X_train, y_train)
    return {
        "train_roc_auc": roc_auc_score(y_train, model.predict_proba(X_train)[:, 1]),
        "valid_roc_auc": roc_auc_score(y_valid, model.predict_proba(X_valid)[:, 1]),
    }


def compare_feature_sets(
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
    feature_sets: dict[str, list[str]],
    seed: int = 0,
) -> pd.DataFrame:
    """Fit the same boosting model on each set of columns; validation ROC AUC of each.

    Why it matters: an ablation. The value of a group of features (the weather, say) is
    what the model loses without it, measured on later months, not how clever it looks.
    """
    rows = {name: _fit_and_score(X_train[cols], y_train, X_valid[cols], y_valid, seed)
            for name, cols in feature_sets.items()}  # fmt: skip
    return pd.DataFrame(rows).T.assign(columns=[len(c) for c in feature_sets.values()])


def decision_time_settings(hours: tuple[int, ...] = (0, 1, 2, 4)) -> dict[str, dict]:
    """The weather settings the decision-time lesson compares, as ``FlightFeatures`` args.

    Example:
        >>> list(decision_time_settings((2,)))
        ['no weather', 'observed up to 2 h before', 'perfect forecast (peeks)']
    """
    return {
        "no weather": {"use_weather": False},
        **{f"observed up to {h} h before": {"decision_hours": h} for h in hours},
        "perfect forecast (peeks)": {"weather": "perfect_forecast"},
    }


def compare_decision_times(
    parts: dict[str, pd.DataFrame],
    lookups: dict[str, str | None],
    hours: tuple[int, ...] = (0, 1, 2, 4),
    seed: int = 0,
) -> pd.DataFrame:
    """Fit the same model with the weather as known at each decision time; validation scores.

    Why it matters: the later the alert goes out, the more weather is known and the better
    the model, but the less time anyone has to act. The "perfect forecast" row reads the
    weather of hours nobody has seen yet: an upper bound on what a forecast could be worth,
    never a model to deploy.
    """
    y = labels(parts, ["train", "valid"])
    rows = {}
    for name, args in decision_time_settings(hours).items():
        X = compute_features(parts, lookups, **args)
        rows[name] = _fit_and_score(X["train"], y["train"], X["valid"], y["valid"], seed)
    return pd.DataFrame(rows).T

"""Model families side by side, on the same temporal split (lesson 01).

Why it matters: "which model is best?" has no answer in general, only on *your* data,
with *your* split and *your* metric. Here every family (a constant baseline, linear,
a single tree, a forest, gradient boosting, nearest neighbours) learns from the same
training months and is scored on the same later months, with the same metrics, and the
time each one takes to fit and to predict, which matters as soon as a model is served.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (
    mean_absolute_error,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier

from labs_common.label import is_late, resolve_minutes
from labs_common.metrics import probability_metrics
from module04_ml_fundamentals.features import CATEGORICAL_FEATURES
from module04_ml_fundamentals.train import build_classifier, build_encoder


def classifier_zoo(seed: int = 0, use_weather: bool = True) -> dict[str, Pipeline]:
    """One small, untuned classifier per family, each behind the encoding it needs.

    Trees and boosting split on raw numbers; linear models and nearest neighbours need
    scaled numbers and one-hot categories (``build_encoder("logreg")``). The input is the
    output of :class:`~module04_ml_fundamentals.features.FlightFeatures`.
    """

    def dense(model: object) -> Pipeline:  # imputed, scaled numbers; one-hot categories
        return make_pipeline(build_encoder("logreg", use_weather), model)

    def codes(model: object) -> Pipeline:  # raw numbers (NaN kept), integer category codes
        return make_pipeline(build_encoder("hgb", use_weather), model)

    return {
        "constant (base rate)": codes(DummyClassifier()),
        "logistic regression": dense(LogisticRegression(max_iter=300)),
        "decision tree": dense(DecisionTreeClassifier(
            max_depth=8, min_samples_leaf=100, random_state=seed)),
        "random forest": dense(RandomForestClassifier(
            n_estimators=60, max_depth=10, min_samples_leaf=20, random_state=seed, n_jobs=1)),
        "gradient boosting": codes(build_classifier("hgb", seed, max_iter=100)),
        "k nearest neighbours": dense(KNeighborsClassifier(n_neighbors=50)),
    }  # fmt: skip


def regressor_zoo(seed: int = 0, use_weather: bool = True) -> dict[str, Pipeline]:
    """Regressors of the arrival delay in minutes: a median, linear, and two boosting losses.

    The squared loss predicts a mean, the absolute loss a median: with a long tail of
    delays (a few flights hours late) the two are far apart.
    """

    def boosting(loss: str) -> Pipeline:
        model = HistGradientBoostingRegressor(
            loss=loss, max_iter=100, min_samples_leaf=500, early_stopping=False,
            categorical_features=CATEGORICAL_FEATURES, random_state=seed)  # fmt: skip
        return make_pipeline(build_encoder("hgb", use_weather), model)

    median, linear = DummyRegressor(strategy="median"), LinearRegression()
    return {
        "constant (median)": make_pipeline(build_encoder("hgb", use_weather), median),
        "linear regression": make_pipeline(build_encoder("logreg", use_weather), linear),
        "boosting, squared loss": boosting("squared_error"),
        "boosting, absolute loss": boosting("absolute_error"),
    }  # fmt: skip


def score_probabilities(y: np.ndarray, proba: np.ndarray) -> dict[str, float]:
    """Ranking and probability metrics of a classifier's scores.

    ROC AUC and PR AUC judge the ranking; log loss and the Brier score judge the
    probabilities themselves (a constant at the base rate has ROC AUC 0.5).

    Example:
        >>> score_probabilities(np.array([0, 1]), np.array([0.2, 0.8]))["roc_auc"]
        1.0
    """
    return probability_metrics(y, proba)


def _timed(fn: object, *args: object) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def compare_classifiers(
    models: dict[str, Pipeline],
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Fit each model on the training rows and score it on the validation rows.

    Returns:
        A table (one row per model: metrics, ``fit_s``, ``predict_s``) and each model's
        validation probabilities, keyed by name.
    """
    rows, probas = [], {}
    for name, model in models.items():
        _, fit_s = _timed(model.fit, X_train, y_train)
        proba, predict_s = _timed(model.predict_proba, X_valid)
        probas[name] = proba = proba[:, 1]
        rows.append({"model": name, **score_probabilities(y_valid, proba),
                     "fit_s": fit_s, "predict_s": predict_s})  # fmt: skip
    return pd.DataFrame(rows).set_index("model"), probas


def compare_regressors(
    models: dict[str, Pipeline],
    X_train: pd.DataFrame,
    delay_train: np.ndarray,
    X_valid: pd.DataFrame,
    delay_valid: np.ndarray,
    late_minutes: int | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Fit regressors of the delay; judge them as regressors *and* as late-flight detectors.

    Columns: ``mae`` and ``rmse`` in minutes; ``roc_auc`` of the predicted delay used as a
    score for "late"; ``flagged`` (share predicted over ``late_minutes``) against
    ``late_share`` (the truth); ``recall`` of late flights at that cut.
    """
    late_minutes = resolve_minutes(late_minutes)  # None: params.yaml's, as the label
    late = is_late(np.asarray(delay_valid), late_minutes)
    rows, preds = [], {}
    for name, model in models.items():
        _, fit_s = _timed(model.fit, X_train, delay_train)
        pred = model.predict(X_valid)
        preds[name] = pred
        flagged = pred > late_minutes
        rows.append({
            "model": name,
            "mae": mean_absolute_error(delay_valid, pred),
            "rmse": root_mean_squared_error(delay_valid, pred),
            "roc_auc": roc_auc_score(late, pred) if np.ptp(pred) > 0 else 0.5,
            "flagged": flagged.mean(), "late_share": late.mean(),
            "recall": flagged[late].mean(), "fit_s": fit_s,
        })  # fmt: skip
    return pd.DataFrame(rows).set_index("model"), preds


def mean_by_hour(hours: np.ndarray, **values: np.ndarray) -> pd.DataFrame:
    """Average each named array by whole scheduled hour (for "what did the model learn").

    Example:
        >>> mean_by_hour(np.array([6.5, 6.0, 7.2]), late=np.array([1, 0, 1]))["late"].tolist()
        [0.5, 1.0]
    """
    frame = pd.DataFrame(values).assign(hour=np.floor(np.asarray(hours)).astype(int))
    return frame.groupby("hour").mean()


def boosting_on_columns(
    seed: int = 0, max_iter: int = 60, categories: list[str] = CATEGORICAL_FEATURES
) -> Pipeline:
    """Gradient boosting on *every* column of its input, extra columns included.

    ``build_pipeline`` keeps only the course's feature list; the lessons need a model that
    also takes a column they add (a target encoding, a leaky ``dep_delay``) to measure
    what that column changes. ``categories`` become integer codes; the rest pass as is.
    """
    codes = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan
    )
    encode = ColumnTransformer(
        [("categories", codes, list(categories))],
        remainder="passthrough",
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")
    model = HistGradientBoostingClassifier(
        max_iter=max_iter, min_samples_leaf=200, early_stopping=False,
        categorical_features=list(categories) or None, random_state=seed)  # fmt: skip
    return make_pipeline(encode, model)

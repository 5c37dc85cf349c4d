"""Model pipelines and a small hyper-parameter search (the code the ``train`` stage runs).

Why it matters: a model is more than an estimator. Scheduling columns go in, a probability
comes out, and every step in between (features, encoding, the classifier) is one
scikit-learn ``Pipeline``, fitted and saved as one object. Module 07 wraps these functions
with MLflow tracking; this file knows nothing about tracking.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from module04_ml_fundamentals.features import (
    CATEGORICAL_FEATURES,
    LABEL,
    FlightFeatures,
    numeric_features,
)

log = logging.getLogger(__name__)

ModelKind = Literal["hgb", "logreg"]

#: Types inside our model that skops does not trust by default. Loading a model runs no
#: code outside this list, which is why MLflow 3 stores scikit-learn models with skops
#: rather than pickle. A new type here is a security decision: review it, then add it.
TRUSTED_TYPES = [
    "functools.partial",
    "module04_ml_fundamentals.features.FlightFeatures",
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.utils.validation.check_array",
]


def build_encoder(kind: ModelKind, use_weather: bool = True) -> ColumnTransformer:
    """Encode the features for one model family.

    Gradient boosting takes categories as integer codes (it splits on them natively) and
    NaN as "missing". The logistic baseline needs one-hot categories, imputed and scaled
    numbers.
    """
    numeric = numeric_features(use_weather)
    if kind == "hgb":
        cats = OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=np.nan, encoded_missing_value=np.nan
        )
        num: object = "passthrough"
    else:
        cats = OneHotEncoder(handle_unknown="ignore", min_frequency=50, sparse_output=False)
        num = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    return ColumnTransformer(
        [("categories", cats, CATEGORICAL_FEATURES), ("numbers", num, numeric)],
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")


def build_classifier(kind: ModelKind, seed: int, **hyper: float) -> object:
    """Return an unfitted classifier of the given family; ``hyper`` overrides the defaults."""
    if kind == "hgb":
        defaults = {"max_iter": 300, "min_samples_leaf": 500, "early_stopping": False}
        return HistGradientBoostingClassifier(
            categorical_features=CATEGORICAL_FEATURES, random_state=seed, **{**defaults, **hyper}
        )
    return LogisticRegression(**{"max_iter": 2000, **hyper})


def write_lookups(folder: Path) -> dict[str, str]:
    """Write the weather and planes tables to ``folder`` as Parquet; return the
    ``weather_path`` and ``planes_path`` arguments of :func:`build_pipeline` that read them.

    Why it matters: tests and notebooks fit small models without running the pipeline, but
    the features still read their lookups from files, as the DVC stages hand them over.
    """
    from labs_common.data import load_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"weather_path": folder / "weather.parquet", "planes_path": folder / "planes.parquet"}
    for name, path in files.items():
        load_table(name.removesuffix("_path")).to_parquet(path)
    return {name: str(path) for name, path in files.items()}


def build_pipeline(
    kind: ModelKind,
    *,
    weather_path: str | None,
    planes_path: str | None,
    use_weather: bool = True,
    decision_hours: int = 2,
    weather: str = "observed",
    seed: int = 42,
    **hyper: float,
) -> Pipeline:
    """Schedule columns -> features -> encoding -> classifier, as one estimator.

    Example:
        >>> [name for name, _ in build_pipeline("logreg", weather_path=None,
        ...                                      planes_path=None).steps]
        ['features', 'encode', 'model']
    """
    return Pipeline(
        [
            (
                "features",
                FlightFeatures(weather_path, planes_path, use_weather, decision_hours, weather),
            ),
            ("encode", build_encoder(kind, use_weather)),
            ("model", build_classifier(kind, seed, **hyper)),
        ]
    )


def param_grid(grid: dict[str, list[float | int]]) -> list[dict[str, float | int]]:
    """Expand ``{"a": [1, 2], "b": [3]}`` into ``[{"a": 1, "b": 3}, {"a": 2, "b": 3}]``.

    Example:
        >>> param_grid({"a": [1, 2], "b": [3]})
        [{'a': 1, 'b': 3}, {'a': 2, 'b': 3}]
    """
    keys = sorted(grid)
    return [
        dict(zip(keys, values, strict=True))
        for values in itertools.product(*(grid[k] for k in keys))
    ]


@dataclass(frozen=True)
class SearchResult:
    """The winner of a search, fitted on the training months, and every candidate's score."""

    pipeline: Pipeline
    best_params: dict[str, float | int]
    results: pd.DataFrame


def search(
    train: pd.DataFrame,
    valid: pd.DataFrame,
    grid: dict[str, list[float | int]],
    **pipeline_args: object,
) -> SearchResult:
    """Fit one pipeline per grid point on ``train`` and keep the best ROC AUC on ``valid``.

    Why it matters: the validation months come *after* the training months, as production
    will. Random K-fold would mix the future into training and flatter every candidate.
    """
    rows, best = [], None
    for params in param_grid(grid):
        pipe = build_pipeline(**pipeline_args, **params).fit(train, train[LABEL])
        score = roc_auc_score(valid[LABEL], pipe.predict_proba(valid)[:, 1])
        log.info("%s -> validation ROC AUC %.4f", params, score)
        rows.append({**params, "valid_roc_auc": score})
        if best is None or score > best[0]:
            best = (score, params, pipe)
    if best is None:
        raise ValueError("the search grid is empty; add values under train.search in params.yaml")
    return SearchResult(best[2], best[1], pd.DataFrame(rows))

"""Leakage, shown by example: features from the future and splits that mix past and future.

Why it matters: a leak makes a model look brilliant in validation and useless in
production, and nothing crashes to warn you. Two leaks are measured here on the flights:

- a *feature* known only after departure (``dep_delay``): the model learns "a flight that
  left late arrives late", true and worthless at the decision time, when nobody knows it;
- a *split* that ignores time: rows of the same day, the same storm, land in both train
  and test, so the test rows are not the future the model will face.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from labs_common import paths
from labs_common.data import read_table
from module04_ml_fundamentals.compare import boosting_on_columns
from module04_ml_fundamentals.features import CATEGORICAL_FEATURES, add_label

#: Columns of the flights table that exist only once the flight has left or landed.
POST_DEPARTURE_COLUMNS = ["dep_time", "dep_delay", "arr_time", "air_time"]


def load_flights_with_outcomes(
    raw_dir: Path = paths.RAW, late_minutes: int | None = None
) -> pd.DataFrame:
    """Return every arrived flight with its label *and* what happened after departure.

    The ``split`` stage's files keep only the schedule; the leakage lesson needs
    ``dep_delay`` back, so it reads the raw flights the ``ingest`` stage wrote.
    """
    return add_label(read_table(Path(raw_dir) / "flights.parquet"), late_minutes)


def single_feature_auc(X: pd.DataFrame, y: np.ndarray) -> pd.Series:
    """ROC AUC of each numeric column used alone as a score (either direction), sorted.

    Why it matters: a smell test. Real signals about flight delays are weak (0.5-0.65
    alone); a single column that separates late from on-time flights almost perfectly
    usually *contains* the answer. Missing values are filled with the column's median.

    Example:
        >>> X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 0, 1, 0]})
        >>> single_feature_auc(X, np.array([0, 0, 1, 1])).to_dict()
        {'a': 1.0, 'b': 0.5}
    """
    scores = {}
    for col in X.columns.difference(CATEGORICAL_FEATURES, sort=False):
        values = pd.to_numeric(X[col], errors="coerce")
        auc = roc_auc_score(y, values.fillna(values.median()))
        scores[col] = max(auc, 1 - auc)
    return pd.Series(scores, name="roc_auc_alone").sort_values(ascending=False)


def compare_with_leak(
    X_train: pd.DataFrame,
    y_train: np.ndarray,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
    leak: tuple[np.ndarray, np.ndarray],
    seed: int = 0,
) -> pd.DataFrame:
    """Fit an honest model and one with a leaky column; score the leaky one twice.

    Rows: the honest model; the leaky model as validation sees it (the column filled in);
    the leaky model at the decision time, where the column does not exist yet (NaN), which
    is what production would send it.

    Args:
        leak: the leaky column's values for the training and the validation rows.
    """
    honest = boosting_on_columns(seed).fit(X_train, y_train)
    leaky = boosting_on_columns(seed).fit(X_train.assign(leak=leak[0]), y_train)
    unknown = X_valid.assign(leak=np.nan)  # at the decision time the column does not exist
    probas = {
        "honest (schedule only)": honest.predict_proba(X_valid)[:, 1],
        "with the leak, as validated": leaky.predict_proba(X_valid.assign(leak=leak[1]))[:, 1],
        "with the leak, at the decision time": leaky.predict_proba(unknown)[:, 1],
    }
    rows = {name: {"valid_roc_auc": roc_auc_score(y_valid, p), "mean_proba": p.mean(),
                   "late_share": np.mean(y_valid)} for name, p in probas.items()}  # fmt: skip
    return pd.DataFrame(rows).T


def compare_splits(
    X: pd.DataFrame,
    y: np.ndarray,
    months: np.ndarray,
    test_months: list[int],
    seed: int = 0,
) -> pd.DataFrame:
    """The same model, evaluated after a random split and after a temporal split.

    The temporal split trains on the months before ``test_months`` and tests on them.
    The random split trains on the same number of rows drawn at random from *all* months
    and tests on the rest. Its score is also given on its test rows of ``test_months``
    only, so the gap is not just "different months are easier".
    """
    months = np.asarray(months)
    later = np.isin(months, test_months)
    rng = np.random.default_rng(seed)
    in_train = np.zeros(len(y), bool)
    in_train[rng.choice(len(y), size=int((~later).sum()), replace=False)] = True
    fits = {"temporal": ~later, "random": in_train}
    tests = {"temporal": [("test months", later)],
             "random": [("all held-out rows", ~in_train),
                        ("held-out rows of the test months", ~in_train & later)]}  # fmt: skip
    rows = []
    for split, train_mask in fits.items():
        model = boosting_on_columns(seed).fit(X.loc[train_mask], y[train_mask])
        for scored_on, mask in tests[split]:
            proba = model.predict_proba(X.loc[mask])[:, 1]
            rows.append({
                "split": split, "scored on": scored_on, "train_rows": int(train_mask.sum()),
                "test_rows": int(mask.sum()), "roc_auc": roc_auc_score(y[mask], proba),
            })  # fmt: skip
    return pd.DataFrame(rows).set_index(["split", "scored on"])

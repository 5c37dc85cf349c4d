"""The trained model: better than chance, and invariant to what it must not read."""

import pandas as pd
from sklearn.metrics import roc_auc_score


def test_model_ranks_late_flights_better_than_chance(model, test_table: pd.DataFrame) -> None:
    proba = model.predict_proba(test_table.drop(columns=["late"]))[:, 1]
    assert roc_auc_score(test_table["late"], proba) > 0.58


def test_model_ignores_columns_it_was_not_trained_on(model, test_table: pd.DataFrame) -> None:
    X = test_table.drop(columns=["late"]).head(200)
    base = model.predict_proba(X)[:, 1]
    assert (model.predict_proba(X.assign(flight=9999))[:, 1] == base).all()


def test_later_departures_are_riskier(model, test_table: pd.DataFrame) -> None:
    X = test_table.drop(columns=["late"]).head(500)
    morning = model.predict_proba(X.assign(dep_hour=7))[:, 1].mean()
    evening = model.predict_proba(X.assign(dep_hour=19))[:, 1].mean()
    assert evening > morning

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import HalvingGridSearchCV, KFold

from module04_ml_fundamentals.tuning import (
    HGB_GRID,
    booster,
    cv_estimates,
    cv_schemes,
    fold_months,
    halving_schedule,
    make_searches,
    monthly_folds,
    run_searches,
    search_trace,
)


@pytest.fixture(scope="module")
def encoded() -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """600 rows shaped like encoded flights (category codes + numbers), months 1-6 in order."""
    rng = np.random.default_rng(0)
    n = 600
    months = np.sort(rng.integers(1, 7, n))
    X = pd.DataFrame({"carrier": rng.integers(0, 4, n).astype(float),
                      "origin": rng.integers(0, 3, n).astype(float),
                      "dest": rng.integers(0, 10, n).astype(float),
                      "dep_hour": rng.uniform(5, 23, n)})  # fmt: skip
    y = (rng.random(n) < 0.1 + 0.02 * X["dep_hour"] + 0.1 * (X["carrier"] == 1)).astype(int)
    return X, y.to_numpy(), months


def test_monthly_folds_train_on_the_past_and_never_cut_a_month() -> None:
    months = np.array([1, 1, 2, 2, 2, 3, 4, 4])
    folds = monthly_folds(months, 3)
    assert [sorted(set(months[v])) for _, v in folds] == [[2], [3], [4]]
    for train, valid in folds:
        assert months[train].max() < months[valid].min()
        assert len(valid) == (months == months[valid][0]).sum()


@pytest.mark.parametrize("n_splits", [0, 4], ids=["zero", "as-many-as-months"])
def test_monthly_folds_rejects_impossible_splits(n_splits: int) -> None:
    with pytest.raises(
        ValueError, match=rf"n_splits must be in 1\.\.3 for 4 months, got {n_splits}"
    ):
        monthly_folds(np.array([1, 2, 3, 4]), n_splits)


def test_cv_schemes_and_fold_months_show_where_rows_go() -> None:
    months = np.repeat([1, 2, 3, 4], [10, 14, 6, 10])  # months of unequal length
    schemes = cv_schemes(months, n_splits=3)
    assert {name: len(folds) for name, folds in schemes.items()} == dict.fromkeys(schemes, 3)
    monthly = fold_months(schemes["monthly folds"], months)
    assert monthly.to_numpy().tolist() == [[1, -1, 0, 0], [1, 1, -1, 0], [1, 1, 1, -1]]
    by_rows = fold_months(schemes["TimeSeriesSplit (by rows)"], months)
    assert by_rows.loc[2, 2] == pytest.approx((10 - 4) / 14)  # month 2 cut: 10 train, 4 valid
    shuffled = fold_months(schemes["shuffled K-fold"], months)
    assert (shuffled[4] > -1).all()  # every shuffled fold trains on the last month: the future


def test_cv_estimates_one_row_per_scheme(encoded: tuple) -> None:
    X, y, months = encoded
    table = cv_estimates(booster(max_iter=5), X, y, cv_schemes(months, 2))
    assert table.index.tolist() == list(cv_schemes(months, 2))
    assert table["mean_roc_auc"].between(0.5, 1).all() and (table["folds"] == 2).all()


def test_run_searches_reports_cost_and_result(encoded: tuple) -> None:
    X, y, months = encoded
    searches = make_searches(booster(max_iter=5), monthly_folds(months, 2), n_random=3,
                             n_halving=6)  # fmt: skip
    table = run_searches(searches, X, y, X, y)
    assert table.loc["grid", "candidates"] == np.prod([len(v) for v in HGB_GRID.values()])
    assert table.loc["random", "fits"] == 3 * 2
    assert (table["fit_s"] > 0).all() and table["valid_roc_auc"].between(0.5, 1).all()
    trace = search_trace(searches["successive halving"])
    assert trace["rows"].is_monotonic_increasing and trace["round"].max() >= 1
    assert trace["all_rows"].tolist() == (trace["round"] == trace["round"].max()).tolist()
    assert search_trace(searches["grid"])["all_rows"].all()
    assert trace["best_so_far"].is_monotonic_increasing
    assert trace["cumulative_fit_s"].iloc[-1] == pytest.approx(table.loc["successive halving",
                                                                         "fit_s"])  # fmt: skip


@pytest.mark.parametrize(
    ("n", "factor", "min_resources"), [(9, 3, 50), (27, 3, 10), (20, 2, 100), (5, 4, 400)]
)
def test_halving_schedule_matches_scikit_learn(n: int, factor: int, min_resources: int) -> None:
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(1500, 2)), rng.integers(0, 2, 1500)
    grid = {"random_state": list(range(n))}
    search = HalvingGridSearchCV(
        DummyClassifier(), grid, factor=factor, min_resources=min_resources, cv=KFold(2)
    )
    search.fit(X, y)
    expected = list(zip(search.n_candidates_, search.n_resources_, strict=True))
    assert halving_schedule(n, factor, min_resources, 1500) == expected

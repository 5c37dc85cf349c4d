"""Tests of the curve tables written for `dvc plots`."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import auc, roc_auc_score

from module05_business.plots import (
    MAX_POINTS,
    calibration_table,
    cost_table,
    plot_tables,
    pr_table,
    roc_table,
)


@pytest.fixture
def test_rows(scores):
    return scores[scores["split"] == "test"]


def test_roc_table_area_is_close_to_sklearn_roc_auc(test_rows):
    roc = roc_table(test_rows["y"], test_rows["proba"])
    assert (roc.iloc[0]["fpr"], roc.iloc[0]["tpr"]) == (0.0, 0.0)
    assert (roc.iloc[-1]["fpr"], roc.iloc[-1]["tpr"]) == (1.0, 1.0)
    expected = roc_auc_score(test_rows["y"], test_rows["proba"])
    assert auc(roc["fpr"], roc["tpr"]) == pytest.approx(expected, abs=0.01)


def test_pr_table_precision_at_threshold_zero_is_the_late_share(test_rows):
    pr = pr_table(test_rows["y"], test_rows["proba"])
    last = pr.iloc[-1]
    assert last["threshold"] == 0.0 and last["recall"] == 1.0
    assert last["precision"] == pytest.approx(test_rows["y"].mean())


def test_calibration_table_counts_every_row_once(test_rows):
    table = calibration_table(test_rows["y"], test_rows["proba"])
    assert table["n"].sum() == len(test_rows)
    assert table["mean_predicted"].is_monotonic_increasing


def test_calibration_table_shows_underestimate_when_test_is_busier(scores):
    # Probabilities calibrated for 20% late, test months 30% late: observed above predicted.
    test_rows = scores[scores["split"] == "test"]
    table = calibration_table(test_rows["y"], test_rows["proba"], n_bins=5)
    weights = table["n"] / table["n"].sum()
    assert float(np.sum(weights * (table["observed"] - table["mean_predicted"]))) > 0.05


def test_cost_table_has_valid_and_test_columns(scores, costs):
    valid, test = scores[scores["split"] == "valid"], scores[scores["split"] == "test"]
    table = cost_table(valid["y"], valid["proba"], test["y"], test["proba"], costs)
    assert list(table.columns) == ["threshold", "test_cost", "valid_cost"]
    assert table["threshold"].is_monotonic_increasing


def test_plot_tables_stay_small_on_many_rows(costs):
    from module05_business.synthetic import make_scores

    big = make_scores(n_per_split=30_000, seed=1)
    tables = plot_tables(big[big["split"] == "valid"], big[big["split"] == "test"], costs)
    assert set(tables) == {"roc", "pr", "calibration", "cost_curve"}
    assert all(len(t) <= MAX_POINTS for t in tables.values())

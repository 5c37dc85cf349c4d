"""Tests of the KPIs: model metrics against scikit-learn, decision metrics by hand."""

from __future__ import annotations

import pytest
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)

from module05_business.kpis import (
    decision_metrics,
    kpis_by_threshold,
    price_threshold,
    ranking_metrics,
)


def test_ranking_metrics_match_sklearn(scores):
    y, p = scores["y"], scores["proba"]
    result = ranking_metrics(y, p, "test")
    assert result == pytest.approx(
        {
            "test_roc_auc": roc_auc_score(y, p),
            "test_pr_auc": average_precision_score(y, p),
            "test_log_loss": log_loss(y, p),
            "test_brier": brier_score_loss(y, p),
        }
    )


def test_decision_metrics_match_sklearn(scores, costs):
    y, p = scores["y"], scores["proba"]
    result = decision_metrics(y, p, 0.2, costs)
    pred = (p >= 0.2).astype(int)
    assert result["test_precision"] == pytest.approx(precision_score(y, pred))
    assert result["test_recall"] == pytest.approx(recall_score(y, pred))
    assert result["test_flag_rate"] == pytest.approx(pred.mean())
    assert sum(result["confusion"].values()) == len(y)


def test_decision_metrics_with_no_flag_have_zero_precision(scores, costs):
    result = decision_metrics(scores["y"], scores["proba"], 1.01, costs)
    assert result["test_precision"] == 0.0 and result["test_recall"] == 0.0
    assert result["test_cost"] == pytest.approx(result["cost_flag_none"])


def test_price_threshold_saving_uses_test_labels(scores, costs):
    valid, test = scores[scores["split"] == "valid"], scores[scores["split"] == "test"]
    price = price_threshold(valid, test, 0.0, costs)
    assert price["test_cost"] == pytest.approx(1 - test["y"].mean())
    assert price["valid_cost"] == pytest.approx(1 - valid["y"].mean())


def test_kpis_by_threshold_has_one_row_per_threshold(scores, costs):
    table = kpis_by_threshold(scores["y"], scores["proba"], [0.1, 0.2, 0.5], costs)
    assert list(table.index) == [0.1, 0.2, 0.5]
    assert table["test_flag_rate"].is_monotonic_decreasing
    assert table.loc[0.2, "test_cost"] == pytest.approx(
        decision_metrics(scores["y"], scores["proba"], 0.2, costs)["test_cost"]
    )

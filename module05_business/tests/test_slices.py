"""Tests of the metrics by carrier and origin airport."""

from __future__ import annotations

import doctest

import pytest
from sklearn.metrics import roc_auc_score

from module05_business import slices as slices_module
from module05_business.slices import max_slice_gap, rates_by_group, slice_metrics, slice_report


def test_slice_metrics_match_sklearn_per_group(scores, costs):
    test = scores[scores["split"] == "test"]
    result = slice_metrics(test, "origin", 0.2, costs, min_rows=100)
    for name, group in test.groupby("origin"):
        assert result[name]["n"] == len(group)
        assert result[name]["late_share"] == pytest.approx(group["y"].mean())
        assert result[name]["roc_auc"] == pytest.approx(roc_auc_score(group["y"], group["proba"]))


def test_slice_metrics_give_no_roc_auc_below_min_rows(scores, costs):
    test = scores[scores["split"] == "test"]
    result = slice_metrics(test, "carrier", 0.2, costs, min_rows=100)
    small = [name for name, s in result.items() if s["n"] < 100]
    assert small, "the synthetic scores should contain a small carrier"
    for name, s in result.items():
        assert ("roc_auc" in s) == (s["n"] >= 100), name


def test_slice_metrics_skip_roc_auc_for_a_single_class_group(scores, costs):
    test = scores[scores["split"] == "test"].assign(origin="EWR")
    test.loc[test["carrier"] == "UA", "y"] = 0
    result = slice_metrics(test, "carrier", 0.2, costs, min_rows=1)
    assert "roc_auc" not in result["UA"]
    assert "roc_auc" in result["B6"]


def test_slice_metrics_reject_an_unknown_column(scores, costs):
    with pytest.raises(ValueError, match="cannot slice by 'dest'"):
        slice_metrics(scores, "dest", 0.2, costs, min_rows=1)


def test_max_slice_gap_is_none_with_fewer_than_two_judged_slices():
    assert max_slice_gap({"a": {"roc_auc": 0.7}, "b": {"n": 10}}) is None


def test_slice_report_overall_gap_is_the_largest_dimension_gap(scores, costs):
    test = scores[scores["split"] == "test"]
    slices, gaps = slice_report(test, 0.2, costs, min_rows=100)
    assert set(slices) == {"carrier", "origin"}
    assert gaps["overall"] == max(gaps["carrier"], gaps["origin"])
    aucs = [s["roc_auc"] for s in slices["carrier"].values() if "roc_auc" in s]
    assert gaps["carrier"] == pytest.approx(max(aucs) - min(aucs))


def test_slices_docstring_examples_run():
    assert doctest.testmod(slices_module).failed == 0


def test_rates_by_group_match_sklearn_recall(scores):
    from sklearn.metrics import recall_score

    test = scores[scores["split"] == "test"]
    table = rates_by_group(test, "origin", 0.2)
    for name, group in test.groupby("origin"):
        pred = group["proba"] >= 0.2
        assert table.loc[name, "recall"] == pytest.approx(recall_score(group["y"], pred))
        assert table.loc[name, "flag_rate"] == pytest.approx(pred.mean())
        negatives = group["y"] == 0
        assert table.loc[name, "false_alert_rate"] == pytest.approx(pred[negatives].mean())


def test_rates_by_group_leave_recall_undefined_without_late_flights(scores):
    test = scores[scores["split"] == "test"].assign(y=0)
    assert rates_by_group(test, "origin", 0.2)["recall"].isna().all()

"""Tests of the model card rendered from the evaluate stage's metrics."""

from __future__ import annotations

import pytest

from module05_business.evaluate import evaluate_scores
from module05_business.model_card import render_model_card, slice_rows

SECTIONS = ("Intended use", "Data", "Metrics", "Decision threshold and cost", "Slices",
            "Limitations", "Ethical considerations")  # fmt: skip


@pytest.fixture
def metrics(scores, params):
    return evaluate_scores(scores, params)[0]


def test_render_model_card_has_every_section(metrics, params):
    card = render_model_card(metrics, params, {"version": "7", "model_type": "hgb"})
    headings = [line[3:] for line in card.splitlines() if line.startswith("## ")]
    assert [h.split(" (")[0] for h in headings] == list(SECTIONS)
    assert card.startswith("# Model card: flight-delay (version 7)")
    assert card.endswith("\n")


def test_render_model_card_quotes_the_metrics(metrics, params):
    card = render_model_card(metrics, params, {})
    assert f"| ROC AUC | {metrics['test_roc_auc']:.3f} |" in card
    assert f"**{metrics['cost_saving_vs_best_trivial']:.1%}**" in card
    assert f"`{metrics['threshold_rule']}`" in card
    assert "version unknown" in card


def test_render_model_card_lists_features_when_given(metrics, params):
    card = render_model_card(metrics, params, {"features": ["distance", "hour"]})
    assert "Features: distance, hour." in card


def test_slice_rows_show_na_for_small_slices(metrics):
    rows = {r["name"]: r for r in slice_rows(metrics, "carrier")}
    assert rows["OO"]["roc_auc"] == "n/a"
    assert rows["UA"]["roc_auc"] != "n/a"
    sizes = [int(r["n"].replace(",", "")) for r in slice_rows(metrics, "carrier")]
    assert sizes == sorted(sizes, reverse=True)


def test_render_model_card_fails_loudly_on_missing_metric(metrics, params):
    broken = {k: v for k, v in metrics.items() if k != "test_roc_auc"}
    with pytest.raises(Exception, match="test_roc_auc"):
        render_model_card(broken, params, {})

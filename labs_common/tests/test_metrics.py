"""labs_common.metrics: one bundle of score metrics, and the modules that report it agree."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from labs_common.metrics import probability_metrics


@pytest.fixture(params=[0, 1, 2], ids=lambda s: f"seed{s}")
def scores(request) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(request.param)
    y = rng.integers(0, 2, 300)
    return y, np.clip(0.3 * y + rng.uniform(0, 0.7, 300), 1e-6, 1 - 1e-6)


def test_probability_metrics_are_sklearns(scores) -> None:
    y, p = scores
    got = probability_metrics(y, p)
    assert got == {
        "roc_auc": pytest.approx(roc_auc_score(y, p)),
        "pr_auc": pytest.approx(average_precision_score(y, p)),
        "log_loss": pytest.approx(log_loss(y, p)),
        "brier": pytest.approx(brier_score_loss(y, p)),
    }
    assert all(type(v) is float for v in got.values())  # JSON-ready, not NumPy scalars


def test_one_class_has_no_ranking_metric_but_still_a_loss() -> None:
    got = probability_metrics([0, 0, 0], [0.1, 0.2, 0.3])
    assert (got["roc_auc"], got["pr_auc"]) == (None, None)
    assert got["brier"] == pytest.approx(np.mean([0.01, 0.04, 0.09]))


def test_the_modules_report_the_same_bundle(scores) -> None:
    from module04_ml_fundamentals.compare import score_probabilities
    from module05_business.kpis import ranking_metrics
    from module09_monitoring.quality import ranking_stats

    y, p = scores
    bundle = probability_metrics(y, p)
    assert score_probabilities(y, p) == bundle
    assert ranking_metrics(y, p, "test") == {f"test_{k}": v for k, v in bundle.items()}
    assert ranking_stats(y, p) == {k: bundle[k] for k in ("roc_auc", "brier", "log_loss")}

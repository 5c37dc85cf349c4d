from __future__ import annotations

import numpy as np
import pytest

from module09_monitoring.quality import (
    calibration_error,
    calibration_stats,
    labelled_part,
    ranking_stats,
)


def test_calibration_error_is_zero_for_calibrated_scores() -> None:
    rng = np.random.default_rng(0)
    proba = rng.choice([0.15, 0.45, 0.85], 60_000)
    y = rng.random(60_000) < proba
    assert calibration_error(y, proba) < 0.01


def test_calibration_error_sees_overconfidence_that_the_mean_hides() -> None:
    y = np.array([0, 1] * 500)
    proba = np.where(np.arange(1000) % 4 < 2, 0.05, 0.95)  # half near 0, half near 1
    stats = calibration_stats(y, proba)
    assert stats["calibration_gap"] == pytest.approx(0.0)
    assert stats["calibration_error"] == pytest.approx(0.45)


def test_calibration_stats_reports_the_gap_of_a_label_shift() -> None:
    stats = calibration_stats([1, 1, 0, 0], [0.2, 0.2, 0.2, 0.2])
    assert stats["label_rate"] == 0.5
    assert stats["calibration_gap"] == pytest.approx(-0.3)


def test_ranking_stats_has_no_auc_with_one_class() -> None:
    assert ranking_stats([0, 0, 0], [0.1, 0.2, 0.3])["roc_auc"] is None
    assert ranking_stats([0, 1, 1], [0.1, 0.2, 0.3])["roc_auc"] == 1.0


def test_labelled_part_keeps_only_zero_and_one() -> None:
    assert labelled_part([0, 1, np.nan, 1.0]).tolist() == [True, True, False, True]

"""Tests of the synthetic scores: shape of scores.parquet, seeded, with the asked priors."""

from __future__ import annotations

import pytest
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

from module05_business.evaluate import COLUMNS, validate_scores
from module05_business.synthetic import load_lesson_scores, make_scores


def test_make_scores_has_the_columns_of_scores_parquet():
    df = make_scores(n_per_split=200)
    assert tuple(df.columns) == COLUMNS
    validate_scores(df)
    assert df.groupby("split").size().to_dict() == {"test": 200, "valid": 200}


def test_make_scores_is_seeded():
    assert make_scores(seed=1).equals(make_scores(seed=1))
    assert not make_scores(seed=1).equals(make_scores(seed=2))


def test_make_scores_has_the_requested_priors_and_auc():
    df = make_scores(n_per_split=20_000, priors=(0.1, 0.4), separation=1.0, seed=0)
    shares = df.groupby("split")["y"].mean()
    assert shares["valid"] == pytest.approx(0.1, abs=0.01)
    assert shares["test"] == pytest.approx(0.4, abs=0.01)
    expected_auc = norm.cdf(1.0 / 2**0.5)
    assert roc_auc_score(df["y"], df["proba"]) == pytest.approx(expected_auc, abs=0.01)


def test_load_lesson_scores_falls_back_to_synthetic(tmp_path):
    df, source = load_lesson_scores(tmp_path / "missing.parquet")
    assert source == "synthetic"
    validate_scores(df)


def test_load_lesson_scores_reads_real_scores_when_present(tmp_path):
    path = tmp_path / "scores.parquet"
    make_scores(n_per_split=50, seed=3).to_parquet(path)
    df, source = load_lesson_scores(path)
    assert source == str(path) and len(df) == 100

from __future__ import annotations

import numpy as np
import pytest

from labs_common.config import CostParams, RegisterParams
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.reference import model_scores
from module09_monitoring.retrain import compare_models, fit_challenger, split_recent

GATES = RegisterParams(
    model_name="m", min_roc_auc=0.55, max_slice_gap=0.5, min_slice_rows=200, tolerance=0.002
)
COSTS = CostParams(missed_delay=4, false_alert=1)


def test_split_recent_keeps_the_last_days_of_the_month(world: ReplayWorld) -> None:
    older, recent = split_recent(world.months[1], holdout_days=14)
    assert older["day"].max() == 17 and recent["day"].min() == 18
    assert len(older) + len(recent) == len(world.months[1])


@pytest.mark.slow  # refits the pipeline
def test_fit_challenger_refits_a_clone_and_leaves_the_champion_alone(world: ReplayWorld) -> None:
    before = model_scores(world.model, world.months[0])
    history = world.training.iloc[::2]
    challenger = fit_challenger(world.model, history, world.raw_dir)
    assert challenger is not world.model
    assert np.array_equal(model_scores(world.model, world.months[0]), before)
    assert not np.allclose(model_scores(challenger, world.months[0]), before)


def test_compare_models_promotes_an_equal_challenger(world: ReplayWorld) -> None:
    _, recent = split_recent(world.months[2], 14)
    out = compare_models(world.model, world.model, recent, GATES, COSTS, threshold=0.2)
    assert out["promoted"] and out["alias"] == "champion"
    assert out["challenger"] == out["champion"]
    assert out["holdout_rows"] == len(recent)


@pytest.mark.slow  # refits the pipeline
def test_compare_models_refuses_a_challenger_trained_on_noise(world: ReplayWorld) -> None:
    noisy = world.training.copy()
    noisy["late"] = np.random.default_rng(0).permutation(noisy["late"].to_numpy())
    challenger = fit_challenger(world.model, noisy)
    _, recent = split_recent(world.months[2], 14)
    out = compare_models(world.model, challenger, recent, GATES, COSTS, threshold=0.2)
    assert not out["promoted"]
    assert any(r.startswith("FAIL") for r in out["reasons"])


def test_compare_models_refuses_when_recent_days_hold_one_class(world: ReplayWorld) -> None:
    _, recent = split_recent(world.months[2], 14)
    out = compare_models(world.model, world.model, recent.assign(late=0), GATES, COSTS, 0.2)
    assert not out["promoted"]
    assert out["reasons"] == [pytest.approx(out["reasons"][0])]
    assert "one class" in out["reasons"][0]

"""Drift detection is validated: known drift is caught, unchanged data is left alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module09_monitoring import inject
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.monitor import monitor_month
from module09_monitoring.reference import Reference, model_scores
from module09_monitoring.tests.conftest import FAST


def _check(world: ReplayWorld, reference: Reference, flights: pd.DataFrame) -> dict:
    return monitor_month(flights, model_scores(world.model, flights), world.model, reference, FAST)


def test_inject_functions_change_what_they_say(world: ReplayWorld) -> None:
    month = world.months[1]
    assert inject.shift_numeric(month, "distance", 1.3)["distance"].mean() == pytest.approx(
        month["distance"].mean() * 1.3
    )
    mixed = inject.change_category_mix(month, "carrier", "ZZ", 0.25, seed=1)
    assert (mixed["carrier"] == "ZZ").mean() == pytest.approx(0.25, abs=1e-3)
    assert inject.set_label_rate(month, 0.5)["late"].mean() == pytest.approx(0.5, abs=1e-3)
    assert inject.add_missing(month, "tailnum", 0.2)["tailnum"].isna().mean() > 0.19
    assert month.equals(world.months[1]), "inject must not change its input"


def test_inject_rejects_a_share_outside_zero_one(world: ReplayWorld) -> None:
    with pytest.raises(ValueError, match="share must be in"):
        inject.add_missing(world.months[0], "tailnum", 1.5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_unchanged_training_period_sample_raises_no_alert(
    world: ReplayWorld, reference: Reference, seed: int
) -> None:
    sample = world.training.sample(1500, random_state=100 + seed).reset_index(drop=True)
    entry = _check(world, reference, sample)
    assert entry["alerts"] == [], entry["reasons"]
    assert entry["retrain"] is False


@pytest.mark.parametrize(
    ("change", "feature"),
    [
        (lambda m: inject.shift_numeric(m, "distance", 1.3), "distance"),
        (lambda m: inject.change_category_mix(m, "carrier", "UA", 0.3), "carrier"),
    ],
    ids=["distance+30%", "carrier-mix"],
)
def test_injected_feature_drift_is_detected(
    world: ReplayWorld, reference: Reference, change: object, feature: str
) -> None:
    month = world.months[1]
    assert feature not in _check(world, reference, month)["drifted_features"]
    entry = _check(world, reference, change(month))
    assert feature in entry["drifted_features"]
    assert "feature_drift" in entry["alerts"]


def test_injected_label_shift_is_caught_by_calibration_and_triggers_retraining(
    world: ReplayWorld, reference: Reference
) -> None:
    entry = _check(world, reference, inject.set_label_rate(world.months[1], 0.45))
    assert {"label_shift", "calibration"} <= set(entry["alerts"])
    assert entry["calibration_gap"] < -0.1
    assert entry["retrain"] is True


def test_injected_missing_values_are_reported_per_feature(
    world: ReplayWorld, reference: Reference
) -> None:
    entry = _check(world, reference, inject.add_missing(world.months[1], "tailnum", 0.3))
    assert {"plane_age", "plane_seats", "plane_engines"} <= set(entry["missing_features"])
    assert "missing_values" in entry["alerts"]
    assert np.isfinite(entry["drift_share"])


def test_swap_label_rates_trades_the_slices_rates_and_keeps_the_inputs() -> None:
    rng = np.random.default_rng(0)
    hour = rng.integers(6, 22, 4000)
    flights = pd.DataFrame({"hour": hour, "late": (rng.random(4000) < hour / 40).astype("int8")})
    morning, evening = (hour < 10).astype(bool), (hour >= 18).astype(bool)
    swapped = inject.swap_label_rates(flights, morning, evening, seed=1)
    before = flights.loc[morning, "late"].mean(), flights.loc[evening, "late"].mean()
    assert swapped.loc[morning, "late"].mean() == pytest.approx(before[1], abs=1e-3)
    assert swapped.loc[evening, "late"].mean() == pytest.approx(before[0], abs=1e-3)
    middle = ~(morning | evening)
    assert swapped.loc[middle, "late"].equals(flights.loc[middle, "late"])
    assert swapped["hour"].equals(flights["hour"]) and swapped["late"].dtype == np.int8


def test_swap_label_rates_refuses_overlapping_slices() -> None:
    flights = pd.DataFrame({"late": [0, 1, 0, 1]})
    with pytest.raises(ValueError, match="must not overlap"):
        inject.swap_label_rates(flights, np.array([1, 1, 0, 0]), np.array([0, 1, 1, 0]))

"""Fixtures of the monitoring tests: one small replay world per session (real flights)."""

from __future__ import annotations

import pytest

from module09_monitoring.fixtures import ReplayWorld, build_world
from module09_monitoring.params import MonitorParams
from module09_monitoring.reference import Reference, build_reference

#: Small and fast: a 5,000-row reference, JSON reports only.
FAST = MonitorParams(reference_rows=5_000, html=False)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> ReplayWorld:
    """A logistic model fitted on 1,500 flights of each month January-August, and Sep-Dec."""
    return build_world(tmp_path_factory.mktemp("world"), rows_per_month=1500, seed=0)


@pytest.fixture(scope="session")
def reference(world: ReplayWorld) -> Reference:
    """The world's reference, with thresholds learned from its eight training months."""
    return build_reference(world.model, world.training, FAST)

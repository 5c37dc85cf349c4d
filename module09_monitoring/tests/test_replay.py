from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from labs_common.config import CostParams, RegisterParams
from module09_monitoring.context import Context
from module09_monitoring.fixtures import ReplayWorld
from module09_monitoring.replay import (
    metrics_of,
    promotion_gates,
    run_replay,
    trained_to,
    write_summary,
)
from module09_monitoring.tests.conftest import FAST

GATES = RegisterParams(
    model_name="m", min_roc_auc=0.55, max_slice_gap=0.5, min_slice_rows=200, tolerance=0.002
)
COSTS = CostParams(missed_delay=4, false_alert=1)
pytestmark = pytest.mark.slow  # four months replayed twice, with retraining: about a minute


@pytest.fixture(scope="module")
def replayed(world: ReplayWorld, tmp_path_factory: pytest.TempPathFactory) -> tuple[list, Path]:
    out = tmp_path_factory.mktemp("monitoring")
    ctx = Context(FAST, GATES, COSTS, 0.2, world.raw_dir, out)
    return run_replay(world.model, world.training, world.months, ctx), out


@pytest.mark.parametrize(("own_floor", "expected"), [(None, FAST.min_roc_auc), (0.61, 0.61)])
def test_promotion_gates_use_the_month_floor_and_keep_the_other_gates(
    own_floor: float | None, expected: float
) -> None:
    params = FAST.model_copy(update={"promotion_min_roc_auc": own_floor})
    gates = promotion_gates(Context(params, GATES, COSTS, 0.2))
    assert gates.min_roc_auc == expected != GATES.min_roc_auc
    assert gates.model_copy(update={"min_roc_auc": GATES.min_roc_auc}) == GATES


def test_trained_to_names_the_last_day() -> None:
    import pandas as pd

    frame = pd.DataFrame({"year": [2013, 2013], "month": [8, 7], "day": [31, 4]})
    assert trained_to(frame) == "trained to 2013-08-31"


def test_run_replay_has_one_entry_per_month_with_the_loop_decisions(replayed: tuple) -> None:
    entries, _ = replayed
    assert [e["month"] for e in entries] == [9, 10, 11, 12]
    for e in entries:
        assert {
            "month",
            "drift_share",
            "drifted_features",
            "roc_auc",
            "retrain",
            "retrained",
            "promoted",
            "champion",
            "alerts",
        } <= set(e)
        assert e["retrained"] == e["retrain"]
        assert not e["promoted"] or e["retrained"]
    assert entries[0]["champion"] == "trained to 2013-08-31"


def test_run_replay_scores_with_the_promoted_model_next_month(replayed: tuple) -> None:
    entries, _ = replayed
    for before, after in itertools.pairwise(entries):
        expected = before["challenger"]["name"] if before["promoted"] else before["champion"]
        assert after["champion"] == expected


def test_run_replay_is_deterministic_and_reports_do_not_change_decisions(
    world: ReplayWorld, replayed: tuple
) -> None:
    entries, _ = replayed
    ctx = Context(FAST, GATES, COSTS, 0.2, world.raw_dir, None)
    again = run_replay(world.model, world.training, world.months[:2], ctx)
    assert again == entries[:2]


def test_run_replay_writes_month_folders_and_references(replayed: tuple) -> None:
    entries, out = replayed
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("2013")) == [
        "2013-09",
        "2013-10",
        "2013-11",
        "2013-12",
    ]
    names = {p.stem for p in (out / "references").iterdir()}
    promoted = {
        e["challenger"]["name"].removeprefix("trained to ") for e in entries if e["promoted"]
    }
    assert names == {"2013-08-31"} | promoted


def test_write_summary_and_metrics(replayed: tuple, tmp_path: Path) -> None:
    entries, _ = replayed
    path = write_summary(entries, tmp_path)
    assert json.loads(path.read_text()) == entries
    metrics = metrics_of(entries)
    assert list(metrics) == ["2013-09", "2013-10", "2013-11", "2013-12"]
    assert set(metrics["2013-09"]) >= {"drift_share", "roc_auc", "retrain", "promoted"}

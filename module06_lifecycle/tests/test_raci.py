from __future__ import annotations

import pandas as pd
import pytest

from labs_common import paths
from module03_architecture.pipeline import stage_graph
from module06_lifecycle.layouts import path_status
from module06_lifecycle.raci import (
    CAPSTONE,
    ROLES,
    Activity,
    codeowners,
    handoffs,
    plot_raci,
    raci_frame,
    raci_problems,
    stage_owners,
    workload,
)


def test_capstone_raci_is_sound() -> None:
    frame = raci_frame(CAPSTONE)
    assert list(frame.columns) == list(ROLES)
    assert raci_problems(frame) == []


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ({"product": "A", "ml_eng": "A", "data_sci": "R"}, "has 2 A (product, ml_eng)"),
        ({"product": "C", "data_sci": "R"}, "has 0 A"),
        ({"product": "A"}, "has no R"),
        ({"product": "A", "data_sci": "RX"}, "unknown letters ['X']"),
    ],
    ids=["two-A", "no-A", "no-R", "bad-letter"],
)
def test_raci_problems_names_the_activity_and_the_rule(cells: dict, problem: str) -> None:
    frame = raci_frame([*CAPSTONE, Activity("broken", cells)])
    found = raci_problems(frame)
    assert any(p.startswith("'broken'") and problem in p for p in found), found


def test_raci_problems_finds_an_idle_role() -> None:
    frame = raci_frame(CAPSTONE).assign(intern=["I"] * len(CAPSTONE))
    assert raci_problems(frame) == ["role 'intern' is never A or R"]


def test_workload_counts_combined_cells_once_per_letter() -> None:
    frame = pd.DataFrame({"a": ["AR", "C"], "b": ["", "AR"]}, index=["x", "y"])
    counts = workload(frame)
    assert counts.loc["a"].tolist() == [1, 1, 1, 0]
    assert counts.loc["b"].tolist() == [1, 1, 0, 0]


def test_every_dvc_stage_has_an_owner_and_every_owned_path_exists() -> None:
    owners = stage_owners(CAPSTONE)
    stages = {node for edge in stage_graph(paths.ROOT / "dvc.yaml") for node in edge}
    assert stages <= set(owners), f"stages without an owner: {stages - set(owners)}"
    missing = [p for a in CAPSTONE for p in a.paths if path_status(p) != "present"]
    assert not missing, f"RACI names paths that do not exist: {missing}"


def test_handoffs_keep_only_edges_between_roles() -> None:
    owners = {"ingest": "data_eng", "validate": "data_eng", "train": "data_sci"}
    table = handoffs([("ingest", "validate"), ("validate", "train"), ("x", "train")], owners)
    assert table.to_dict("records") == [
        {"upstream": "validate", "downstream": "train", "from": "data_eng", "to": "data_sci"}
    ]


def test_codeowners_puts_folders_before_their_files() -> None:
    activities = [
        Activity("b", {"x": "R", "y": "A", "z": "C"}, None, ("pkg/file.py",)),
        Activity("a", {"x": "AR"}, None, ("pkg/", "top.yaml")),
    ]
    text = codeowners(activities, {"x": "@team-x", "y": "@team-y", "z": "@team-z"})
    assert text.splitlines()[1:] == [
        "/pkg/ @team-x",
        "/top.yaml @team-x",
        "/pkg/file.py @team-x @team-y",
    ]


def test_plot_raci_draws_one_cell_per_role_and_activity() -> None:
    frame = raci_frame(CAPSTONE[:3])
    ax = plot_raci(frame)
    assert len(ax.patches) == frame.size
    assert [t.get_text() for t in ax.get_yticklabels()] == list(frame.index)

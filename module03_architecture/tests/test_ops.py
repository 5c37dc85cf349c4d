"""Who owns what: every capstone piece has an owner, and hand-overs are found in the graph."""

from __future__ import annotations

import doctest

import pytest

from labs_common import paths
from module03_architecture import ops
from module03_architecture.exercises import checks
from module03_architecture.pipeline import load_stages


def test_every_stage_of_the_pipeline_has_an_owner() -> None:
    stages = load_stages(paths.ROOT / "dvc.yaml")
    assert set(stages) <= set(ops.STAGE_OWNERS), "a new stage needs an owner in STAGE_OWNERS"
    assert set(ops.STAGE_OWNERS.values()) <= set(ops.DISCIPLINES)


def test_ownership_table_lists_pieces_that_exist() -> None:
    table = ops.ownership_table()
    assert table["exists"].all(), table.loc[~table["exists"], "piece"].tolist()
    assert set(table["owner"]) == set(ops.DISCIPLINES)


def test_capstone_handoffs_go_from_data_to_models_with_their_files() -> None:
    table = ops.capstone_handoffs()
    assert len(table) > 0
    assert table["from"].str.endswith("(DataOps)").all()
    assert table["to"].str.endswith("(ModelOps)").all()
    assert table["contract"].str.len().gt(0).all(), "every hand-over crosses at least a file"


def test_docstring_examples_run() -> None:
    assert doctest.testmod(ops).failed == 0


@pytest.mark.parametrize(
    "wrong",
    [
        lambda edges, owner: [],
        lambda edges, owner: list(edges),
        lambda edges, owner: [(a, b) for a, b in edges if owner[a] != owner[b]],
    ],  # unsorted
    ids=["none", "all", "unsorted"],
)
def test_handoff_edges_check_rejects_wrong_answers(wrong: object) -> None:
    with pytest.raises(AssertionError, match=r"random edges|no hand-over"):
        checks.check_handoff_edges(wrong)

"""The committed mutation score says what it measured (``make mutate`` writes it).

The run itself takes most of an hour and is not part of CI; these checks keep its results
file honest: the counts add up, every target module is there, every survivor carries a
reason (an equivalent mutant, or an honestly labelled test gap), and whether the score
meets the issue's goal is stated, not assumed.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import mutation
from labs_common import paths

RESULTS = paths.ROOT / "benchmarks" / "results" / "mutation.json"


@pytest.fixture(scope="module")
def result() -> dict:
    return json.loads(RESULTS.read_text())


def test_mutation_results_cover_every_target_module(result: dict) -> None:
    assert set(result["modules"]) == set(mutation.TARGETS)
    for name, module in result["modules"].items():
        assert module["mutants"] + module["not_run"] > 0, name


def test_mutation_counts_add_up(result: dict) -> None:
    for name, module in result["modules"].items():
        assert module["killed"] + module["survived"] == module["mutants"], name
        expected = round(module["killed"] / module["mutants"], 4) if module["mutants"] else None
        assert module["score"] == expected, name
    assert result["mutants"] == sum(m["mutants"] for m in result["modules"].values())
    assert result["killed"] == sum(m["killed"] for m in result["modules"].values())
    assert result["score"] == round(result["killed"] / result["mutants"], 4)
    assert len(result["survivors"]) == result["survived"]


def test_every_survivor_is_explained_and_the_goal_is_reported(result: dict) -> None:
    unexplained = [s["mutant"] for s in result["survivors"] if s["reason"] == "UNEXPLAINED"]
    assert unexplained == []
    for s in result["survivors"]:
        assert s["reason"] == mutation.reason_for(s["mutant"], s["diff"]), s["mutant"]
    assert result["goal"] == mutation.GOAL
    assert result["goal_met"] is (result["score"] >= result["goal"])
    gaps = [s for s in result["survivors"] if s["reason"].startswith(mutation.TEST_GAP)]
    assert result["test_gaps"] == len(gaps)


def test_mutation_markdown_shows_the_same_figures(result: dict) -> None:
    text = RESULTS.with_suffix(".md").read_text()
    assert mutation.markdown(result) == text

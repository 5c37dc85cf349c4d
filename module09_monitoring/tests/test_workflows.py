from __future__ import annotations

from pathlib import Path

import pytest

from module09_monitoring.workflows import (
    WORKFLOWS,
    action_pins,
    describe_cron,
    load_workflow,
    steps_table,
)

WORKFLOW = """\
name: t
on:
  push:
jobs:
  build:
    steps:
      - uses: actions/checkout@{sha} # v7.0.1
        with:
          persist-credentials: false
      - name: make test
        run: |
          make test
          echo done
      - uses: actions/checkout@{sha} # v7.0.1
"""


@pytest.fixture
def workflow_file(tmp_path: Path) -> Path:
    path = tmp_path / "t.yml"
    path.write_text(WORKFLOW.format(sha="a" * 40))
    return path


def test_load_workflow_gives_back_the_on_key(workflow_file: Path) -> None:
    workflow = load_workflow(workflow_file)
    assert workflow["on"] == {"push": None} and True not in workflow


def test_steps_table_names_each_step_and_its_first_command(workflow_file: Path) -> None:
    table = steps_table(load_workflow(workflow_file))
    assert table["step"].tolist() == ["actions/checkout", "make test", "actions/checkout"]
    assert table["run"].tolist()[1] == "make test"
    assert table["uses"].tolist()[0] == "actions/checkout"


def test_action_pins_read_the_sha_and_the_tag_comment_once(workflow_file: Path) -> None:
    pins = action_pins(workflow_file)
    assert pins.values.tolist() == [["actions/checkout", "a" * 40, "v7.0.1"]]


def test_action_pins_cover_every_action_of_the_real_workflows() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        used = set(steps_table(load_workflow(path))["uses"].dropna())
        assert used == set(action_pins(path)["action"]), path.name


def test_describe_cron_names_the_fields_and_refuses_a_short_one() -> None:
    assert describe_cron("17 6 * * 1") == {
        "minute": "17", "hour": "6", "day of month": "*", "month": "*", "day of week": "1"
    }  # fmt: skip
    with pytest.raises(ValueError, match="5 fields, got 3"):
        describe_cron("17 6 *")

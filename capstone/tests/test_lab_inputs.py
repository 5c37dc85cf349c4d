"""The random inputs of the labs' checks are inputs a correct answer can pass.

Why it matters: a check that sometimes fails a right answer teaches the student to distrust
it. Lab 08's flow step once drew the cost the copy already held (1 seed in 71): the flow ran,
the metrics could not change, and the reference answer failed.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from capstone.project.checks.lab08 import new_missed_delay
from capstone.project.checks.sandbox import Sandbox


@pytest.mark.parametrize("held", [2.0, 3.4, 9.0])
def test_the_flow_step_changes_the_cost_the_copy_holds(tmp_path: Path, held: float) -> None:
    (tmp_path / "params.yaml").write_text(yaml.safe_dump({"cost": {"missed_delay": held}}))
    drawn = {new_missed_delay(Sandbox(tmp_path, tmp_path, (), random.Random(seed)))
             for seed in range(400)}  # fmt: skip
    assert held not in drawn
    assert min(drawn) >= 2.0 and max(drawn) <= 9.0 and len(drawn) > 50

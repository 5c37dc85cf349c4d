"""``monitor_params`` reads the ``monitor`` section of the course's params.yaml.

A copy of params.yaml with non-default thresholds goes into a temporary course root
(``LABS_ROOT``); a fresh interpreter must see those values, not ``MonitorParams()``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from labs_common import paths
from module09_monitoring.params import MonitorParams

CHANGED = {
    "max_drift_share": 0.4,
    "max_label_shift": 0.11,
    "min_roc_auc": 0.61,
    "drift_margin": 3.5,
    "retrain_on": ["quality"],
    "html": False,
}
PRINT_MONITOR = (
    "import json; from module09_monitoring.params import monitor_params; "
    "print(json.dumps(monitor_params().model_dump()))"
)


def _monitor_section_in(root: Path, monitor: dict | None) -> dict:
    params = yaml.safe_load(paths.PARAMS_PATH.read_text())
    if monitor is None:
        params.pop("monitor", None)
    else:
        params["monitor"] = monitor
    root.mkdir(parents=True, exist_ok=True)
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    env = {**os.environ, "LABS_ROOT": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", PRINT_MONITOR], env=env, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_monitor_params_reads_non_default_values_from_params_yaml(tmp_path: Path) -> None:
    got = _monitor_section_in(tmp_path / "course", CHANGED)
    defaults = MonitorParams().model_dump()
    for key, value in CHANGED.items():
        assert value != defaults[key], f"{key}: pick a value that differs from the default"
        assert got[key] == value, key
    assert got["max_calibration_gap"] == defaults["max_calibration_gap"], "unset keys: defaults"


def test_monitor_params_without_a_monitor_section_are_the_defaults(tmp_path: Path) -> None:
    assert _monitor_section_in(tmp_path / "course", None) == MonitorParams().model_dump()

"""labs_common.config: params.yaml is validated, and a bad value names its key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from labs_common import paths
from labs_common.config import ParamsError, load_params


def _write(tmp_path: Path, change: dict | None = None, drop: str | None = None) -> Path:
    params = yaml.safe_load(paths.PARAMS_PATH.read_text())
    for dotted, value in (change or {}).items():
        section, key = dotted.split(".")
        params[section][key] = value
    if drop:
        params.pop(drop)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    return path


def test_load_params_reads_the_course_file() -> None:
    p = load_params()
    assert p.features.late_minutes == 15 and p.register.model_name == "flight-delay"
    assert p.split.production_months == sorted(p.split.valid_months + p.split.test_months)


def test_load_params_reads_the_given_file(tmp_path: Path) -> None:
    p = load_params(_write(tmp_path, {"features.late_minutes": 30, "cost.missed_delay": 9.0}))
    assert (p.features.late_minutes, p.cost.missed_delay) == (30, 9.0)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"features.late_minutes": -1}, r"features\.late_minutes"),
        ({"features.late_minutes": 241}, r"features\.late_minutes"),
        ({"split.train_months": [1, 13]}, r"train_months must be in 1\.\.12, got \[13\]"),
        ({"split.valid_months": [2]}, r"split months must follow time"),
        ({"cost.false_alert": 0}, r"cost\.false_alert"),
        ({"register.min_roc_auc": 0.4}, r"register\.min_roc_auc"),
        ({"train.model": "svm"}, r"train\.model"),
        ({"monitor.max_drift_share": 0}, r"monitor\.max_drift_share"),
        ({"features.typo": 1}, r"features\.typo"),
    ],
    ids=["late-negative", "late-too-big", "month-13", "months-out-of-order", "zero-cost",
         "auc-floor-below-chance", "unknown-model", "zero-drift-share", "unknown-key"],
)  # fmt: skip
def test_load_params_names_the_bad_key(tmp_path: Path, change: dict, match: str) -> None:
    with pytest.raises(ParamsError, match=match):
        load_params(_write(tmp_path, change))


def test_load_params_boundaries_are_inclusive(tmp_path: Path) -> None:
    assert load_params(_write(tmp_path, {"features.late_minutes": 0})).features.late_minutes == 0
    high = tmp_path / "high"
    high.mkdir()
    assert load_params(_write(high, {"features.late_minutes": 240})).features.late_minutes == 240


def test_load_params_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(ParamsError, match="not found"):
        load_params(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("features: [unclosed")
    with pytest.raises(ParamsError, match="is not valid YAML"):
        load_params(broken)


def test_load_params_without_monitor_section_uses_its_defaults(tmp_path: Path) -> None:
    assert load_params(_write(tmp_path, drop="monitor")).monitor.max_drift_share == 0.25

"""Answers that do not do the work fail the labs' checks.

Why it matters: a check that a fixed number, or a call into the course's own answer,
can satisfy would grade copying, not learning. Each test starts from the reference answer
and breaks it the way a student in a hurry might.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from capstone.project import new_project, solve_project
from capstone.project.checks import LabReport, run_lab

pytestmark = pytest.mark.slow


def failing(report: LabReport) -> dict[str, str]:
    return {r.name: r.message for r in report.results if r.status in {"fail", "error"}}


@pytest.fixture
def answered(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A project with the reference answers up to lab ``request.param``, not yet run."""
    root = new_project(tmp_path / "my-project")
    solve_project(root, upto=request.param, run_pipeline=False)
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize("answered", [3], indirect=True)
def test_ingest_calling_the_module03_answer_is_stopped(answered: Path) -> None:
    (answered / "myflights" / "ingest.py").write_text(
        "from module03_architecture.ingest import main\n\nmain()\n"
    )
    report = run_lab(3, answered, seed=3)
    assert "reference answer" in failing(report).get("random months", "")


@pytest.mark.parametrize("answered", [3], indirect=True)
def test_capstone_stage_copied_into_dvc_yaml_is_stopped(answered: Path) -> None:
    _replace(answered / "dvc.yaml", "python -m myflights.ingest",
             "python -m module03_architecture.ingest")  # fmt: skip
    report = run_lab(3, answered, seed=3)
    assert "reference answer" in failing(report).get("random months", "")


@pytest.mark.parametrize("answered", [4], indirect=True)
def test_a_model_with_a_fixed_answer_fails(answered: Path) -> None:
    dummy = "from sklearn.dummy import DummyClassifier\n    model = DummyClassifier()"
    _replace(answered / "myflights" / "train.py", 'model = build_model(params["train"])', dummy)
    report = run_lab(4, answered, seed=4)
    assert "same probability" in failing(report).get("model learns", "")


@pytest.mark.parametrize("answered", [5], indirect=True)
def test_fixed_metrics_and_threshold_fail(answered: Path) -> None:
    _replace(answered / "myflights" / "evaluate.py", "    REPORTS.mkdir(exist_ok=True)",
             "    metrics = {'roc_auc': 0.7, 'threshold': 0.5, 'cost_per_flight': 0.6}\n"
             "    REPORTS.mkdir(exist_ok=True)")  # fmt: skip
    report = run_lab(5, answered, seed=5)
    assert "metrics right" in failing(report)


@pytest.mark.parametrize("answered", [9], indirect=True)
def test_a_monitor_that_never_fails_fails(answered: Path) -> None:
    _replace(answered / "myflights" / "monitor.py", "    if share >= limit:", "    if False:")
    report = run_lab(9, answered, seed=9)
    assert "passed the monitor" in failing(report).get("drifted month", "")

"""``labs demo``: the steps run in order and are timed, ``--step`` pauses, the summary reads
the reports, and the serving check talks HTTP to the real service."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from capstone import demo
from capstone.cli import app
from capstone.summary import headline, monitoring_line, summary_table
from labs_common import paths


def make_step(name: str, log: list[str], result: str = "ok") -> demo.Step:
    def run(root: Path) -> str:
        log.append(name)
        if result == "boom":
            raise RuntimeError("stage broke")
        return f"{name} {result} in {root.name}"

    return demo.Step(name, f"what {name} does", run)


def test_run_steps_runs_each_step_in_order_and_times_it(tmp_path: Path) -> None:
    log: list[str] = []
    timings = demo.run_steps([make_step("a", log), make_step("b", log)], tmp_path)
    assert log == ["a", "b"]
    assert [t.name for t in timings] == ["a", "b"]
    assert timings[1].result == f"b ok in {tmp_path.name}"
    assert all(t.seconds >= 0 for t in timings)


def test_run_steps_stops_where_the_pause_says(tmp_path: Path) -> None:
    log: list[str] = []
    asked: list[str] = []

    def pause(step: demo.Step) -> bool:
        asked.append(step.explain)
        return step.name != "b"

    steps = [make_step(n, log) for n in "abc"]
    timings = demo.run_steps(steps, tmp_path, pause)
    assert log == ["a"] and asked == ["what a does", "what b does"]
    assert [t.name for t in timings] == ["a"]


def test_run_steps_names_the_failing_step_and_reraises(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    log: list[str] = []
    with pytest.raises(RuntimeError, match="stage broke"):
        demo.run_steps([make_step("a", log), make_step("b", log, "boom")], tmp_path)
    assert log == ["a", "b"]
    assert "step 'b' failed" in capsys.readouterr().err


def test_every_demo_step_has_a_paragraph_to_read_out() -> None:
    assert [s.name for s in demo.STEPS] == ["pipeline", "serving", "monitoring", "report site"]
    assert all(len(s.explain.split()) >= 30 for s in demo.STEPS)


def test_labs_demo_step_stops_when_the_instructor_types_q() -> None:
    result = CliRunner().invoke(app, ["demo", "--step"], input="q\n")
    assert result.exit_code == 0, result.output
    assert "DVC reads dvc.yaml" in result.output
    assert "stopped before this step" in result.output
    assert "Demo steps" in result.output


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    (tmp_path / "monitoring").mkdir()
    files = {
        "metrics.json": {"test_roc_auc": 0.7061, "test_pr_auc": 0.468, "threshold": 0.2,
                         "threshold_rule": "theoretic", "cost_saving_vs_best_trivial": 0.183},
        "registry.json": {"model_name": "flight-delay", "version": 3, "alias": "champion"},
        "validation.json": {"ok": True},
        "features.json": {"labelled": 327346, "cancelled_or_diverted": 9430},
        "monitoring/summary.json": [
            {"period": "2013-09", "retrained": True, "promoted": False},
            {"period": "2013-12", "retrained": True, "promoted": True},
        ],
    }  # fmt: skip
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
    return tmp_path


def test_summary_reads_the_figures_from_the_reports(reports: Path) -> None:
    assert headline(reports) == "test ROC AUC 0.706, cost saving 18.3%; flight-delay v3 -> champion"
    line = monitoring_line(reports / "monitoring" / "summary.json")
    assert line == "2 months replayed; retrained: 2013-09, 2013-12; promoted: 2013-12"
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(summary_table(reports))
    lines = {" ".join(line.strip("│ ").split()) for line in console.export_text().splitlines()}
    assert "data contract │ passed" in lines
    assert "flights labelled / cancelled │ 327,346 / 9,430" in lines
    assert "registry │ flight-delay v3 -> champion" in lines


def test_summary_says_what_has_not_run_yet(tmp_path: Path) -> None:
    assert "nan" in headline(tmp_path) and "? v? -> ?" in headline(tmp_path)
    assert "run `dvc repro monitor`" in monitoring_line(tmp_path / "summary.json")


@pytest.mark.slow  # starts the real service on the workspace's champion
def test_check_service_gets_a_prediction_from_the_real_server() -> None:
    if not (paths.REPORTS / "registry.json").exists():
        pytest.skip("no registered model here; `dvc repro register` first")
    line = demo.check_service(paths.ROOT)
    registry = json.loads((paths.REPORTS / "registry.json").read_text())
    assert line.startswith(f"{registry['model_name']} v")
    assert "AA2243 late with p=0." in line and " ms" in line

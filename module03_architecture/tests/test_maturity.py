"""Tests of the maturity checklist: evidence found in a fake repository, levels, the plot."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from module03_architecture import maturity as mt

TOY = (
    mt.Practice(0, "notebooks", "mlops", "nb/*.ipynb"),
    mt.Practice(1, "pipeline", "mlops", "dvc.yaml"),
    mt.Practice(1, "tracking", "mlops", "pkg/**/*.py", "start_run("),
    mt.Practice(2, "ci", "devops", ".github/workflows/ci.yml"),
)


def _touch(root: Path, rel: str, text: str = "") -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


def test_find_evidence_needs_the_text_when_asked(tmp_path: Path) -> None:
    _touch(tmp_path, "pkg/a.py", "import mlflow\n")
    _touch(tmp_path, "pkg/sub/b.py", "with mlflow.start_run():\n    pass\n")
    assert mt.find_evidence(TOY[2], tmp_path) == ["pkg/sub/b.py"]


def test_find_evidence_alternatives_and_code_before_tests(tmp_path: Path) -> None:
    _touch(tmp_path, "capstone/tests/test_flows.py", "@flow")
    _touch(tmp_path, "capstone/zz.py", "@flow")
    _touch(tmp_path, "module08_deployment/flows.py", "@flow")
    practice = mt.Practice(
        1, "t", "devops", "capstone/**/*.py|module08_deployment/**/*.py", "@flow"
    )
    expected = ["capstone/zz.py", "module08_deployment/flows.py", "capstone/tests/test_flows.py"]
    assert mt.find_evidence(practice, tmp_path) == expected


def test_find_evidence_skips_a_file_removed_while_it_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another program's temporary file: the glob sees it, then it is gone before the read.
    _touch(tmp_path, "pkg/gone.py", "start_run(")
    _touch(tmp_path, "pkg/kept.py", "start_run(")
    read = Path.read_text

    def vanishing(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "gone.py":
            self.unlink()
        return read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", vanishing)
    assert mt.find_evidence(TOY[2], tmp_path) == ["pkg/kept.py"]


def test_find_evidence_skips_virtualenv(tmp_path: Path) -> None:
    _touch(tmp_path, "pkg/.venv/lib/x.py", "start_run(")
    assert (
        mt.find_evidence(mt.Practice(1, "t", "mlops", "pkg/**/*.py", "start_run("), tmp_path) == []
    )


def test_find_evidence_ignores_this_lesson_talking_about_calls(tmp_path: Path) -> None:
    _touch(tmp_path, f"{mt.__package__}/tests/test_x.py", "start_run(")
    _touch(tmp_path, "module07_experiments/train.py", "start_run(")
    found = mt.find_evidence(
        mt.Practice(1, "t", "mlops", "module*/**/*.py", "start_run("), tmp_path
    )
    assert found == ["module07_experiments/train.py"]


def test_check_evidence_one_row_per_practice(tmp_path: Path) -> None:
    _touch(tmp_path, "nb/01.ipynb")
    _touch(tmp_path, "dvc.yaml")
    report = mt.check_evidence(tmp_path, TOY)
    assert list(report.columns) == ["level", "level_name", "practice", "kind", "found", "evidence"]
    assert report["found"].tolist() == [True, True, False, False]
    assert report["evidence"].tolist() == ["nb/01.ipynb", "dvc.yaml", "", ""]


@pytest.mark.parametrize(
    "found, level",
    [([False, False, False, False], 0), ([True, True, False, True], 0),
     ([False, True, True, False], 1), ([True, True, True, True], 2)],
    ids=["nothing", "level2-without-level1", "level1", "all"],
)  # fmt: skip
def test_reached_level_needs_every_lower_level(found: list[bool], level: int) -> None:
    report = pd.DataFrame({"level": [p.level for p in TOY], "found": found})
    assert mt.reached_level(report) == level


def test_practices_cover_every_level_and_both_kinds() -> None:
    assert {p.level for p in mt.PRACTICES} == set(mt.LEVELS)
    assert {p.kind for p in mt.PRACTICES} == {"devops", "mlops"}
    assert len({p.name for p in mt.PRACTICES}) == len(mt.PRACTICES)


def test_check_evidence_on_this_repository_finds_the_shared_feature_query() -> None:
    report = mt.check_evidence().set_index("practice")
    row = report.loc["one feature query for training and serving"]
    assert row["found"] and row["evidence"] == "module03_architecture/warehouse.py"


def test_plot_maturity_one_bar_per_level(tmp_path: Path) -> None:
    _touch(tmp_path, "dvc.yaml")
    fig = mt.plot_maturity(mt.check_evidence(tmp_path, TOY))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        f"{k}: {v}" for k, v in mt.LEVELS.items()
    ]
    assert "level 0" in ax.get_title()
    plt.close(fig)


def test_summarise_workflow_lists_triggers_and_run_steps(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "wf.yml",
        """
name: monitor
on:
  schedule: [{cron: "17 6 * * 1"}]
  workflow_dispatch:
jobs:
  monitor:
    steps:
      - uses: actions/checkout@v4
      - run: make setup
      - name: repro
        run: |
          dvc repro
""",
    )
    got = mt.summarise_workflow(tmp_path / "wf.yml")
    assert got.to_dict("records") == [{"workflow": "monitor", "job": "monitor",
                                       "triggers": "schedule, workflow_dispatch",
                                       "runs": ["make setup", "dvc repro"]}]  # fmt: skip


def test_summarise_workflow_single_trigger_and_no_jobs(tmp_path: Path) -> None:
    _touch(tmp_path, "ci.yml", "on: push\n")
    got = mt.summarise_workflow(tmp_path / "ci.yml")
    assert got.empty and list(got.columns) == ["workflow", "triggers", "job", "runs"]

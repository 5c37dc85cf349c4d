"""Lesson 03, ML maturity levels: which practices this repository shows, level by level.

Why it matters: "we do MLOps" means little; "our pipeline is code, our data is versioned,
CI retrains and tests on every change" can be checked. Each practice below names the
evidence that would prove it (a file, or a file containing a telling call), so the level
this repository has reached is measured, not claimed, and rises as the modules are built.

The levels follow Google Cloud's "MLOps: continuous delivery and automation pipelines in
machine learning": 0 manual process, 1 ML pipeline automation, 2 CI/CD pipeline automation.
Each practice is also tagged ``devops`` (any software team does it) or ``mlops`` (needed
only because a model learns from data).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import matplotlib.pyplot as plt
import pandas as pd
import yaml
from matplotlib.figure import Figure

from labs_common import paths

LEVELS = {0: "manual process", 1: "ML pipeline automation", 2: "CI/CD pipeline automation"}


@dataclass(frozen=True)
class Practice:
    """One practice of a maturity level and the evidence that shows it in a repository."""

    level: int
    name: str
    kind: Literal["devops", "mlops"]
    pattern: str  #: a glob relative to the repository root; alternatives split by "|"
    contains: str | None = None  #: text that one matching file must contain


PRACTICES: tuple[Practice, ...] = (
    Practice(0, "exploration in notebooks", "mlops", "module*/notebooks/*.ipynb"),
    Practice(0, "a data dictionary", "mlops", "docs/data_dictionary.md"),
    Practice(0, "a pinned environment", "devops", "requirements.lock"),
    Practice(1, "the pipeline as code (a stage graph)", "mlops", "dvc.yaml"),
    Practice(1, "parameters outside the code", "mlops", "params.yaml"),
    Practice(1, "versioned data and outputs", "mlops", "dvc.lock"),
    Practice(1, "a data contract checked before training", "mlops", "module01_intro/contract.py"),
    Practice(1, "one feature query for training and serving", "mlops",
             "module03_architecture/warehouse.py", "ROUTE_FEATURES_SQL"),
    Practice(1, "experiment tracking", "mlops", "module*/**/*.py", "mlflow.start_run"),
    Practice(1, "an orchestrated flow", "devops", "capstone/**/*.py|module08_deployment/**/*.py",
             "@flow"),
    Practice(2, "automated tests beside the code", "devops", "module*/tests/test_*.py"),
    Practice(2, "CI on every push", "devops", ".github/workflows/ci.yml"),
    Practice(2, "a model registry with aliases", "mlops", "module*/**/*.py",
             "set_registered_model_alias"),
    Practice(2, "a container image for the service", "devops", "docker/Dockerfile"),
    Practice(2, "drift monitoring", "mlops", "module09_monitoring/**/*.py", "DataDriftPreset"),
    Practice(2, "scheduled monitoring and retraining", "mlops", ".github/workflows/monitor.yml"),
)  # fmt: skip


def find_evidence(practice: Practice, root: Path = paths.ROOT) -> list[str]:
    """Files under ``root`` that show ``practice``, as POSIX paths relative to root.

    Code comes before tests (a test shows the practice is tested, the code that it exists).

    This lesson's own package talks *about* the telling calls (here, in its tests and
    exercises), so it counts as evidence only when a pattern points into it by name.
    """
    root = Path(root)
    found = []
    for path in sorted({p for glob in practice.pattern.split("|") for p in root.glob(glob)}):
        rel = path.relative_to(root)
        if not path.is_file() or ".venv" in rel.parts or _talks_about(practice, rel):
            continue
        try:
            text = "" if practice.contains is None else path.read_text(errors="ignore")
        except FileNotFoundError:  # removed since the glob saw it (another program's temp file)
            continue
        if practice.contains is None or practice.contains in text:
            found.append(rel)
    return [p.as_posix() for p in sorted(found, key=lambda p: ("tests" in p.parts, p))]


def _talks_about(practice: Practice, rel: Path) -> bool:
    return rel.parts[0] == __package__ and not practice.pattern.startswith(__package__)


def check_evidence(
    root: Path = paths.ROOT, practices: tuple[Practice, ...] = PRACTICES
) -> pd.DataFrame:
    """Look for every practice's evidence; one row per practice.

    Returns:
        Columns level, level_name, practice, kind, found (bool), evidence (first file or "").
    """
    rows = []
    for p in practices:
        files = find_evidence(p, root)
        rows.append({"level": p.level, "level_name": LEVELS[p.level], "practice": p.name,
                     "kind": p.kind, "found": bool(files),
                     "evidence": files[0] if files else ""})  # fmt: skip
    return pd.DataFrame(rows)


def reached_level(report: pd.DataFrame) -> int:
    """The highest level whose practices, and those of every lower level above 0, are all found.

    Why it matters: levels build on each other; CI/CD that retrains a model nobody can
    rebuild from a pipeline is not level 2. Level 0 needs nothing: it is where everyone starts.

    Example:
        >>> reached_level(pd.DataFrame({"level": [0, 1, 2], "found": [False, True, False]}))
        1
    """
    level = 0
    for lvl in sorted(set(report["level"]) - {0}):
        if not report.loc[report["level"] == lvl, "found"].all():
            break
        level = lvl
    return level


def summarise_workflow(path: Path) -> pd.DataFrame:
    """One row per job of a GitHub Actions workflow: what triggers it and what it runs.

    Why it matters: the triggers tell DevOps from MLOps at a glance. A push triggers
    tests of the code; a schedule triggers work on *data* that changed while the code
    did not (monitoring, retraining).
    """
    doc = yaml.safe_load(Path(path).read_text()) or {}
    on = doc.get("on", doc.get(True))  # YAML 1.1 reads the bare key `on` as True
    triggers = ", ".join(on) if isinstance(on, dict | list) else str(on)
    return pd.DataFrame(
        [{"workflow": doc.get("name", Path(path).stem), "triggers": triggers, "job": name,
          "runs": [step["run"].strip() for step in job.get("steps", []) if "run" in step]}
         for name, job in (doc.get("jobs") or {}).items()],
        columns=["workflow", "triggers", "job", "runs"],
    )  # fmt: skip


def plot_maturity(report: pd.DataFrame) -> Figure:
    """Bars per level: practices found (DevOps and MLOps) and still missing."""
    counts = (report.assign(status=report["kind"].where(report["found"], "missing"))
              .groupby(["level", "status"]).size().unstack(fill_value=0)
              .reindex(columns=["devops", "mlops", "missing"], fill_value=0))  # fmt: skip
    fig, ax = plt.subplots(figsize=(8, 3))
    counts.index = [f"{lvl}: {LEVELS[lvl]}" for lvl in counts.index]
    counts.plot.barh(stacked=True, ax=ax, color=["#4a79a5", "#59a14f", "#d3d3d3"])
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set(xlabel="practices", title=f"Maturity of this repository: level {reached_level(report)}")
    fig.tight_layout()
    return fig

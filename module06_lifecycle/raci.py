"""Lesson 04, cross-functional teams: who owns which piece of the capstone, as data (RACI).

Why it matters: an ML system crosses more desks than most software. Data engineers own
the tables, data scientists the model, ML engineers the serving, platform engineers the
infrastructure, the product owner the costs that turn scores into decisions, and
operations the decisions themselves. When ownership is implicit, every hand-off between
them is where things break silently. A RACI matrix says, per activity, who is
**R**esponsible (does the work), **A**ccountable (the one who answers for it, exactly one),
**C**onsulted (asked before) and **I**nformed (told after). Kept as data, it can be
checked, plotted, joined with the pipeline's stage graph to find the hand-offs, and
turned into a ``CODEOWNERS`` file so that reviews follow ownership.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

Edge = tuple[str, str]

ROLES = {
    "product": "product owner: the KPIs, the costs, the go/no-go",
    "data_eng": "data engineer: sources, ingestion, data contracts",
    "data_sci": "data scientist: features, models, evaluation",
    "ml_eng": "ML engineer: pipeline, registry, serving, monitoring",
    "platform": "platform engineer: CI/CD, containers, infrastructure, on-call",
    "ops": "operations control: acts on the flags every day",
}
LETTERS = ("A", "R", "C", "I")


@dataclass(frozen=True)
class Activity:
    """One piece of work: its RACI cells, the DVC stage it runs as, the files it owns."""

    name: str
    raci: dict[str, str]
    stage: str | None = None
    paths: tuple[str, ...] = field(default_factory=tuple)


def _a(name: str, raci: str, stage: str | None = None, *paths: str) -> Activity:
    """Build an :class:`Activity` from ``"product=A data_sci=R ..."`` (one cell per role)."""
    cells = dict(item.split("=") for item in raci.split())
    return Activity(name, cells, stage, paths)


#: The capstone's activities, in pipeline order, then the ones around it.
CAPSTONE = [
    _a("cost model and KPIs", "product=A data_sci=R ml_eng=I ops=C", None,
       "params.yaml", "module05_business/cost.py", "module05_business/kpis.py"),
    _a("data contract", "data_eng=AR data_sci=C ml_eng=C", None, "module01_intro/contract.py"),
    _a("ingest", "data_eng=AR data_sci=I", "ingest", "module03_architecture/ingest.py"),
    _a("validate", "data_eng=A ml_eng=R data_sci=I", "validate",
       "module07_experiments/validate.py"),
    _a("features", "data_sci=AR data_eng=C ml_eng=C", "features",
       "module04_ml_fundamentals/features.py"),
    _a("split", "data_sci=AR ml_eng=I", "split", "module04_ml_fundamentals/split.py"),
    _a("train", "data_sci=AR ml_eng=C", "train", "module04_ml_fundamentals/train.py",
       "module07_experiments/train.py"),
    _a("evaluate", "data_sci=AR product=C ml_eng=I", "evaluate",
       "module05_business/evaluate.py", "module05_business/threshold.py"),
    _a("fairness review and model card", "product=A data_sci=R ops=C ml_eng=I", None,
       "module05_business/slices.py", "module05_business/model_card.md.j2"),
    _a("register and promote", "ml_eng=AR data_sci=C product=C ops=I", "register",
       "module08_deployment/register.py"),
    _a("pipeline definition", "ml_eng=AR data_eng=C data_sci=C", None, "dvc.yaml"),
    _a("batch scoring", "ml_eng=AR ops=I", None, "module06_lifecycle/batch.py",
       "module06_lifecycle/predictor.py"),
    _a("online service", "ml_eng=AR platform=C ops=I", None, "module08_deployment/service/"),
    _a("monitoring and alerts", "ml_eng=AR data_sci=C platform=C product=I ops=I", "monitor",
       "module09_monitoring/"),
    _a("retraining decision", "product=A data_sci=R ml_eng=C ops=I", None,
       "module09_monitoring/retrain.py"),
    _a("CI/CD", "platform=AR ml_eng=C data_sci=I", None, ".github/workflows/"),
    _a("containers and infrastructure", "platform=AR ml_eng=C", None, "docker/"),
    _a("on-call for the service", "platform=A ml_eng=R product=I ops=I"),
    _a("acting on the flags", "ops=AR product=C data_sci=I"),
]  # fmt: skip


def raci_frame(activities: list[Activity]) -> pd.DataFrame:
    """Return the matrix: one row per activity, one column per role, ``""`` where none."""
    rows = {a.name: {role: a.raci.get(role, "") for role in ROLES} for a in activities}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("activity")


def raci_problems(frame: pd.DataFrame) -> list[str]:
    """List what breaks the RACI rules, one sentence per problem (``[]`` when sound).

    The rules: each activity has exactly one A and at least one R; a cell holds only the
    letters A, R, C, I; every role is A or R somewhere (else why is it on the team?).

    Example:
        >>> raci_problems(pd.DataFrame({"x": ["AR", "R"], "y": ["A", "C"]}, index=["t", "u"]))
        ["'t' has 2 A (x, y), needs exactly one", "'u' has 0 A (), needs exactly one"]
    """
    problems = []
    for activity, row in frame.iterrows():
        bad = sorted({ch for cell in row for ch in cell if ch not in LETTERS})
        if bad:
            problems.append(f"{activity!r} uses unknown letters {bad}; use A, R, C, I")
        accountable = [role for role, cell in row.items() if "A" in cell]
        if len(accountable) != 1:
            problems.append(
                f"{activity!r} has {len(accountable)} A ({', '.join(accountable)}), "
                "needs exactly one"
            )
        if not any("R" in cell for cell in row):
            problems.append(f"{activity!r} has no R")
    idle = [r for r in frame.columns if not frame[r].str.contains("A|R", regex=True).any()]
    problems += [f"role {role!r} is never A or R" for role in idle]
    return problems


def workload(frame: pd.DataFrame) -> pd.DataFrame:
    """Count each role's cells by letter (a role marked ``AR`` counts once as A, once as R)."""
    counts = {letter: frame.apply(lambda col, x=letter: col.str.contains(x).sum())
              for letter in LETTERS}  # fmt: skip
    return pd.DataFrame(counts).rename_axis("role")


def stage_owners(activities: list[Activity]) -> dict[str, str]:
    """Map each DVC stage to the role accountable for its activity."""
    return {
        a.stage: next(role for role, cell in a.raci.items() if "A" in cell)
        for a in activities
        if a.stage
    }


def handoffs(edges: list[Edge], owners: dict[str, str]) -> pd.DataFrame:
    """The edges of the stage graph where the accountable role changes: the hand-offs.

    Why it matters: inside one role, a change and its consequence meet in one head. At a
    hand-off they do not, so that is where a written contract belongs (a data contract, a
    schema, a model signature) and where a test should stop a breaking change.
    """
    rows = [
        {"upstream": up, "downstream": down, "from": owners[up], "to": owners[down]}
        for up, down in edges
        if owners.get(up) and owners.get(down) and owners[up] != owners[down]
    ]
    return pd.DataFrame(rows, columns=["upstream", "downstream", "from", "to"])


def codeowners(activities: list[Activity], handles: dict[str, str]) -> str:
    """Render a GitHub ``CODEOWNERS`` file: each owned path, reviewed by its A and R roles.

    GitHub applies the *last* matching line, so paths are sorted general to specific
    (a folder before the files inside it).
    """
    lines = ["# Generated from module06_lifecycle/raci.py: reviews follow ownership."]
    owned = {}
    for a in activities:
        roles = [role for role, cell in a.raci.items() if {"A", "R"} & set(cell)]
        for path in a.paths:
            owned[path] = " ".join(dict.fromkeys(handles[r] for r in roles))
    for path in sorted(owned, key=lambda p: (p.count("/") - p.endswith("/"), p)):
        lines.append(f"/{path} {owned[path]}")
    return "\n".join(lines) + "\n"


_SHADES = {"A": "#1f4e79", "R": "#4a79a5", "C": "#a9c4de", "I": "#e4edf6", "": "white"}


def plot_raci(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Draw the matrix as a grid of letters, darker for more ownership (A, R, C, I)."""
    ax = ax or plt.subplots(figsize=(8, 0.35 * len(frame) + 1))[1]
    for y, (_, row) in enumerate(frame.iterrows()):
        for x, cell in enumerate(row):
            colour = _SHADES[cell[0] if cell else ""]
            ax.add_patch(plt.Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="grey"))
            ink = "white" if cell[:1] in {"A", "R"} else "black"
            ax.text(x + 0.5, y + 0.5, cell, ha="center", va="center", color=ink)
    ax.set(xlim=(0, frame.shape[1]), ylim=(frame.shape[0], 0))
    ax.set_xticks([i + 0.5 for i in range(frame.shape[1])], frame.columns, rotation=30)
    ax.set_yticks([i + 0.5 for i in range(frame.shape[0])], frame.index)
    ax.tick_params(length=0)
    return ax

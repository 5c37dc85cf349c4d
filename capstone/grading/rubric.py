"""The final projects' rubric, read from ``capstone/final_projects/rubric.yaml``.

Why it matters: the rubric students read (``rubric.md``) and the one ``labs grade`` applies
must be the same; both come from one YAML file. ``python -m capstone.grading.rubric``
writes ``rubric.md`` from it, and a test fails while the two differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

FOLDER = Path(__file__).resolve().parents[1] / "final_projects"
SOURCE = FOLDER / "rubric.yaml"
MARKDOWN = FOLDER / "rubric.md"
#: The level a machine-judged criterion must reach to be "met" (3 is for a person to give).
MEETS = 2


@dataclass(frozen=True)
class Criterion:
    """One row of the rubric: what each level means, and who judges it."""

    id: str
    name: str
    scope: Literal["all", "group"]
    judged_by: Literal["machine", "person"]
    levels: dict[int, str]
    evidence: str = ""


@lru_cache(maxsize=1)
def load_rubric(path: Path = SOURCE) -> tuple[dict[int, str], tuple[Criterion, ...]]:
    """Return the level names and the criteria; raise ValueError naming what is wrong."""
    data = yaml.safe_load(path.read_text())
    names = {int(k): str(v) for k, v in data["levels"].items()}
    criteria = tuple(Criterion(**c) for c in data["criteria"])
    for c in criteria:
        if set(c.levels) != set(names):
            raise ValueError(f"{path}: criterion {c.id!r} has levels {sorted(c.levels)}, "
                             f"expected {sorted(names)}")  # fmt: skip
        if c.scope not in ("all", "group") or c.judged_by not in ("machine", "person"):
            raise ValueError(f"{path}: criterion {c.id!r}: scope must be all|group, judged_by "
                             f"machine|person; got {c.scope!r}, {c.judged_by!r}")  # fmt: skip
    ids = [c.id for c in criteria]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: criterion ids repeat: {ids}")
    return names, criteria


def criteria_for(group: bool) -> list[Criterion]:
    """The criteria of the individual project, or of the group project (``group=True``)."""
    return [c for c in load_rubric()[1] if group or c.scope == "all"]


def render_markdown() -> str:
    """``rubric.md``: one section per project kind, one row per criterion."""
    names, criteria = load_rubric()
    head = " | ".join(f"{k} {v}" for k, v in sorted(names.items()))
    lines = [
        "# Final projects: the rubric",
        "",
        "<!-- Generated from rubric.yaml by `python -m capstone.grading.rubric`: edit the "
        "YAML, not this file. -->",
        "",
        "Both final projects ([individual](individual.md), [group](group.md)) are graded on "
        "these criteria, each at a level from 0 to 3. **machine**: `labs grade DIR` sets "
        f"levels 0 to {MEETS} by running your project in a throw-away copy (it never changes "
        f"your folder); {MEETS} is *meets*, and the command exits 0 only when every machine "
        "criterion meets. Level 3 (*exceeds*) is always a person's call, on top of the "
        "machine's 2. **person**: the instructor reads your repository and sets the level.",
        "",
    ]
    for title, scope in (("Every project", "all"), ("Group project only (`labs grade --group`)",
                                                    "group")):  # fmt: skip
        lines += [f"## {title}", "", f"| criterion | judged by | {head} |",
                  "|---|---|" + "---|" * len(names)]  # fmt: skip
        for c in (c for c in criteria if c.scope == scope):
            who = f"machine: {c.evidence}" if c.judged_by == "machine" else "person"
            cells = " | ".join(c.levels[k] for k in sorted(names))
            lines.append(f"| **{c.name}** (`{c.id}`) | {who} | {cells} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    MARKDOWN.write_text(render_markdown())

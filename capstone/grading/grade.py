"""``labs grade DIR``: score a final project on the rubric by running it.

Why it matters: an instructor grading thirty projects needs the same evidence for each
(the labs' checks, a fresh ``dvc repro``, the project's own tests) and a file a gradebook
can read; a student needs the same command to know where they stand before handing in.
The machine sets levels 0-2 of the criteria it can judge and lists those a person grades.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from capstone.grading.criteria import SCORERS
from capstone.grading.evidence import Evidence, Seen, gather
from capstone.grading.rubric import MEETS, criteria_for


@dataclass(frozen=True)
class Mark:
    """One criterion's outcome: its level (None until a person sets it) and the evidence."""

    id: str
    name: str
    judged_by: str
    level: int | None
    evidence: list[Seen]

    @property
    def met(self) -> bool | None:
        return None if self.level is None else self.level >= MEETS


@dataclass(frozen=True)
class Grade:
    """The grading of one project: every criterion's mark, the seed, how long it took."""

    project: str
    seed: int
    group: bool
    seconds: float
    marks: list[Mark]

    @property
    def passed(self) -> bool:
        """True when every machine-judged criterion meets the rubric."""
        return all(m.met for m in self.marks if m.judged_by == "machine")

    def to_json(self) -> dict:
        """The gradebook record (schema: ``capstone/tests/test_project.py`` asserts it)."""
        marks = [{**asdict(m), "met": m.met} for m in self.marks]
        return {"project": self.project, "seed": self.seed, "group": self.group,
                "seconds": round(self.seconds, 1), "passed": self.passed,
                "max_machine_level": MEETS, "criteria": marks}  # fmt: skip


def new_seed() -> int:
    """``LABS_CHECK_SEED`` when set (to repeat a run), otherwise a fresh random seed."""
    return int(os.environ.get("LABS_CHECK_SEED") or secrets.randbelow(10**6))


def grade_project(
    project: Path, group: bool = False, seed: int | None = None,
    evidence: Evidence | None = None,
) -> Grade:  # fmt: skip
    """Grade ``project`` on the rubric; it is never modified (everything runs in copies).

    Args:
        project: the project folder (made by ``labs project new``).
        group: include the group project's criteria (roles, code owners, review).
        seed: the labs' random choices; ``LABS_CHECK_SEED`` or a fresh one by default.
        evidence: evidence already gathered for this project (tests reuse it).
    """
    start, project = time.perf_counter(), Path(project).resolve()
    if not (project / "dvc.yaml").is_file() or not (project / ".dvc").is_dir():
        raise FileNotFoundError(f"{project} is not a project (no dvc.yaml or .dvc/); "
                                "students make one with `labs project new DIR`")  # fmt: skip
    seed = new_seed() if seed is None else seed
    evidence = evidence or gather(project, seed)
    marks = []
    for c in criteria_for(group):
        if c.judged_by == "person":
            how = Seen("a person", f"graded by a person; meets: {c.levels[MEETS]}")
            marks.append(Mark(c.id, c.name, c.judged_by, None, [how]))
        else:
            level, seen = SCORERS[c.id](evidence)
            marks.append(Mark(c.id, c.name, c.judged_by, level, seen))
    seconds = time.perf_counter() - start if evidence.seconds == 0 else evidence.seconds
    return Grade(str(project), evidence.seed, group, seconds, marks)


def write_json(grade: Grade, path: Path) -> None:
    """Write the gradebook record, whole or not at all (a temp file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(grade.to_json(), indent=2) + "\n")
    tmp.replace(path)

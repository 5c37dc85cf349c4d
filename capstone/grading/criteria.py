"""How each machine-judged criterion of the rubric turns evidence into a level (0, 1 or 2).

Why it matters: a level is only fair if anyone can see why it was given; every scorer
returns the commands it relied on and what they showed, next to the level.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from capstone.grading.evidence import Evidence, Seen
from capstone.grading.group import score_ownership, score_roles

Score = tuple[int, list[Seen]]


def _lab(ev: Evidence, lab: int) -> Seen:
    report = ev.labs[lab]
    done = sum(r.passed for r in report.results)
    first = next((r for r in report.results if not r.passed), None)
    saw = f"{done}/{len(report.results)} steps pass"
    if first is not None:
        saw += f"; {first.name}: {first.status}: {first.message.splitlines()[0][:160]}"
    return Seen(f"labs check {lab} --project DIR (LABS_CHECK_SEED={ev.seed})", saw)


def _passed(ev: Evidence, lab: int, *steps: str) -> bool:
    """Whether lab ``lab`` passed the named steps (all of its steps when none is named)."""
    statuses = ev.steps(lab)
    return (
        all(s == "pass" for s in statuses.values())
        if not steps
        else all(statuses.get(s) == "pass" for s in steps)
    )


def data(ev: Evidence) -> Score:
    if _passed(ev, 3) and _passed(ev, 4):
        level = 2
    else:
        level = int(_passed(ev, 3, "ingest stage", "random months"))
    return level, [_lab(ev, 3), _lab(ev, 4)]


MLFLOW_STEPS = ("MLflow params and metrics", "MLflow model and dataset", "experiments")


def tracking(ev: Evidence) -> Score:
    if _passed(ev, 5) and _passed(ev, 7, *MLFLOW_STEPS):
        level = 2
    else:
        level = int(_passed(ev, 5) or _passed(ev, 7, MLFLOW_STEPS[0]))
    return level, [_lab(ev, 5), _lab(ev, 7)]


def reproducibility(ev: Evidence) -> Score:
    r = ev.repro
    level = 2 if r.ran and r.up_to_date else int(r.ran)
    seen = [s for s in r.seen if s.command != "pytest"]
    if r.same_metrics is not None:
        same = "the same" if r.same_metrics else "NOT the same"
        seen.append(Seen("compare dvc.lock", f"metrics files: {same} hashes as your dvc.lock"))
    return level, seen


def tests(ev: Evidence) -> Score:
    t = ev.repro.tests
    own = Seen("ls tests/", f"tests of your own: {', '.join(ev.own_tests) or 'none'}")
    pytest_seen = [s for s in ev.repro.seen if s.command == "pytest"]
    if not ev.own_tests:
        return 0, [own, *pytest_seen]
    green = t is not None and t["ran"] > 0 and not (t["failures"] or t["errors"])
    checked = _passed(ev, 7, "your tests", "contract stops the pipeline")
    return (2 if green and checked else 1), [own, *pytest_seen, _lab(ev, 7)]


def serving(ev: Evidence) -> Score:
    if _passed(ev, 6) and _passed(ev, 8):
        level = 2
    else:
        level = int(_passed(ev, 6) or _passed(ev, 8, "registry gate"))
    return level, [_lab(ev, 6), _lab(ev, 8)]


def monitoring(ev: Evidence) -> Score:
    if _passed(ev, 9, "unchanged month", "drifted month"):
        return 2, [_lab(ev, 9)]
    return int(_passed(ev, 9, "unchanged month")), [_lab(ev, 9)]


def ci(ev: Evidence) -> Score:
    files = sorted(p.name for p in (ev.project / ".github" / "workflows").glob("*.y*ml"))
    seen = [Seen("ls .github/workflows/", ", ".join(files) or "no workflow")]
    result = ev.ci_alone or next(r for r in ev.labs[9].results if r.name == "CI workflow")
    where = "lab 09's workflow step" + (" (run alone)" if ev.ci_alone else "")
    seen.append(Seen(where, f"{result.status}: {result.message.splitlines()[0][:160]}"))
    return (2 if result.passed else int(bool(files))), seen


#: A README command that reproduces the project, and one that tests it.
README_COMMANDS = {"reproduce": re.compile(r"\bdvc (repro|pull)\b"),
                   "test": re.compile(r"\bpytest\b")}  # fmt: skip


def code_blocks(readme: str) -> str:
    """The text of the fenced code blocks of a markdown file."""
    return "\n".join(re.findall(r"^```[^\n]*\n(.*?)^```", readme, flags=re.M | re.S))


def documentation(ev: Evidence) -> Score:
    path = ev.project / "README.md"
    if not path.is_file():
        return 0, [Seen("cat README.md", "no README.md")]
    blocks = code_blocks(path.read_text(encoding="utf-8", errors="replace"))
    named = [k for k, pattern in README_COMMANDS.items() if pattern.search(blocks)]
    seen = [Seen("README.md code blocks", f"commands to {' and '.join(named) or 'nothing'} "
                 "(expects `dvc repro` and `pytest`)")]  # fmt: skip
    t, r = ev.repro.tests, ev.repro
    ran = r.ran and r.up_to_date and t is not None and t["ran"] > 0
    ran = ran and not (t["failures"] or t["errors"])
    seen.append(Seen("dvc repro; pytest (above)", "both ran" if ran else "not both ran"))
    return (2 if len(named) == len(README_COMMANDS) and ran else 1), seen


def roles(ev: Evidence) -> Score:
    return score_roles(Path(ev.project))


def ownership(ev: Evidence) -> Score:
    return score_ownership(Path(ev.project))


SCORERS: dict[str, Callable[[Evidence], Score]] = {
    "data": data, "tracking": tracking, "reproducibility": reproducibility, "tests": tests,
    "serving": serving, "monitoring": monitoring, "ci": ci, "documentation": documentation,
    "roles": roles, "ownership": ownership,
}  # fmt: skip

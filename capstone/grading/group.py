"""The group project's machine-checkable roles: a RACI table and a CODEOWNERS file.

Why it matters: module 06 teaches that ownership must be explicit (exactly one
Accountable per activity) and that reviews should follow it (CODEOWNERS). Both are files a
machine can read; whether the team really worked that way is for a person to judge.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pandas as pd

from capstone.grading.evidence import Seen

RACI_FILE = "RACI.md"
CODEOWNERS_PLACES = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS")
#: An owner GitHub accepts: @user, @org/team, or an e-mail address.
OWNER = re.compile(r"^(@[A-Za-z0-9][A-Za-z0-9-]*(/[A-Za-z0-9_.-]+)?|[^@\s]+@[^@\s]+\.[^@\s]+)$")
MUST_OWN = ("dvc.yaml", "params.yaml")


def read_raci(text: str) -> pd.DataFrame | None:
    """The first markdown table whose first header cell is ``activity``, as a RACI frame.

    Rows are activities, columns the members; cells keep their letters (``""`` when empty).

    Example:
        >>> table = "| activity | @ana | @bo |\\n|---|---|---|\\n| ingest | AR | C |"
        >>> read_raci(table).loc["ingest"].tolist()
        ['AR', 'C']
    """
    rows = [line.strip().strip("|").split("|") for line in text.splitlines()
            if line.strip().startswith("|")]  # fmt: skip
    for i, cells in enumerate(rows):
        cells = [c.strip() for c in cells]
        if cells and cells[0].lower() == "activity":
            body = [[c.strip() for c in r] for r in rows[i + 1 :]]
            body = [r for r in body if not set("".join(r)) <= set("-: ")]
            members = cells[1:]
            data = {r[0]: (r[1:] + [""] * len(members))[: len(members)] for r in body}
            return pd.DataFrame.from_dict(data, orient="index", columns=members, dtype=str)
    return None


def score_roles(project: Path) -> tuple[int, list[Seen]]:
    """2 when RACI.md's table follows module 06's rules with two members or more."""
    from module06_lifecycle.raci import raci_problems

    path = project / RACI_FILE
    frame = read_raci(path.read_text(encoding="utf-8")) if path.is_file() else None
    if frame is None or frame.empty:
        return 0, [Seen(f"read {RACI_FILE}", "no table whose first column is 'activity'")]
    problems = raci_problems(frame.fillna(""))
    if len(frame.columns) < 2:
        problems.append(f"{len(frame.columns)} member(s); a group needs two or more")
    saw = f"{len(frame)} activities, members {list(frame.columns)}"
    seen = [Seen(f"raci_problems({RACI_FILE})", f"{saw}; {'; '.join(problems) or 'no problem'}")]
    return (1 if problems else 2), seen


def codeowners_rules(text: str) -> list[tuple[str, list[str]]]:
    """The (pattern, owners) rules of a CODEOWNERS file, comments and blank lines left out."""
    rules = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def owns(pattern: str, path: str) -> bool:
    """Whether a CODEOWNERS ``pattern`` matches ``path`` (the gitignore rules this needs)."""
    anchored, pattern = pattern.startswith("/"), pattern.lstrip("/")
    if pattern in {"*", "**", "**/*"}:
        return True
    if pattern.endswith("/"):
        return path.startswith(pattern) or (not anchored and f"/{pattern}" in f"/{path}")
    if "/" in pattern or anchored:
        return fnmatch.fnmatch(path, pattern)
    return fnmatch.fnmatch(Path(path).name, pattern)


def owners_of(rules: list[tuple[str, list[str]]], path: str) -> list[str]:
    """The owners of ``path``: GitHub applies the last rule that matches it."""
    found: list[str] = []
    for pattern, owners in rules:
        if owns(pattern, path):
            found = owners
    return found


def score_ownership(project: Path) -> tuple[int, list[Seen]]:
    """2 when every CODEOWNERS rule has owners who parse and are RACI members, and the
    pipeline files (dvc.yaml, params.yaml) are owned."""
    path = next((project / p for p in CODEOWNERS_PLACES if (project / p).is_file()), None)
    if path is None:
        return 0, [Seen("ls CODEOWNERS .github/CODEOWNERS docs/CODEOWNERS", "none found")]
    rules = codeowners_rules(path.read_text(encoding="utf-8"))
    raci = project / RACI_FILE
    frame = read_raci(raci.read_text(encoding="utf-8")) if raci.is_file() else None
    members = set(frame.columns) if frame is not None else set()
    problems = [f"{p!r} has no owner" for p, owners in rules if not owners]
    problems += [f"{p!r}: owner {o!r} does not parse" for p, owners in rules for o in owners
                 if not OWNER.match(o)]  # fmt: skip
    problems += [f"{p!r}: {o!r} is not a member in {RACI_FILE}" for p, owners in rules
                 for o in owners if OWNER.match(o) and o not in members]  # fmt: skip
    problems += [f"nobody owns {f}" for f in MUST_OWN if not owners_of(rules, f)]
    rel = path.relative_to(project)
    seen = [Seen(f"read {rel}", f"{len(rules)} rules; {'; '.join(problems[:4]) or 'no problem'}")]
    return (1 if problems or not rules else 2), seen

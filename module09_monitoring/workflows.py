"""The repository's GitHub Actions workflows, read as data (lesson 04).

Why it matters: CI is code that nobody runs locally, so it rots quietly. Reading a
workflow as data (its triggers, jobs, steps, the exact commit of every action it runs)
makes it reviewable and testable like the rest of the course: ``tests/test_workflows.py``
checks these same properties on every ``make test``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from labs_common import paths

WORKFLOWS = paths.ROOT / ".github" / "workflows"
_PIN = re.compile(r"uses:\s*([\w./-]+)@([0-9a-f]{40})\s*#\s*(\S+)")
CRON_FIELDS = ("minute", "hour", "day of month", "month", "day of week")


def load_workflow(path: Path) -> dict:
    """Read a workflow file; the ``on:`` key comes back as ``"on"``.

    Why it matters: YAML 1.1 (PyYAML) reads a bare ``on`` as the boolean ``True``, so
    ``workflow["on"]`` raises a KeyError: a classic surprise when you script CI files.
    """
    workflow = yaml.safe_load(Path(path).read_text())
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps_table(workflow: dict) -> pd.DataFrame:
    """Return one row per step: job, step name, and the action it uses or the command."""
    rows = [
        {
            "job": job_id,
            "step": step.get("name", step.get("uses", "").split("@")[0]),
            "uses": step.get("uses", "").split("@")[0] or None,
            "run": step.get("run", "").strip().splitlines()[0] if "run" in step else None,
            "if": step.get("if"),
        }
        for job_id, job in workflow["jobs"].items()
        for step in job.get("steps", [])
    ]
    return pd.DataFrame(rows)


def action_pins(path: Path) -> pd.DataFrame:
    """Return each pinned action of a workflow file: action, commit SHA and the tag comment.

    Example:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "w.yml"
        >>> _ = f.write_text("- uses: actions/checkout@" + "a" * 40 + " # v7.0.1\\n")
        >>> action_pins(f)[["action", "tag"]].values.tolist()
        [['actions/checkout', 'v7.0.1']]
    """
    found = _PIN.findall(Path(path).read_text())
    table = pd.DataFrame(found, columns=["action", "sha", "tag"])
    return table.drop_duplicates().reset_index(drop=True)


def describe_cron(expression: str) -> dict[str, str]:
    """Name the five fields of a cron expression (GitHub runs schedules in UTC).

    Example:
        >>> describe_cron("17 6 * * 1")["day of week"]
        '1'

    Raises:
        ValueError: not five fields.
    """
    fields = expression.split()
    if len(fields) != len(CRON_FIELDS):
        raise ValueError(f"a cron expression has 5 fields, got {len(fields)}: {expression!r}")
    return dict(zip(CRON_FIELDS, fields, strict=True))

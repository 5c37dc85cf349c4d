"""The GitHub Actions workflows are valid, safe, and run what students run.

Why it matters: a workflow with a typo only fails after a push, and a workflow that runs
something other than `make test` lets CI pass while a student's setup breaks. Both tools
below run offline: check-jsonschema against its bundled GitHub workflow schema, zizmor
with its online audits switched off.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from labs_common import paths

WORKFLOWS = sorted((paths.ROOT / ".github" / "workflows").glob("*.y*ml"))


def tool(name: str) -> str:
    """Find a command installed beside this interpreter (.venv/bin or the conda env)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is not installed; run `make setup` (it is pinned in the lock)"
    return found


def load_workflow(name: str) -> dict:
    return yaml.safe_load((paths.ROOT / ".github" / "workflows" / name).read_text())


def triggers(workflow: dict) -> dict:
    """The `on:` mapping (PyYAML reads the bare key `on` as the boolean True)."""
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_commands(workflow: dict) -> list[str]:
    return [line.strip() for step in steps(workflow) for line in step.get("run", "").splitlines()]


def test_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "monitor.yml"} <= names, f"expected ci.yml and monitor.yml, found {names}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    cmd = [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"{path.name} breaks the workflow schema:\n{out.stdout}{out.stderr}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_zizmor(path: Path) -> None:
    cmd = [tool("zizmor"), "--offline", "--no-progress", "--color=never", str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, f"zizmor found problems in {path.name}:\n{out.stdout}{out.stderr}"


def test_ci_runs_the_students_commands() -> None:
    commands = run_commands(load_workflow("ci.yml"))
    assert "make test" in commands and "make lint" in commands, f"ci.yml runs {commands}"


def test_ci_uses_python_311_and_caches_on_the_lock() -> None:
    setups = [s for s in steps(load_workflow("ci.yml")) if "setup-python" in s.get("uses", "")]
    assert setups, "ci.yml should set up Python with actions/setup-python"
    for step in setups:
        args = step.get("with", {})
        assert str(args.get("python-version")) == "3.11", f"setup-python with {args}"
        assert args.get("cache") == "pip", f"setup-python should cache pip, has {args}"
        assert args.get("cache-dependency-path") == "requirements.lock", f"cache key: {args}"


def test_ci_triggers_on_push_and_pull_request() -> None:
    assert {"push", "pull_request"} <= set(triggers(load_workflow("ci.yml")))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_reads_only_and_pins_actions(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    assert workflow.get("permissions") == {"contents": "read"}, f"{path.name}: permissions"
    for step in steps(workflow):
        uses = step.get("uses")
        if uses:
            ref = uses.rpartition("@")[2]
            assert len(ref) == 40, f"{path.name}: pin {uses} by its full commit SHA"


def test_monitor_runs_on_schedule_and_uploads_reports() -> None:
    workflow = load_workflow("monitor.yml")
    on = triggers(workflow)
    assert "schedule" in on and "workflow_dispatch" in on, f"monitor.yml triggers: {list(on)}"
    commands = run_commands(workflow)
    for expected in ("make setup", ".venv/bin/dvc repro", ".venv/bin/labs monitor"):
        assert expected in commands, f"monitor.yml should run {expected!r}; runs {commands}"
    uploads = [s["with"]["path"] for s in steps(workflow) if "upload-artifact" in s.get("uses", "")]
    assert "reports/monitoring/" in uploads, f"monitor.yml uploads {uploads}"

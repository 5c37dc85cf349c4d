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
    assert "make test" in commands, f"ci.yml runs {commands}"


def test_lint_job_installs_only_ruff_at_the_locks_version() -> None:
    lint = load_workflow("ci.yml")["jobs"]["lint"]
    commands = [line.strip() for s in lint["steps"] for line in s.get("run", "").splitlines()]
    installs = [c for c in commands if "pip install" in c]
    assert len(installs) == 1 and '"ruff==$(sed' in installs[0], installs
    assert "requirements.lock" in installs[0]
    assert {"ruff check .", "ruff format --check ."} <= set(commands), commands
    assert not [c for c in commands if c.startswith("make")], "make setup installs everything"


def test_stack_job_brings_the_compose_stack_up_and_checks_it() -> None:
    stack = load_workflow("ci.yml")["jobs"]["stack"]
    commands = [line.strip() for s in stack["steps"] for line in s.get("run", "").splitlines()]
    order = [
        "docker compose -f docker/compose.yaml config --quiet",
        "bash scripts/image-test.sh --engine docker --keep-image",
        "docker compose -f docker/compose.yaml up --build --wait --wait-timeout 600",
        "bash scripts/stack-test.sh",
    ]
    assert all(c in commands for c in order), commands
    assert [commands.index(c) for c in order] == sorted(commands.index(c) for c in order)
    down = stack["steps"][-1]
    assert down.get("if") == "always()" and "down --volumes" in down["run"]
    script = paths.ROOT / "scripts" / "stack-test.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    for check in ("/ready", "/predict", "stack_check", "mc ls", "FROM predictions",
                  "api/v1/targets", "3000/api/health", "4200/api/health"):  # fmt: skip
        assert check in text, f"scripts/stack-test.sh should check {check}"


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


#: The only write any job gets: the scheduled monitor opens or updates its issue.
JOB_PERMISSIONS = {("monitor.yml", "monitor"): {"contents": "read", "issues": "write"}}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_reads_only_and_pins_actions(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    assert workflow.get("permissions") == {"contents": "read"}, f"{path.name}: permissions"
    for name, job in workflow["jobs"].items():
        expected = JOB_PERMISSIONS.get((path.name, name))
        assert job.get("permissions") == expected, f"{path.name} job {name}: permissions"
    assert "secrets." not in path.read_text(), f"{path.name}: GITHUB_TOKEN only, no secret"
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
    for expected in ("make setup", ".venv/bin/dvc repro register"):
        assert expected in commands, f"monitor.yml should run {expected!r}; runs {commands}"
    monitor = [c for c in commands if c.startswith(".venv/bin/labs monitor")]
    assert monitor and "--fail-on-drift --fail-on-alert" in monitor[0], monitor
    assert "--current month.parquet" in monitor[0], "only the new month, not a replay"
    assert any("module09_monitoring.scheduled next" in c for c in commands)
    assert any(c.startswith("gh issue create") for c in commands)
    assert any(c.startswith("gh issue edit") for c in commands)
    uploads = [s["with"]["path"] for s in steps(workflow) if "upload-artifact" in s.get("uses", "")]
    assert "reports/monitoring/" in uploads[0] and "reports/workspace/" in uploads[0], uploads
    last = steps(workflow)[-1]
    assert last["if"] == "steps.monitor.outputs.code == '3'" and "exit 1" in last["run"]

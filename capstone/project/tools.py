"""Run git, DVC and Python in a student's project with the course's environment.

Why it matters: the project has no environment of its own; its stages call plain
``python``. Putting the course's ``.venv/bin`` first on ``PATH`` (and the offline switches
in the environment) makes ``dvc repro`` run the same Python everywhere: in the student's
shell, in ``labs check`` and in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from labs_common.tooling import OFFLINE_ENV

#: Used only where git has no identity at all (a fresh CI machine); a student's own wins.
GIT_IDENTITY = {"user.name": "Flights Student", "user.email": "student@example.org"}


def project_env(root: Path, **extra: str) -> dict[str, str]:
    """Environment for commands in project ``root``: course Python first, offline, local stores.

    The course's own ``LABS_ROOT`` and MLflow store are removed, so nothing the project runs
    can write into the course repository.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"LABS_ROOT", "MLFLOW_REGISTRY_URI"}}
    env.update(OFFLINE_ENV)
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        MLFLOW_TRACKING_URI=f"sqlite:///{Path(root).resolve()}/mlflow.db",
        PREFECT_HOME=str(Path(root).resolve() / ".prefect"),
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
    )
    env.update(extra)
    return env


def run(
    root: Path, *cmd: str, env: dict[str, str] | None = None, check: bool = True,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run ``cmd`` in ``root`` and capture its output; ``python``/``dvc`` are the course's."""
    if cmd[0] in {"python", "dvc", "pytest"}:
        exe = [sys.executable] if cmd[0] == "python" else [sys.executable, "-m", cmd[0]]
        cmd = (*exe, *cmd[1:])
    result = subprocess.run(list(cmd), cwd=root, env=env or project_env(root),
                            capture_output=True, text=True, timeout=timeout)  # fmt: skip
    if check and result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, cmd, output=result.stdout, stderr=result.stderr
        )
    return result


def ensure_git_identity(root: Path) -> None:
    """Give the repository a local git identity if git has none (commits need one)."""
    for key, value in GIT_IDENTITY.items():
        if run(root, "git", "config", key, check=False).returncode != 0:
            run(root, "git", "config", key, value)


def commit_all(root: Path, message: str) -> bool:
    """Stage everything and commit; return False when there was nothing to commit."""
    run(root, "git", "add", "-A")
    if run(root, "git", "diff", "--cached", "--quiet", check=False).returncode == 0:
        return False
    run(root, "git", "commit", "-q", "-m", message)
    return True


def tail(text: str, lines: int = 12) -> str:
    """The last ``lines`` non-empty lines of a command's output: where the error usually is."""
    kept = [line for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])

"""A throw-away copy of the course repository, for end-to-end tests and benchmarks.

Why it matters: "it works on my machine" often means "it works with my leftovers". Running
the pipeline in a fresh copy, with its own data folder, MLflow store and git history,
proves that what is committed is enough, and leaves the student's workspace untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from labs_common import paths

_GIT_ID = {"GIT_AUTHOR_NAME": "Course", "GIT_AUTHOR_EMAIL": "course@example.org",
           "GIT_COMMITTER_NAME": "Course", "GIT_COMMITTER_EMAIL": "course@example.org"}  # fmt: skip


def source_files(root: Path = paths.ROOT) -> list[str]:
    """The files git would ship: tracked plus new ones, without ignored outputs."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root,
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    return [f for f in out.splitlines() if (root / f).is_file()]


def copy_repo(dst: Path, root: Path = paths.ROOT) -> Path:
    """Copy the repository's source files to ``dst`` and commit them in a new git repo."""
    for name in source_files(root):
        target = dst / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target)
    env = sandbox_env(dst)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "copy"]):
        subprocess.run(cmd, cwd=dst, env=env, check=True, capture_output=True)
    return dst


def sandbox_env(root: Path) -> dict[str, str]:
    """Environment for running the pipeline in ``root``: its own data, stores and Python.

    The registry is pointed at the copy's store as well: a ``MLFLOW_REGISTRY_URI`` inherited
    from the caller (``mlflow.set_registry_uri`` exports it) would register the copy's model
    in the course's own registry, under a run that registry's store has never seen.
    """
    store = f"sqlite:///{root}/.mlflow/mlflow.db"
    return {
        **os.environ,
        **_GIT_ID,
        "LABS_ROOT": str(root),
        "MLFLOW_TRACKING_URI": store,
        "MLFLOW_REGISTRY_URI": store,
        "PREFECT_HOME": str(root / ".prefect"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }


def dvc(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``dvc <args>`` in ``root`` with :func:`sandbox_env`; capture its output."""
    (root / ".mlflow").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "dvc", *args], cwd=root, env=sandbox_env(root),
                          capture_output=True, text=True, check=check)  # fmt: skip

"""MLflow tracking helpers: where runs go, what lineage they carry, how models are logged.

Why it matters: a metric nobody can trace back to its data, code and parameters is an
anecdote. Every training run records the content hash of the data it saw (the same MD5
DVC uses), the git commit, the parameters, and the model itself with its input signature.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import mlflow

from labs_common import paths
from labs_common.artifacts import file_md5
from labs_common.tooling import configure_offline
from module04_ml_fundamentals.train import TRUSTED_TYPES as MODEL_TRUSTED_TYPES

#: The types skops must trust to load our model (defined beside the model, in module 04).
TRUSTED_TYPES = MODEL_TRUSTED_TYPES


def git_commit(root: Path = paths.ROOT) -> str:
    """Return the current git commit (with ``-dirty`` if files changed), or ``unknown``."""
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{sha}-dirty" if dirty.strip() else sha


def use_experiment(name: str) -> str:
    """Point MLflow at the course's store and experiment ``name``; return its id.

    The default store is SQLite inside the repository; its artifacts go beside it, to
    ``.mlflow/artifacts`` (not to ``./mlruns`` of whatever folder you run from). Set
    ``MLFLOW_TRACKING_URI`` to talk to a server instead: nothing else changes.
    """
    uri = configure_offline()["MLFLOW_TRACKING_URI"]
    mlflow.set_tracking_uri(uri)
    existing = mlflow.get_experiment_by_name(name)
    if existing is not None:
        mlflow.set_experiment(experiment_id=existing.experiment_id)
        return existing.experiment_id
    location = None
    if uri.startswith("sqlite:///"):  # artifacts beside the database, wherever it lives
        location = (Path(uri.removeprefix("sqlite:///")).parent / "artifacts").as_uri()
    experiment_id = mlflow.create_experiment(name, artifact_location=location)
    mlflow.set_experiment(experiment_id=experiment_id)
    return experiment_id


def lineage_tags(files: dict[str, Path]) -> dict[str, str]:
    """Tags naming the data (by content hash) and the code (by commit) of a run."""
    tags = {f"data.{name}.md5": file_md5(path) for name, path in files.items()}
    tags["git.commit"] = git_commit()
    return tags

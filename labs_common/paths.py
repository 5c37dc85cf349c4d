"""Where every file of the course lives, built from this file's location.

Why it matters: paths built from the working directory break as soon as a notebook runs
from `module04_ml_fundamentals/notebooks/` instead of the repository root. Building them
from `__file__` makes every stage, test and notebook agree on one layout.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root. ``LABS_ROOT`` overrides it (the Docker image and the end-to-end
#: tests run the same code against another folder).
ROOT = Path(os.environ.get("LABS_ROOT", Path(__file__).resolve().parents[1])).resolve()

PARAMS_PATH = ROOT / "params.yaml"
DATA = ROOT / "data"
RAW = DATA / "raw"
INTERIM = DATA / "interim"
PROCESSED = DATA / "processed"
REPORTS = ROOT / "reports"
MODELS = ROOT / "models"
DOCS = ROOT / "docs"

#: Local tool stores, git-ignored: the course needs no server to track or orchestrate.
MLFLOW_DIR = ROOT / ".mlflow"
MLFLOW_DB = MLFLOW_DIR / "mlflow.db"
MLFLOW_ARTIFACTS = MLFLOW_DIR / "artifacts"
PREFECT_HOME = ROOT / ".prefect"

#: The warehouse the ingest stage builds (module 03).
WAREHOUSE = DATA / "interim" / "warehouse.duckdb"

MODULES = (
    "module01_intro",
    "module02_foundations",
    "module03_architecture",
    "module04_ml_fundamentals",
    "module05_business",
    "module06_lifecycle",
    "module07_experiments",
    "module08_deployment",
    "module09_monitoring",
)


def module_dir(number: int) -> Path:
    """Return the folder of module ``number`` (1-9).

    Example:
        >>> module_dir(1).name
        'module01_intro'
    """
    if not 1 <= number <= len(MODULES):
        raise ValueError(f"module number must be in 1..{len(MODULES)}, got {number}")
    return ROOT / MODULES[number - 1]

"""Lesson 02: three well-known ML project layouts, concept by concept, next to this course's.

Why it matters: every template answers the same questions (where do raw data, parameters,
feature code, the trained model, the tests and the pipeline live?) with different folder
names. Comparing answers shows which choices are conventions and which are principles.
The three layouts were read from the templates' own repositories at the commits in
:data:`SOURCES`; the course's column is checked against the disk by :func:`check_paths`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labs_common import paths

#: Where each layout was read: repository, commit, commit date.
SOURCES = {
    "cookiecutter-data-science v2": (
        "drivendataorg/cookiecutter-data-science", "0f6b163", "2025-07-23"),
    "Made-With-ML": ("GokuMohandas/Made-With-ML", "66e8e43", "2023-12-07"),
    "Kedro project template": ("kedro-org/kedro (kedro/templates/project)", "d58a0b1",
                               "2026-08-20"),
}  # fmt: skip
LAYOUT_NAMES = [*SOURCES, "this course"]

#: concept -> (cookiecutter-data-science, Made-With-ML, Kedro, this course); "" = none.
#: ``{pkg}`` is the project's package; ``*`` in the course column matches every module.
CONCEPTS = {
    "raw data, never edited": ("data/raw/", "datasets/", "data/01_raw/", "data/raw/"),
    "intermediate data": ("data/interim/", "", "data/02_intermediate/", "data/interim/"),
    "data ready for modelling": ("data/processed/", "", "data/05_model_input/",
                                 "data/processed/"),
    "trained models": ("models/", "", "data/06_models/", "models/"),
    "reports and figures": ("reports/figures/", "", "data/08_reporting/", "reports/"),
    "parameters": ("{pkg}/config.py", "madewithml/config.py", "conf/base/parameters.yml",
                   "params.yaml"),
    "settings and paths": ("{pkg}/config.py", "madewithml/config.py", "src/{pkg}/settings.py",
                           "labs_common/config.py"),
    "load the data": ("{pkg}/dataset.py", "madewithml/data.py", "conf/base/catalog.yml",
                      "module03_architecture/ingest.py"),
    "feature code": ("{pkg}/features.py", "madewithml/data.py", "src/{pkg}/pipelines/",
                     "module04_ml_fundamentals/features.py"),
    "training code": ("{pkg}/modeling/train.py", "madewithml/train.py", "src/{pkg}/pipelines/",
                      "module04_ml_fundamentals/train.py"),
    "inference code": ("{pkg}/modeling/predict.py", "madewithml/predict.py", "",
                       "module06_lifecycle/predictor.py"),
    "serving (an API)": ("", "madewithml/serve.py", "", "module08_deployment/"),
    "pipeline definition": ("Makefile", "deploy/jobs/workloads.sh",
                            "src/{pkg}/pipeline_registry.py", "dvc.yaml"),
    "tests": ("tests/ (an option)", "tests/{code,data,model}/", "tests/", "module*/tests/"),
    "notebooks": ("notebooks/", "notebooks/", "notebooks/", "module*/notebooks/"),
    "documentation": ("docs/", "docs/", "docs/", "module*/README.md"),
    "dependencies": ("requirements.txt", "requirements.txt", "requirements.txt",
                     "requirements.lock"),
    "continuous integration": ("", ".github/workflows/", "", ".github/workflows/"),
    "containers": ("", "", "", "docker/"),
}  # fmt: skip


def concept_table() -> pd.DataFrame:
    """Return :data:`CONCEPTS` as a frame: one row per concept, one column per layout."""
    return pd.DataFrame.from_dict(CONCEPTS, orient="index", columns=LAYOUT_NAMES).rename_axis(
        "concept"
    )


def path_status(path: str, root: Path = paths.ROOT) -> str:
    """Say whether a course path exists: ``present``, ``after dvc repro`` or ``missing``.

    A pattern with ``*`` is present when at least one folder matches it. Paths under
    ``data/``, ``models/`` and ``reports/`` are pipeline outputs, absent from a fresh clone.

    Example:
        >>> path_status("dvc.yaml"), path_status("no/such/file")
        ('present', 'missing')
    """
    clean = path.rstrip("/")
    if not clean:
        return "missing"
    if any(Path(root).glob(clean)) if "*" in clean else (Path(root) / clean).exists():
        return "present"
    if clean.split("/")[0] in {"data", "models", "reports"}:
        return "after dvc repro"
    return "missing"


def check_paths(table: pd.DataFrame, root: Path = paths.ROOT) -> pd.DataFrame:
    """Add ``status`` to :func:`concept_table`: does the course's path exist here?"""
    return table.assign(status=[path_status(p, root) for p in table["this course"]])


def coverage(table: pd.DataFrame) -> pd.Series:
    """How many of the concepts each layout gives a place to (a non-empty cell)."""
    return (table[LAYOUT_NAMES] != "").sum().rename("concepts with a place")

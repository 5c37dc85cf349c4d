"""Lesson 04, data versioning: content hashes, the way DVC names a version of your data.

Why it matters: a file name says nothing about what is inside; ``flights.parquet`` today
and last week may differ by one row. DVC records an MD5 of the bytes in ``dvc.lock``, so
one changed row gives a new hash, a new version and a rerun of every stage downstream.
Bytes are not the whole story, though: the same rows written with another compression
give other bytes. A fingerprint of the *rows* tells data changes from encoding changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from labs_common.artifacts import file_md5, read_dvc_lock


def dir_md5(folder: Path) -> str:
    """DVC's hash of a folder: the MD5 of its sorted file listing, plus ``.dir``.

    Why it matters: a folder output (``data/raw``) gets one version; changing any file
    inside, or adding one, changes it, while the unchanged files are stored only once.
    """
    folder = Path(folder)
    listing = [{"md5": file_md5(p), "relpath": p.relative_to(folder).as_posix()}
               for p in sorted(folder.rglob("*")) if p.is_file()]  # fmt: skip
    listing.sort(key=lambda entry: entry["relpath"])
    return (
        hashlib.md5(json.dumps(listing, sort_keys=True).encode(), usedforsecurity=False).hexdigest()
        + ".dir"
    )


def frame_fingerprint(df: pd.DataFrame) -> str:
    """SHA-256 of a frame's columns, dtypes and row values, whatever file format holds it.

    Why it matters: two Parquet files with different compression have different MD5s but
    the same data; this fingerprint is equal for both and changes when one value changes.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def lock_status(lock_path: Path, root: Path | None = None) -> pd.DataFrame:
    """Compare every hash recorded in a ``dvc.lock`` with the files as they are now.

    Why it matters: this is how ``dvc status`` and ``dvc repro`` decide what to rerun: a
    stage whose dependencies still hash the same is skipped. No timestamps, only content.

    Returns:
        One row per dependency and output: stage, kind (dep/out), path, recorded, current
        and status (``unchanged``, ``changed`` or ``missing``).
    """
    root = Path(root) if root else Path(lock_path).parent
    stages = read_dvc_lock(lock_path)
    rows = [
        (stage, kind[:-1], item["path"], item.get("md5", ""), _current_md5(root / item["path"]))
        for stage, entry in stages.items()
        for kind in ("deps", "outs")
        for item in entry.get(kind, [])
    ]
    table = pd.DataFrame(rows, columns=["stage", "kind", "path", "recorded", "current"])
    status = table["current"].eq(table["recorded"]).map({True: "unchanged", False: "changed"})
    return table.assign(status=status.where(table["current"] != "", "missing"))


def _current_md5(path: Path) -> str:
    if path.is_dir():
        return dir_md5(path)
    return file_md5(path) if path.is_file() else ""

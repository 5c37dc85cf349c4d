"""One reader for each file the pipeline's tools write: ``dvc.yaml``, ``dvc.lock``, ``MLmodel``,
and the content hash DVC gives a file.

Why it matters: these files belong to DVC and MLflow; we only read them. Read in four
places with four spellings, one reader tolerated a missing file, another crashed, a third
looked in ``outs`` only. Here each is read once, with the error a student can act on, and
the lessons (module 03's stage graph, module 07's model identity) call these readers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from labs_common import paths

_CHUNK = 2**20
#: The keys of a stage that name what it writes (DVC counts metrics and plots as outputs).
OUTPUT_KEYS = ("outs", "metrics", "plots")


def file_md5(path: Path) -> str:
    """Return the MD5 of a file's bytes, read in 1 MiB chunks: the ``md5`` DVC records.

    Why it matters: a content hash names data by what it is, not where it lies; chunks keep
    memory flat, so a 50 GB file hashes like a 50 kB one.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = p.write_text("abc")
        >>> file_md5(p)
        '900150983cd24fb0d6963f7d28e17f72'
    """
    digest = hashlib.md5(usedforsecurity=False)
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_dvc_stages(
    dvc_yaml: Path = paths.ROOT / "dvc.yaml", allow_empty: bool = False
) -> dict[str, dict]:
    """Return the ``stages`` section of a ``dvc.yaml`` (each stage a dict, never None).

    Args:
        dvc_yaml: the file.
        allow_empty: a file with no stages yet (a new project) gives ``{}`` instead of an error.

    Raises:
        FileNotFoundError: no such file.
        ValueError: no ``stages`` section, or a templated stage (``foreach``/``matrix``)
            that only DVC itself can expand.
    """
    doc = yaml.safe_load(Path(dvc_yaml).read_text()) or {}
    stages = doc.get("stages")
    if allow_empty and not stages:
        return {}
    if not isinstance(stages, dict) or not stages:
        raise ValueError(f"{dvc_yaml} has no 'stages:' section; is it a dvc.yaml?")
    templated = sorted(n for n, s in stages.items() if {"foreach", "matrix"} & set(s or {}))
    if templated:
        raise ValueError(f"stages {templated} use foreach/matrix; run `dvc dag` for those")
    return {name: stage or {} for name, stage in stages.items()}


def stage_paths(entries: Iterable[str | Mapping[str, object]] | None) -> list[str]:
    """Paths of a ``deps``/``outs`` list whose items are ``"path"`` or ``{"path": {options}}``.

    Example:
        >>> stage_paths(["data/raw/", {"models/model": {"cache": False}}])
        ['data/raw', 'models/model']
    """
    out: list[str] = []
    for entry in entries or []:
        out.extend([entry] if isinstance(entry, str) else list(entry))
    return [p.rstrip("/") for p in out]


def stage_io(stage: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """Return ``(deps, outputs)`` of one stage; metrics and plots count as outputs."""
    outputs = [p for key in OUTPUT_KEYS for p in stage_paths(stage.get(key))]  # type: ignore[arg-type]
    return stage_paths(stage.get("deps")), outputs  # type: ignore[arg-type]


def read_dvc_lock(lock: Path = paths.ROOT / "dvc.lock") -> dict[str, dict]:
    """Return the ``stages`` of a ``dvc.lock``: what each stage last ran on and made.

    An absent lock is an empty record (nothing has run yet), not an error.
    """
    lock = Path(lock)
    if not lock.is_file():
        return {}
    return (yaml.safe_load(lock.read_text()) or {}).get("stages") or {}


def lock_hash(lock: Path, path: str, stage: str | None = None, kind: str = "outs") -> str:
    """The ``md5`` ``dvc.lock`` records for ``path`` among a stage's ``outs`` or ``deps``.

    Args:
        lock: the ``dvc.lock`` file.
        path: the repo-relative path, as dvc.yaml writes it (``models/model``).
        stage: only this stage (None: the first stage that lists it).
        kind: ``"outs"`` (what a stage made) or ``"deps"`` (what it read).

    Returns:
        The hash, or ``""`` when the lock does not record it.
    """
    stages = read_dvc_lock(lock)
    chosen = [stages.get(stage, {})] if stage else stages.values()
    for record in chosen:
        for item in record.get(kind, []):
            if item.get("path") == path:
                return item.get("md5", "")
    return ""


def read_mlmodel(model_dir: Path) -> dict:
    """Read the ``MLmodel`` file MLflow wrote beside a model: flavors, signature, ids.

    Raises:
        FileNotFoundError: ``model_dir`` is not an MLflow model folder.
    """
    path = Path(model_dir) / "MLmodel"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found; run `dvc repro train` to write models/model, or give an "
            "MLflow model folder"
        )
    return yaml.safe_load(path.read_text()) or {}

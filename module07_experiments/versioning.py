"""Lesson 04, model versioning: the names one trained model goes by, and how they connect.

Why it matters: "which model is in production?" has four answers in this course, and they
must agree. DVC names the model directory by a content hash in ``dvc.lock``; MLflow names
the logged model ``m-<id>`` inside a run; the registry names it ``flight-delay`` version N
and moves aliases (``champion``, ``challenger``) between versions; the model's signature
names the inputs it accepts. This file reads all four, so a notebook can line them up.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common import contract, paths
from labs_common.artifacts import lock_hash, read_mlmodel
from labs_common.contract import GIT_COMMIT_TAG, TEST_ROC_AUC_TAG, THRESHOLD_TAG, TRAIN_MD5_TAG

#: Version tags the register stage writes (module 08) that a versions table shows.
VERSION_TAGS = (TEST_ROC_AUC_TAG, THRESHOLD_TAG, TRAIN_MD5_TAG, GIT_COMMIT_TAG)


def dvc_out_hash(lock_path: Path, out: str) -> str:
    """The hash ``dvc.lock`` records for output ``out`` (e.g. ``models/model``), or ``""``."""
    return lock_hash(lock_path, out)


def model_identity(root: Path = paths.ROOT) -> dict:
    """Every name of the current model, read from the pipeline's files.

    Returns:
        ``dvc_md5`` (``models/model`` in ``dvc.lock``), ``run_id``, ``model_id`` and
        ``model_uri`` (``reports/train_run.json``), ``registered`` name, ``version`` and
        ``alias`` (``reports/registry.json``), and the ``model_id`` written in
        ``models/model/MLmodel``; missing files give empty values.
    """
    run = _read_json(contract.under(root, contract.TRAIN_RUN))
    registry = _read_json(contract.under(root, contract.REGISTRY_REPORT))
    model_dir = contract.under(root, contract.MODEL_DIR)
    meta = read_mlmodel(model_dir) if (model_dir / "MLmodel").is_file() else {}
    model_out = contract.MODEL_DIR.relative_to(paths.ROOT).as_posix()  # as dvc.lock names it
    return {
        "dvc_md5": dvc_out_hash(root / "dvc.lock", model_out),
        "run_id": run.get("run_id", ""),
        "model_id": run.get("model_id", ""),
        "model_uri": run.get("model_uri", ""),
        "mlmodel_model_id": meta.get("model_id", ""),
        "registered": registry.get("model_name", ""),
        "version": registry.get("version", ""),
        "alias": registry.get("alias", ""),
    }  # fmt: skip


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.is_file() else {}


def versions_table(name: str, client: object | None = None) -> pd.DataFrame:
    """One row per registered version of ``name``: aliases, run, source, key tags, date.

    Args:
        name: the registered model.
        client: an ``MlflowClient`` (default: one for the current tracking URI).
    """
    from mlflow import MlflowClient

    client = client or MlflowClient()
    aliases = client.get_registered_model(name).aliases
    rows = []
    for v in client.search_model_versions(f"name='{name}'"):
        held = sorted(a for a, number in aliases.items() if str(number) == str(v.version))
        created = datetime.fromtimestamp(v.creation_timestamp / 1000, tz=UTC)
        rows.append({"version": int(v.version), "aliases": ", ".join(held), "run_id": v.run_id,
                     "source": v.source, "created": created.strftime("%Y-%m-%d %H:%M:%S"),
                     **{k: v.tags.get(k, "") for k in VERSION_TAGS}})  # fmt: skip
    return pd.DataFrame(rows).sort_values("version").reset_index(drop=True)


def signature_inputs(model_dir: Path) -> pd.DataFrame:
    """The input columns and types a saved MLflow model declares (its ``signature``).

    Why it matters: the signature is the model's contract with its callers. Adding a
    required column or changing a type breaks every caller: a new major version.
    """
    meta = read_mlmodel(model_dir)
    signature = meta.get("signature") or {}
    if not signature.get("inputs"):
        raise ValueError(f"{model_dir} has no input signature; log it with infer_signature")
    columns = json.loads(signature["inputs"])
    return pd.DataFrame([{"name": c.get("name"), "type": c.get("type"),
                          "required": c.get("required", True)} for c in columns])  # fmt: skip


def compare_signatures(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Columns added, removed or retyped between two signatures (empty: compatible).

    Example:
        >>> a = pd.DataFrame({"name": ["x", "y"], "type": ["long", "string"]})
        >>> b = pd.DataFrame({"name": ["x", "z"], "type": ["double", "string"]})
        >>> compare_signatures(a, b)["change"].tolist()
        ['retyped', 'removed', 'added']
    """
    both = old.merge(new, on="name", how="outer", suffixes=("_old", "_new"), indicator=True)
    side = both["_merge"].astype(str)
    retyped = (side == "both") & (both["type_old"] != both["type_new"])
    both["change"] = np.select([side == "left_only", side == "right_only", retyped],
                               ["removed", "added", "retyped"], default="")  # fmt: skip
    order = {"retyped": 0, "removed": 1, "added": 2}
    out = both.loc[both["change"] != "", ["name", "type_old", "type_new", "change"]]
    return out.sort_values("change", key=lambda s: s.map(order), kind="stable").reset_index(
        drop=True
    )

from __future__ import annotations

import doctest
import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest
import yaml
from mlflow import MlflowClient

from module07_experiments import versioning as ver

SIGNATURE = json.dumps([{"type": "long", "name": "month", "required": True},
                        {"type": "string", "name": "carrier", "required": True}])  # fmt: skip


def _fake_root(root: Path) -> Path:
    (root / "reports").mkdir(parents=True)
    (root / "models" / "model").mkdir(parents=True)
    lock = {
        "schema": "2.0",
        "stages": {
            "train": {
                "cmd": "x",
                "outs": [
                    {"path": "models/model", "md5": "abc.dir"},
                    {"path": "reports/train.json", "md5": "d"},
                ],
            }
        },
    }
    (root / "dvc.lock").write_text(yaml.safe_dump(lock))
    (root / "reports" / "train_run.json").write_text(
        json.dumps({"run_id": "r1", "model_id": "m-1", "model_uri": "models:/m-1"})
    )
    (root / "reports" / "registry.json").write_text(
        json.dumps({"model_name": "flight-delay", "version": 3, "alias": "challenger"})
    )
    (root / "models" / "model" / "MLmodel").write_text(
        yaml.safe_dump({"model_id": "m-1", "signature": {"inputs": SIGNATURE}})
    )
    return root  # fmt: skip


def test_dvc_out_hash_finds_an_output_or_gives_empty(tmp_path: Path) -> None:
    root = _fake_root(tmp_path)
    assert ver.dvc_out_hash(root / "dvc.lock", "models/model") == "abc.dir"
    assert ver.dvc_out_hash(root / "dvc.lock", "models/other") == ""


def test_model_identity_lines_up_every_name(tmp_path: Path) -> None:
    identity = ver.model_identity(_fake_root(tmp_path))
    expected = {"dvc_md5": "abc.dir", "run_id": "r1", "model_id": "m-1",
                "model_uri": "models:/m-1", "mlmodel_model_id": "m-1",
                "registered": "flight-delay", "version": 3, "alias": "challenger"}  # fmt: skip
    assert identity == expected


def test_model_identity_of_an_unbuilt_repo_is_empty(tmp_path: Path) -> None:
    assert set(ver.model_identity(tmp_path).values()) == {""}


def test_signature_inputs_reads_names_and_types(tmp_path: Path) -> None:
    table = ver.signature_inputs(_fake_root(tmp_path) / "models" / "model")
    assert table.to_dict("list") == {"name": ["month", "carrier"], "type": ["long", "string"],
                                     "required": [True, True]}  # fmt: skip


def test_signature_inputs_without_a_signature_says_how_to_fix(tmp_path: Path) -> None:
    (tmp_path / "MLmodel").write_text("model_id: m-1\n")
    with pytest.raises(ValueError, match="no input signature; log it with infer_signature"):
        ver.signature_inputs(tmp_path)


def test_compare_signatures_of_equal_signatures_is_empty() -> None:
    a = pd.DataFrame({"name": ["x"], "type": ["long"]})
    assert ver.compare_signatures(a, a.copy()).empty


def test_versioning_docstring_examples_run() -> None:
    assert doctest.testmod(ver).failed == 0


@pytest.mark.slow
def test_versions_table_shows_aliases_and_tags(mlflow_tmp: str, tmp_path: Path) -> None:
    client = MlflowClient()
    client.create_registered_model("m")
    for auc in ("0.70", "0.71"):
        with mlflow.start_run() as run:
            pass
        client.create_model_version("m", source=str(tmp_path), run_id=run.info.run_id,
                                    tags={"test_roc_auc": auc})  # fmt: skip
    client.set_registered_model_alias("m", "champion", "2")
    client.set_registered_model_alias("m", "challenger", "1")
    table = ver.versions_table("m", client)
    assert table["version"].tolist() == [1, 2]
    assert table["aliases"].tolist() == ["challenger", "champion"]
    assert table["test_roc_auc"].tolist() == ["0.70", "0.71"]

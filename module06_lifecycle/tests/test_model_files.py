"""Only skops model folders with the code's trusted types load; anything else runs nothing."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
import skops.io
import yaml
from sklearn.preprocessing import FunctionTransformer

from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.model_files import (
    UnsafeModelError,
    load_skops_model,
    sha256_of,
    skops_file,
)
from module06_lifecycle.predictor import load_from_dir


class TouchOnLoad:
    """Unpickling this object creates ``marker``: the stand-in for a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


def write_mlmodel(folder: Path, fmt: str, model_file: str, trusted: list[str] | None = None):
    sklearn = {"pickled_model": model_file, "serialization_format": fmt, "code": None}
    if trusted is not None:
        sklearn["skops_trusted_types"] = trusted
    meta = {"flavors": {"sklearn": sklearn, "python_function": {"loader_module": "mlflow.sklearn",
            "model_path": model_file}}}  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "MLmodel").write_text(yaml.safe_dump(meta))


@pytest.fixture
def pickled_folder(tmp_path: Path) -> tuple[Path, Path]:
    """An MLflow folder that says pickle and whose model would create a marker file."""
    folder, marker = tmp_path / "evil", tmp_path / "ran-on-load"
    write_mlmodel(folder, "pickle", "model.pkl")
    (folder / "model.pkl").write_bytes(pickle.dumps(TouchOnLoad(marker)))
    return folder, marker


@pytest.mark.parametrize("fmt", ["pickle", "cloudpickle"])
def test_a_pickle_folder_is_refused_and_runs_nothing(
    pickled_folder: tuple[Path, Path], fmt: str
) -> None:
    folder, marker = pickled_folder
    write_mlmodel(folder, fmt, "model.pkl")
    with pytest.raises(UnsafeModelError, match=f"serialization_format is '{fmt}'; only 'skops'"):
        load_skops_model(folder)
    with pytest.raises(UnsafeModelError):
        load_from_dir(folder)
    assert not marker.exists(), "the pickle was opened"
    pickle.loads((folder / "model.pkl").read_bytes())  # the same file does run code
    assert marker.exists()


def test_a_type_the_code_does_not_trust_is_refused_even_if_mlmodel_trusts_it(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "tampered"
    write_mlmodel(folder, "skops", "model.skops", trusted=["posix.getcwd", "posix.system"])
    skops.io.dump(FunctionTransformer(func=os.getcwd), folder / "model.skops")
    with pytest.raises(UnsafeModelError, match=r"does not trust: \['posix.getcwd'\]"):
        load_skops_model(folder)
    assert isinstance(load_skops_model(folder, trusted=["posix.getcwd"]), FunctionTransformer)


@pytest.mark.parametrize(
    ("model_file", "message"),
    [("../outside.skops", "not a .skops file inside"), ("model.pkl", "not a .skops file"),
     ("missing.skops", "not a .skops file inside")],
    ids=["outside", "not-skops", "missing"],
)  # fmt: skip
def test_the_model_file_must_be_a_skops_file_inside_the_folder(
    tmp_path: Path, model_file: str, message: str
) -> None:
    folder = tmp_path / "m"
    write_mlmodel(folder, "skops", model_file)
    skops.io.dump(FunctionTransformer(), tmp_path / "outside.skops")
    (folder / "model.pkl").write_bytes(b"x")
    with pytest.raises(UnsafeModelError, match=message):
        skops_file(folder)


def test_a_folder_without_the_sklearn_flavor_is_refused(tmp_path: Path) -> None:
    (tmp_path / "MLmodel").write_text("flavors:\n  python_function: {}\n")
    with pytest.raises(UnsafeModelError, match="no sklearn flavor"):
        skops_file(tmp_path)


def test_the_real_model_loads_and_a_changed_file_fails_its_hash(
    tiny_setup: TinySetup, tmp_path: Path
) -> None:
    folder = shutil.copytree(tiny_setup.model_dir, tmp_path / "model")
    recorded = sha256_of(folder / "model.skops")
    model = load_skops_model(folder, sha256=recorded)
    flights = tiny_setup.flights.head(5)
    assert (model.predict_proba(flights) == tiny_setup.pipe.predict_proba(flights)).all()
    with open(folder / "model.skops", "ab") as stream:
        stream.write(b"\0")
    with pytest.raises(UnsafeModelError, match=f"but {recorded} was recorded"):
        load_skops_model(folder, sha256=recorded)


def test_the_registry_path_checks_the_recorded_hash(tiny_registry: TinySetup) -> None:
    from mlflow import MlflowClient

    from module06_lifecycle.predictor import HASH_TAG, load_from_registry

    setup = tiny_registry
    client = MlflowClient(setup.tracking_uri, registry_uri=setup.tracking_uri)
    client.set_model_version_tag(setup.name, setup.version, HASH_TAG, "0" * 64)
    try:
        with pytest.raises(UnsafeModelError, match="was recorded at registration"):
            load_from_registry(setup.name, "champion")
    finally:
        client.delete_model_version_tag(setup.name, setup.version, HASH_TAG)
    assert load_from_registry(setup.name, "champion").info.version == setup.version

"""Load a model folder safely: skops only, with the types this code trusts, nothing else.

Why it matters: loading a pickle runs whatever code its author put in it. An MLflow
folder whose ``MLmodel`` says ``serialization_format: pickle`` (or ``cloudpickle``) is
a program, not data; and a skops file is only safe if the list of types it may build
comes from *us*: ``mlflow.sklearn.load_model`` reads that list from the folder's own
``MLmodel``, so a tampered folder or registry version vouches for itself. Here the
format must be skops, the file must sit inside the folder, every type the file needs
must be on :data:`~module04_ml_fundamentals.train.TRUSTED_TYPES` (declared in code,
reviewed like code), and, when a hash was recorded at registration, the file must match
it. Anything else is refused before a byte of the model is turned into objects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from labs_common.artifacts import read_mlmodel
from module04_ml_fundamentals.train import TRUSTED_TYPES


class UnsafeModelError(ValueError):
    """A model folder that this code refuses to load; the message says why and the fix."""


def sklearn_flavor(folder: Path) -> dict:
    """The ``sklearn`` flavor section of ``folder/MLmodel`` (read as plain YAML data)."""
    meta = read_mlmodel(folder)
    flavor = (meta.get("flavors") or {}).get("sklearn")
    if not isinstance(flavor, dict):
        raise UnsafeModelError(
            f"{folder}/MLmodel has no sklearn flavor; only scikit-learn models saved by "
            "mlflow.sklearn in the skops format are served"
        )
    return flavor


def skops_file(folder: Path) -> Path:
    """The folder's ``.skops`` file, after checking the format and where the file is."""
    flavor = sklearn_flavor(folder)
    kind = flavor.get("serialization_format")
    if kind != "skops":
        raise UnsafeModelError(
            f"{folder}: serialization_format is {kind!r}; only 'skops' is loaded, because "
            "pickle and cloudpickle run arbitrary code while loading. Save the model with "
            "mlflow.sklearn.save_model(..., serialization_format='skops')"
        )
    name = str(flavor.get("pickled_model") or "")
    root = folder.resolve()
    path = (root / name).resolve()
    if not name.endswith(".skops") or root not in path.parents or not path.is_file():
        raise UnsafeModelError(
            f"{folder}: the model file {name!r} is not a .skops file inside the folder"
        )
    return path


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, in hex (what registration records as ``model.sha256``)."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_skops_model(
    folder: Path, trusted: Iterable[str] = TRUSTED_TYPES, sha256: str | None = None
) -> object:
    """Load the scikit-learn model of an MLflow folder, refusing anything not known safe.

    Args:
        folder: an MLflow model folder (``models/model``, or a downloaded registry version).
        trusted: the types beyond skops' defaults the model may contain (the code's list;
            the folder's own ``skops_trusted_types`` is ignored on purpose).
        sha256: the hash recorded at registration; when given, the file must match it.

    Raises:
        UnsafeModelError: not skops, a file outside the folder, a type not trusted, or a
            hash mismatch. Nothing of the model has been built when this is raised.
    """
    import skops.io

    path = skops_file(Path(folder))
    if sha256 is not None and (actual := sha256_of(path)) != sha256:
        raise UnsafeModelError(
            f"{path} has SHA-256 {actual}, but {sha256} was recorded at registration: the "
            "file changed since; register the model again or restore the file"
        )
    allowed = set(trusted)
    unexpected = sorted(set(skops.io.get_untrusted_types(file=path)) - allowed)
    if unexpected:
        raise UnsafeModelError(
            f"{path} needs types this code does not trust: {unexpected}. If they are "
            "genuinely safe, review them and add them to TRUSTED_TYPES in "
            "module04_ml_fundamentals/train.py"
        )
    return skops.io.load(path, trusted=sorted(allowed))

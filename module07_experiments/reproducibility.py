"""Lesson 01, reproducibility: four reasons a rerun gives another answer, and their fixes.

Why it matters: "I retrained it and got 0.71 instead of 0.70" starts a week of guessing
unless every source of change is pinned. Same code, same data, same parameters, same
environment, same seeds: change any one and the model changes. Each function below makes
one source visible so a notebook can break reproducibility on purpose and then fix it:

- **seeds**: a sample or a split drawn without a seed (:func:`fit_on_sample`);
- **data versions**: the same code on other bytes (``tracking.file_md5``, ``dvc.lock``);
- **environment**: other library versions (:func:`compare_environment`);
- **non-determinism**: hash order across processes (:func:`set_order_in_new_process`) and
  floating-point sums in another order (:func:`sums_in_shuffled_orders`).
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from labs_common import paths
from module04_ml_fundamentals.features import LABEL
from module04_ml_fundamentals.train import build_pipeline

#: The packages whose versions decide what a trained model computes.
CORE_PACKAGES = ("scikit-learn", "numpy", "pandas", "scipy", "skops", "mlflow")


def fit_on_sample(
    train: pd.DataFrame,
    valid: pd.DataFrame,
    *,
    seed: int | None,
    rows: int = 10_000,
    max_iter: int = 40,
    planes_path: Path = paths.RAW / "planes.parquet",
) -> float:
    """Fit a small gradient-boosting model on a sample of ``train``; return validation ROC AUC.

    Two random draws depend on ``seed``: which flights are sampled, and which tenth of them
    early stopping holds out. With ``seed=None`` both come from NumPy's global generator,
    so each call gives another model unless someone seeded that generator, and nothing
    else drew from it since.

    Args:
        train: labelled flights with the schedule columns (``data/processed/train.parquet``).
        valid: labelled flights to score.
        seed: the seed of both draws, or ``None`` for "whatever the global state gives".
        rows: how many training flights to sample.
        max_iter: boosting iterations (kept small: the lesson fits several models).
        planes_path: the planes table (weather is left out to keep the fit quick).
    """
    sample = train.sample(n=min(rows, len(train)), random_state=seed)
    pipe = build_pipeline(
        "hgb",
        weather_path=None,
        planes_path=str(planes_path),
        use_weather=False,
        seed=seed,  # type: ignore[arg-type]  # None on purpose: the unseeded case
        max_iter=max_iter,
        early_stopping=True,
        validation_fraction=0.1,
    )
    pipe.fit(sample, sample[LABEL])
    return float(roc_auc_score(valid[LABEL], pipe.predict_proba(valid)[:, 1]))


def set_order_in_new_process(values: list[str], hash_seed: int | None) -> list[str]:
    """Return ``list(set(values))`` as computed by a fresh Python process.

    Why it matters: Python salts string hashes per process unless ``PYTHONHASHSEED`` is
    fixed, so the order of a set (or of anything built by iterating one, such as the
    columns of an encoder) can change from one run to the next. ``sorted`` fixes it.

    Args:
        values: the strings to put in a set.
        hash_seed: the ``PYTHONHASHSEED`` of the new process; ``None`` for a random salt.
    """
    env = {**os.environ, "PYTHONHASHSEED": "random" if hash_seed is None else str(hash_seed)}
    code = "import json, sys; print(json.dumps(list(set(json.loads(sys.argv[1])))))"
    out = subprocess.run([sys.executable, "-c", code, json.dumps(values)], env=env,
                         capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
    return json.loads(out.stdout)


def sums_in_shuffled_orders(
    values: np.ndarray, orders: int = 5, seed: int = 0, dtype: type = np.float32
) -> np.ndarray:
    """Add up the same numbers one by one in ``orders`` random orders; return each total.

    Why it matters: floating-point addition is not associative, so the same numbers
    added in another order (rows arriving in another order, threads finishing in another
    order) can give another last digit. Compare floats with a tolerance, or fix the order.

    Example:
        >>> float(0.1 + (0.2 + 0.3)) == float((0.1 + 0.2) + 0.3)
        False
    """
    rng = np.random.default_rng(seed)
    data = np.asarray(values, dtype=dtype)
    return np.array(
        [np.cumsum(data[rng.permutation(data.size)], dtype=dtype)[-1] for _ in range(orders)]
    )


def installed_versions(packages: tuple[str, ...] = CORE_PACKAGES) -> dict[str, str]:
    """Installed version of each package (``"missing"`` when it is not installed)."""
    found = {}
    for name in packages:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "missing"
    return found


def read_pins(path: Path) -> dict[str, str]:
    """Read ``name==version`` lines (a requirements file or the course's lock) into a dict.

    A universal lock pins some packages per platform or Python version
    (``numpy==2.5.5 ; python_full_version >= '3.12'``); only the lines whose marker holds
    here are kept.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
        >>> _ = p.write_text("# pinned\\nNumPy==2.4.6\\nx==1 ; python_version < '3'\\n")
        >>> read_pins(p)
        {'numpy': '2.4.6'}
    """
    from packaging.markers import Marker

    pins = {}
    for line in Path(path).read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)\s*(?:;\s*([^#]+))?", line)
        if match and (not match.group(3) or Marker(match.group(3).strip()).evaluate()):
            pins[_normalise(match.group(1))] = match.group(2)
    return pins


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def compare_environment(recorded: dict[str, str], installed: dict[str, str]) -> pd.DataFrame:
    """Line up recorded and installed versions, one row per package, problems first.

    Args:
        recorded: versions a model or lock file was made with (:func:`read_pins`).
        installed: versions here (:func:`installed_versions`).

    Returns:
        Columns ``package``, ``recorded``, ``installed`` and ``status``: ``same``,
        ``different``, ``not recorded`` or ``not installed``.

    Example:
        >>> compare_environment({"numpy": "2.0"}, {"numpy": "2.1"})["status"].tolist()
        ['different']
    """
    rec = {_normalise(k): v for k, v in recorded.items()}
    ins = {_normalise(k): v for k, v in installed.items() if v != "missing"}
    rows = []
    for name in sorted({*rec, *ins}):
        if name not in rec:
            status = "not recorded"
        elif name not in ins:
            status = "not installed"
        else:
            status = "same" if rec[name] == ins[name] else "different"
        rows.append((name, rec.get(name, "-"), ins.get(name, "-"), status))
    table = pd.DataFrame(rows, columns=["package", "recorded", "installed", "status"])
    order = table["status"].map({"different": 0, "not installed": 1, "not recorded": 2, "same": 3})
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def environment_snapshot(packages: tuple[str, ...] = CORE_PACKAGES) -> dict[str, str]:
    """Python, operating system, processor and core package versions, as one flat dict."""
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        **installed_versions(packages),
    }

"""A one-stage DVC project for trying ``dvc repro`` and ``dvc exp run`` in seconds.

Why it matters: the capstone's ``dvc exp run`` retrains a model for minutes. The commands,
and what DVC records, are the same on a pipeline whose only stage fits a tiny model in a
fraction of a second, so a notebook can run real experiments and compare them with
``dvc exp show`` in a throw-away folder, leaving your workspace alone.

The project: ``flights.npz`` (a labelled sample), ``params.yaml``, ``dvc.yaml`` with one
``train`` stage, and ``train.py``, a copy of this very file (its ``main`` is the stage; it
needs only NumPy and PyYAML, so it starts fast). The model is the smoothed late rate of
each group of flights (by departure hour, carrier, ...), learned on the first months and
scored by ROC AUC on the others. The fitted rates, ``model.json``, are a DVC output (in
DVC's cache, named in ``dvc.lock``, ignored by git), like the capstone's ``models/model``.
Its ``metrics.json`` is tracked by git, which is what lets ``dvc exp show`` read it back
for every experiment.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import yaml

COLUMNS = ("month", "dep_hour", "carrier", "origin", "late")
PARAMS = {"train": {"by": ["dep_hour"], "smoothing": 50, "train_months": 8}}
DVC_YAML = {"stages": {"train": {
    "cmd": "python train.py",
    "deps": ["train.py", "flights.npz"],
    "params": ["train"],
    "outs": ["model.json"],
    "metrics": [{"metrics.json": {"cache": False}}],
}}}  # fmt: skip


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC from ranks (Mann-Whitney), ties counted half; NumPy only.

    Example:
        >>> roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
        0.75
    """
    order = np.argsort(score, kind="stable")
    _, inverse, counts = np.unique(score[order], return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    ranks = np.empty(len(score))
    ranks[order] = ((ends - counts + 1 + ends) / 2)[inverse]
    pos = int(np.sum(y == 1))
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        raise ValueError(f"ROC AUC needs both classes, got {pos} positive and {neg} negative")
    return float((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def fit_rates(
    data: dict[str, np.ndarray], params: dict
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the smoothed late rate of each group on months ``<= train_months``.

    Returns:
        ``(keys, group, rate)``: the distinct group keys (one row each), the group of every
        flight, and the fitted rate of each group (the model).
    """
    unknown = sorted(set(params["by"]) - set(COLUMNS[1:-1]))
    if unknown:
        raise ValueError(f"train.by may use {list(COLUMNS[1:-1])}, got {unknown}")
    keys = np.stack([data[c] for c in params["by"]], axis=1)
    uniques, group = np.unique(keys, axis=0, return_inverse=True)
    group = group.ravel()
    is_train = data["month"] <= params["train_months"]
    if is_train.all() or not is_train.any():
        months = sorted(set(data["month"].tolist()))
        raise ValueError(f"train.train_months={params['train_months']} leaves no train or no "
                         f"test rows; the data has months {months}")  # fmt: skip
    y = data["late"]
    prior = y[is_train].mean()
    late = np.bincount(group[is_train], weights=y[is_train], minlength=group.max() + 1)
    seen = np.bincount(group[is_train], minlength=group.max() + 1)
    rate = (late + params["smoothing"] * prior) / (seen + params["smoothing"])
    return uniques, group, rate


def group_rates(data: dict[str, np.ndarray], params: dict) -> dict:
    """Fit on months ``<= train_months``, score the later ones; return the metrics.

    Args:
        data: arrays named as :data:`COLUMNS` (categories as integer codes).
        params: the ``train`` section: ``by`` (columns that define a group), ``smoothing``
            (pseudo-count pulling small groups to the overall rate), ``train_months``.
    """
    _, group, rate = fit_rates(data, params)
    is_train = data["month"] <= params["train_months"]
    seen = np.bincount(group[is_train], minlength=group.max() + 1)
    test = ~is_train
    return {"test_roc_auc": round(roc_auc(data["late"][test], rate[group[test]]), 6),
            "groups": int((seen > 0).sum()), "test_rows": int(test.sum())}  # fmt: skip


def make_mini_project(dst: Path, flights: object, rows: int = 20_000, seed: int = 0) -> Path:
    """Write the mini project into ``dst`` (a new folder) and commit it in a new git repo.

    Args:
        dst: where to create it; must not exist yet.
        flights: labelled flights (a DataFrame with ``month``, ``sched_dep_time``,
            ``carrier``, ``origin``, ``late``), e.g. ``data/processed/train.parquet``.
        rows: how many to sample into ``flights.npz``.
        seed: the seed of that sample.
    """
    sample = flights.sample(min(rows, len(flights)), random_state=seed)
    arrays = {
        "month": sample["month"].to_numpy(np.int64),
        "dep_hour": sample["sched_dep_time"].to_numpy(np.int64) // 100,
        "carrier": np.unique(sample["carrier"].astype(str), return_inverse=True)[1],
        "origin": np.unique(sample["origin"].astype(str), return_inverse=True)[1],
        "late": sample["late"].to_numpy(np.int64),
    }
    dst.mkdir(parents=True)
    np.savez(dst / "flights.npz", **arrays)
    (dst / "params.yaml").write_text(yaml.safe_dump(PARAMS, sort_keys=False))
    (dst / "dvc.yaml").write_text(yaml.safe_dump(DVC_YAML, sort_keys=False))
    shutil.copy2(Path(__file__), dst / "train.py")
    with _inside(dst):
        subprocess.run(["git", "init", "-q"], check=True, capture_output=True)
        run_dvc(dst, "init", "-q")
        subprocess.run(["git", "add", "-A"], check=True, capture_output=True)
        subprocess.run(["git", "commit", "-qm", "mini project"], check=True, capture_output=True)
    return dst


@contextlib.contextmanager
def _inside(root: Path) -> Iterator[None]:
    """Work in ``root`` with the sandbox environment (git identity, course Python first)."""
    from labs_common.sandbox import sandbox_env

    saved = dict(os.environ)
    os.environ.update(sandbox_env(root))
    try:
        with contextlib.chdir(root):
            yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_dvc(root: Path, *args: str) -> str:
    """Run ``dvc <args>`` in ``root``, in this process (no second start-up); return its output.

    Raises:
        RuntimeError: DVC exited with an error; the message holds its output.
    """
    from dvc.cli import main as dvc_main

    buffer = io.StringIO()
    with (
        _inside(root),
        contextlib.redirect_stdout(buffer),
        contextlib.redirect_stderr(buffer),
        _dvc_logs_to(buffer),
    ):
        code = dvc_main(list(args))
    if code != 0:
        raise RuntimeError(f"dvc {' '.join(args)} failed ({code}):\n{buffer.getvalue()}")
    return buffer.getvalue()


@contextlib.contextmanager
def _dvc_logs_to(stream: io.StringIO) -> Iterator[None]:
    """Point DVC's log handlers (bound to the console when ``dvc`` was imported) at ``stream``."""
    handlers = {h for name in ("dvc", "dvc_objects", "dvc_data")
                for h in logging.getLogger(name).handlers
                if isinstance(h, logging.StreamHandler)}  # fmt: skip
    saved = {h: h.setStream(stream) for h in handlers}
    try:
        yield
    finally:
        for handler, old in saved.items():
            handler.setStream(old)


def git(root: Path, *args: str) -> str:
    """Run ``git <args>`` in ``root`` with the sandbox identity; return its output."""
    with _inside(root):
        done = subprocess.run(["git", *args], check=True, capture_output=True, text=True)
    return done.stdout


def main() -> None:
    """The ``train`` stage: read params.yaml and flights.npz here; write the model, metrics."""
    params = yaml.safe_load(Path("params.yaml").read_text())["train"]
    with np.load("flights.npz") as data:
        metrics = group_rates(dict(data), params)
        keys, _, rate = fit_rates(dict(data), params)
    model = {"by": params["by"], "keys": keys.tolist(), "rate": np.round(rate, 6).tolist()}
    Path("model.json").write_text(json.dumps(model) + "\n")
    Path("metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")


if __name__ == "__main__":
    main()

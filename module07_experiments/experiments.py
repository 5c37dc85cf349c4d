"""Lesson 02, experiment traceability: read runs back, and trace a model to its data and code.

Why it matters: tracking is only worth what you can read back. These functions turn the
MLflow store into a table of runs (parameters, metrics, lineage tags), check that the data
a run recorded is the data on disk today, say which commit the code came from, follow a
registry alias down to that run, and put ``dvc exp show`` into a DataFrame.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from labs_common import paths
from module03_architecture.versioning import file_md5

#: Columns of ``mlflow.search_runs`` kept by :func:`tidy_runs` besides params and metrics.
RUN_COLUMNS = ["run_id", "start_time", "status"]
#: What the lesson notebooks read: the pipeline's split, model, run and registry reports.
PIPELINE_OUTPUTS = (
    "reports/validation.json",
    "data/interim/flights_labelled.parquet",
    "data/processed/test.parquet",
    "models/model/MLmodel",
    "reports/train_run.json",
    "reports/registry.json",
)


def require_pipeline(root: Path = paths.ROOT, needed: tuple[str, ...] = PIPELINE_OUTPUTS) -> None:
    """Stop with a clear message when the pipeline's outputs are not built yet.

    Raises:
        FileNotFoundError: naming the missing files and the command that makes them.
    """
    missing = [rel for rel in needed if not (root / rel).exists()]
    if missing:
        raise FileNotFoundError(
            f"missing pipeline outputs {missing}: run `dvc repro` (or `make pipeline`) from "
            "the repository root first; the lesson reads what it builds"
        )


def tidy_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Keep what compares runs: id, start, status, params, metrics, lineage tags.

    Args:
        runs: the frame ``mlflow.search_runs`` returns.

    Returns:
        Newest run first; lineage tags lose their ``tags.`` prefix (``data.train.md5``,
        ``git.commit``); MLflow's own tags (``tags.mlflow.*``) are dropped.
    """
    if runs.empty:
        return pd.DataFrame(columns=RUN_COLUMNS)
    params = sorted(c for c in runs if c.startswith("params."))
    metrics = sorted(c for c in runs if c.startswith("metrics."))
    lineage = sorted(c for c in runs if c.startswith(("tags.data.", "tags.git.")))
    table = runs[[*RUN_COLUMNS, *metrics, *params, *lineage]]
    table = table.rename(columns={c: c.removeprefix("tags.") for c in lineage})
    return table.sort_values("start_time", ascending=False).reset_index(drop=True)


def runs_table(experiment: str = "flight-delay", max_results: int = 100) -> pd.DataFrame:
    """The runs of ``experiment`` in the course's MLflow store, tidied (newest first)."""
    import mlflow

    from module07_experiments.tracking import use_experiment

    experiment_id = use_experiment(experiment)
    return tidy_runs(mlflow.search_runs([experiment_id], max_results=max_results))


def check_lineage(tags: Mapping[str, str], files: Mapping[str, Path]) -> pd.DataFrame:
    """Compare the data hashes a run recorded (``data.<name>.md5``) with the files today.

    Returns:
        One row per file: ``name``, ``recorded``, ``current`` and ``status`` (``same``,
        ``changed``, ``missing`` when the file is gone, ``not recorded`` when the run has
        no tag for it).
    """
    rows = []
    for name, path in files.items():
        recorded = tags.get(f"data.{name}.md5", "")
        current = file_md5(path) if Path(path).is_file() else ""
        if not recorded:
            status = "not recorded"
        elif not current:
            status = "missing"
        else:
            status = "same" if current == recorded else "changed"
        rows.append((name, recorded, current, status))
    return pd.DataFrame(rows, columns=["name", "recorded", "current", "status"])


def describe_commit(recorded: str, root: Path = paths.ROOT) -> dict:
    """Say what a recorded ``git.commit`` tag means in this repository.

    Why it matters: ``<sha>-dirty`` means the code had uncommitted changes when the run
    started: no commit holds exactly the code that trained the model.

    Returns:
        ``sha``, ``dirty``, ``known`` (the commit exists here), ``date`` and ``subject``.
    """
    sha, dirty = recorded.removesuffix("-dirty"), recorded.endswith("-dirty")
    info = {"sha": sha, "dirty": dirty, "known": False, "date": "", "subject": ""}
    if not sha or sha == "unknown":
        return info
    done = subprocess.run(["git", "log", "-1", "--format=%cI%x00%s", sha, "--"], cwd=root,
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    if done.returncode == 0 and "\x00" in done.stdout:
        date, subject = done.stdout.strip().split("\x00", 1)
        info.update(known=True, date=date, subject=subject)
    return info


def trace_alias(name: str, alias: str, client: object | None = None) -> dict:
    """Follow ``models:/<name>@<alias>`` to its version, run, data hashes and commit.

    Args:
        name: the registered model's name.
        alias: e.g. ``champion``.
        client: an ``MlflowClient`` (default: one for the current tracking URI).
    """
    from mlflow import MlflowClient

    client = client or MlflowClient()
    version = client.get_model_version_by_alias(name, alias)
    run = client.get_run(version.run_id)
    lineage = {k: v for k, v in run.data.tags.items() if k.startswith(("data.", "git."))}
    return {
        "uri": f"models:/{name}@{alias}",
        "version": int(version.version),
        "model_source": version.source,
        "run_id": version.run_id,
        "run_name": run.info.run_name,
        "params": dict(run.data.params),
        "metrics": dict(run.data.metrics),
        "version_tags": dict(version.tags),
        "lineage": lineage,
    }


def exp_table(rows: list[dict], keep_hashes: bool = False) -> pd.DataFrame:
    """Turn ``dvc.api.exp_show()`` rows into a table: one row per commit or experiment.

    Args:
        rows: what ``dvc.api.exp_show(repo=...)`` returns.
        keep_hashes: keep the dependency hash columns (long, but they name the data).
    """
    table = pd.DataFrame(rows)
    table["name"] = table["Experiment"].fillna(table["rev"])
    empty = [c for c in ("parent", "State", "Executor") if c in table and table[c].isna().all()]
    table = table.drop(columns=["Experiment", *empty])
    if not keep_hashes:
        hashes = [c for c in table if table[c].astype(str).str.fullmatch(r"[0-9a-f]{32}").all()]
        table = table.drop(columns=hashes)
    return table.set_index("name")

"""Prefect 3 flows of the capstone: ``train``, ``batch_score``, ``monitor_and_retrain``.

Why it matters: a pipeline that runs only when someone types the commands is a demo. A
flow adds what production needs: each step is a task with a name, a state and a log;
steps that touch files or stores retry on a hiccup (only those: retrying a computation
that failed on bad data would fail again, slower); and the same flow runs on a laptop or,
with another task runner, on a Dask cluster. The tasks only call the modules' functions,
so the flows add orchestration and nothing else.

Run locally, no server needed (Prefect starts a temporary one): ``python -m capstone.flows
monitor``. The DVC stage ``monitor`` runs the same loop without Prefect
(``module09_monitoring.replay.run_replay``; the flow passes it its steps as tasks); a test
checks both give the same summary.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from labs_common.tooling import configure_offline

# Before Prefect is imported: it reads its settings (PREFECT_HOME, the server's start-up
# timeout, analytics off) once, at import.
configure_offline()

import pandas as pd  # noqa: E402
from prefect import flow, task, unmapped  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402

from labs_common import contract, paths  # noqa: E402
from labs_common.config import load_params  # noqa: E402
from labs_common.data import read_table, write_table  # noqa: E402
from module09_monitoring import replay  # noqa: E402
from module09_monitoring.context import (  # noqa: E402
    PRODUCTION_FILES,
    Context,
    monitoring_context,
    month_flights,
    production_flights,
)
from module09_monitoring.params import MonitorParams  # noqa: E402

IO = {"retries": 2, "retry_delay_seconds": 2, "cache_policy": NONE}  # reading and writing
COMPUTE = {"cache_policy": NONE}  # no retries: a computation that failed fails again


def dvc_repro_argv(stages: list[str], force: bool = False) -> list[str]:
    """The ``dvc repro`` command line, run with this Python (so the course's DVC).

    Example:
        >>> dvc_repro_argv(["register"], force=True)[-3:]
        ['repro', '--force', 'register']
    """
    return [sys.executable, "-m", "dvc", "repro", *(["--force"] if force else []), *stages]


@task(**COMPUTE)
def run_command(argv: list[str], cwd: str) -> str:
    """Run a command; raise with its output if it fails; return the last lines it printed."""
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[2:]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return "\n".join(done.stdout.strip().splitlines()[-20:])


@flow(name="train")
def train(
    stages: list[str] | None = None, force: bool = False, command: list[str] | None = None
) -> str:
    """Run the DVC pipeline up to ``stages`` (default: ``register``); DVC skips what is fresh."""
    argv = command or dvc_repro_argv(stages or ["register"], force)
    return run_command(argv, str(paths.ROOT))


@task(**IO)
def load_month(month: int, sources: list[str]) -> pd.DataFrame:
    """Read the rows of one month from flights files (raw schedule columns, ``late`` if known)."""
    return month_flights(production_flights([Path(s) for s in sources]), month)


@task(**COMPUTE)
def score_partition(flights: pd.DataFrame, model_dir: str) -> pd.DataFrame:
    """Score a partition with module 06's batch scorer (probability, decision, version)."""
    from module06_lifecycle.batch import score_frame

    return score_frame(_predictor(model_dir), flights)


def _predictor(model_dir: str) -> object:
    """One predictor per worker process (loading a model takes seconds)."""
    from module06_lifecycle.predictor import load_from_dir

    cache = _predictor.__dict__.setdefault("cache", {})
    if model_dir not in cache:
        cache[model_dir] = load_from_dir(Path(model_dir))
    return cache[model_dir]


@task(**IO)
def write_partition(scored: pd.DataFrame, month: int, out_dir: str) -> str:
    """Write one scored partition to ``<out_dir>/month=MM.parquet``."""
    return str(write_table(scored, Path(out_dir) / f"month={month:02d}.parquet"))


@flow(name="batch_score")
def batch_score(
    months: list[int],
    source: str = str(contract.TEST_SPLIT),
    model_dir: str = str(contract.MODEL_DIR),
    out_dir: str = str(paths.DATA / "predictions" / "flow"),
) -> list[str]:
    """Score monthly partitions in parallel (one task chain per month); return the files.

    Why it matters: partitions are independent, so the task runner may run them at once:
    threads here, Dask workers with :func:`dask_runner` (the scale-out path).
    """
    frames = load_month.map(months, unmapped([source]))
    scored = score_partition.map(frames, unmapped(model_dir))
    return [f.result() for f in write_partition.map(scored, months, unmapped(out_dir))]


def dask_runner(workers: int = 2, processes: bool = True, address: str | None = None) -> object:
    """A Dask task runner: on the scheduler at ``address``, else on a new local cluster.

    Why it matters: with an address (``tcp://host:8786``) the flow borrows workers that
    already run (compose's ``dask-scheduler`` and ``dask-worker``, or a cluster's), and
    leaves them running; without one it starts ``workers`` processes (``processes=False``:
    threads, for tests) and stops them with the flow.
    """
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    kwargs = {
        "n_workers": workers,
        "processes": processes,
        "threads_per_worker": 1,
        "dashboard_address": None,
    }
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=kwargs)


@task(**IO)
def load_inputs(model_dir: str | None, training: str) -> tuple[object, float, pd.DataFrame]:
    """Load the champion's pipeline, its decision threshold and its training rows.

    ``model_dir=None`` loads the registry's ``@champion``, the model in production (as the
    DVC stage does); a folder loads that model instead.
    """
    predictor = replay.production_model(Path(model_dir) if model_dir else None)
    return predictor.model, predictor.threshold, read_table(Path(training))


@task(**COMPUTE)
def start_champion(model: object, training: pd.DataFrame, ctx: Context) -> replay.Champion:
    """Build the first champion's reference (its training data, seasons and drift limits)."""
    return replay.start_champion(model, training, ctx)


@task(**COMPUTE)
def monitor(month: pd.DataFrame, champion: replay.Champion, ctx: Context) -> dict:
    """Score the month with the champion, then run the monitors on it."""
    return replay.score_and_monitor(month, champion, ctx)


@task(**COMPUTE)
def retrain(
    champion: replay.Champion, history: pd.DataFrame, month: pd.DataFrame, ctx: Context
) -> tuple[replay.Champion, dict]:
    """Fit a challenger on newer data, compare it with the champion, promote if it passes."""
    return replay.retrain_and_compare(champion, history, month, ctx)


@task(**IO)
def write_summary(entries: list[dict], out_dir: str) -> str:
    """Write ``summary.json`` (one entry per month)."""
    return str(replay.write_summary(entries, Path(out_dir)))


def _per_month(step: object, label: str, month_at: int) -> Callable[..., object]:
    """Call the task ``step`` under a run name that says which month it works on."""

    def call(*args: object) -> object:
        month = int(args[month_at]["month"].iloc[0])
        return step.with_options(task_run_name=f"{label}-{month:02d}")(*args)

    return call


#: The replay's steps as tasks: the loop itself is module 09's ``run_replay``.
TASK_STEPS = replay.Steps(
    start=start_champion,
    monitor=_per_month(monitor, "monitor", month_at=0),
    retrain=_per_month(retrain, "retrain", month_at=2),
)


@flow(name="monitor_and_retrain")
def monitor_and_retrain(
    months: list[int] | None = None,
    model_dir: str | None = None,
    training: str = str(contract.TRAIN_SPLIT),
    production: list[str] | None = None,
    raw_dir: str = str(paths.RAW),
    out_dir: str = str(replay.OUT_DIR),
    params: MonitorParams | None = None,
) -> list[dict]:
    """Replay production months in order: score, monitor, retrain on drift, maybe promote.

    Args:
        months: the months to replay (default: ``split.production_months``).
        model_dir: a model folder to start from (default: the registry's ``@champion``).
        production: flights files holding those months (default: valid and test).
    """
    course = load_params()
    sources = production or [str(f) for f in PRODUCTION_FILES]
    model, threshold, train_rows = load_inputs(model_dir, training)
    ctx = monitoring_context(
        threshold, params=params, course=course, raw_dir=Path(raw_dir), out_dir=Path(out_dir)
    )
    frames = (
        load_month.with_options(task_run_name=f"load-{m:02d}")(m, sources)
        for m in months or course.split.production_months
    )
    entries = replay.run_replay(model, train_rows, frames, ctx, TASK_STEPS)
    write_summary(entries, out_dir)
    return entries


def main(argv: list[str] | None = None) -> None:
    """``python -m capstone.flows train|batch-score|monitor [--months 9 10] [--scheduler A]``."""
    import argparse

    from labs_common.logs import setup_logging

    parser = argparse.ArgumentParser(prog="python -m capstone.flows")
    parser.add_argument("flow", choices=["train", "batch-score", "monitor"])
    parser.add_argument("--months", type=int, nargs="*", default=None)
    parser.add_argument("--scheduler", help="batch-score on this Dask scheduler (tcp://...)")
    args = parser.parse_args(argv)
    setup_logging()
    if args.flow == "train":
        train()
    elif args.flow == "batch-score":
        runner = {"task_runner": dask_runner(address=args.scheduler)} if args.scheduler else {}
        batch_score.with_options(**runner)(args.months or load_params().split.test_months)
    else:
        monitor_and_retrain(args.months)


if __name__ == "__main__":
    main()

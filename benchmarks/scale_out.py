"""Benchmark: batch scoring ten times the flights in one process, then on a Dask cluster.

Run with ``python -m benchmarks.scale_out`` (``make bench`` runs it). Every scheduled
flight of 2013 (336,776) is written ``--copies`` times (default 10: 3,367,760 rows) as
Parquet partitions of the schedule columns. The same predictor (the registry's champion,
else ``models/model``) then scores every partition twice, through the same function
(``module08_deployment.scale_out.score_file``: read, validate, score, decide, write):

- in this process, one partition after another;
- on a ``distributed.LocalCluster`` of ``--workers`` processes with one thread each,
  the model sent to each worker once (a broadcast ``scatter``).

Both runs use one OpenMP thread per process, so the comparison is one core against
``--workers`` cores. The timings leave out what happens once per cluster, not per batch
(starting the workers, sending the model, a warm-up partition on each worker); the JSON
records those too. The goal from issue 18: identical scores and a speed-up of at least
1.6x on 2 cores. The machine's load average is recorded: on a shared machine the second
core may be busy with someone else's work, so re-run it on a quiet one.

Writes ``benchmarks/results/scale_out.json`` and ``.md``, and the same table into
module 08's README (between the ``scale-out`` markers; a test keeps them equal).
"""

from __future__ import annotations

import os

# Before numpy and scikit-learn start OpenMP: one thread, so one process is one core.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from benchmarks import save_results
from labs_common import contract, paths
from labs_common.data import write_text
from module04_ml_fundamentals.features import SCHEDULE_COLUMNS
from module06_lifecycle.predictor import Predictor
from module08_deployment import scale_out

if TYPE_CHECKING:
    from distributed import Client

RESULTS = paths.ROOT / "benchmarks" / "results" / "scale_out"
README = paths.ROOT / "module08_deployment" / "README.md"
BEGIN, END = "<!-- scale-out:begin -->", "<!-- scale-out:end -->"
GOAL_SPEEDUP = 1.6
#: Partitions scored again with Dask's default MALLOC_TRIM_THRESHOLD_, to show its cost.
TRIM_PARTITIONS = 8


def load_model() -> Predictor:
    """The registry's champion, else the pipeline's ``models/model`` folder."""
    from module06_lifecycle.predictor import ModelNotFoundError, load_predictor

    try:
        return load_predictor()
    except ModelNotFoundError:
        return load_predictor(contract.MODEL_DIR)


def write_partitions(
    flights: pd.DataFrame, copies: int, parts_per_copy: int, folder: Path
) -> list[str]:
    """Write ``copies`` x ``parts_per_copy`` Parquet partitions of the schedule; their paths.

    Why it matters: a batch job at scale reads partitions from shared storage; here a
    temporary folder plays that role, and every copy holds the real 2013 schedule.
    """
    parts = np.array_split(flights[SCHEDULE_COLUMNS], parts_per_copy)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for copy in range(copies):
        for k, part in enumerate(parts):
            files.append(str(folder / f"copy={copy:02d}-part={k:02d}.parquet"))
            part.reset_index(drop=True).to_parquet(files[-1], index=False)
    return files


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return round(time.perf_counter() - start, 2), value


def _openmp_threads() -> int:
    """The most threads any OpenMP/BLAS pool of this process would use."""
    from threadpoolctl import threadpool_info

    return max((pool["num_threads"] for pool in threadpool_info()), default=1)


def score_in_process(predictor: Predictor, files: list[str], out: Path) -> tuple[dict, np.ndarray]:
    """Score every partition here, one after another (after one untimed warm-up)."""
    scale_out.score_file(predictor, files[0], str(out / "warm-up.parquet"))
    targets = [str(out / Path(f).name) for f in files]
    cpu = time.process_time()
    seconds, proba = _timed(lambda: scale_out.score_files(None, predictor, files, targets))
    return {"single_process_s": seconds, "single_cpu_s": _since(cpu)}, proba


def _since(cpu: float) -> float:
    return round(time.process_time() - cpu, 2)


def score_on_local_cluster(
    predictor: Predictor, files: list[str], out: Path, workers: int, trim_memory: bool = False
) -> tuple[dict, np.ndarray]:
    """Start the cluster, send the model, warm each worker up, then time the scoring.

    Besides the wall-clock time, the CPU seconds each worker process used while scoring
    (and this process, which runs the scheduler): the busiest worker's CPU time is what
    the run would take with a free core per worker.
    """
    targets = [str(out / Path(f).name) for f in files]
    start = time.perf_counter()
    with scale_out.dask_client(workers=workers, trim_memory=trim_memory) as client:
        started = round(time.perf_counter() - start, 2)
        sent, model = _timed(lambda: scale_out.send_predictor(client, predictor))
        warmed = _warm_up(client, model, files[0], out)
        before, cpu = client.run(time.process_time), time.process_time()
        seconds, proba = _timed(lambda: scale_out.score_files(client, model, files, targets))
        used, after = _since(cpu), client.run(time.process_time)
        threads = sorted(set(client.run(_openmp_threads).values()))
    worker_cpu = sorted(round(after[w] - before[w], 2) for w in before)
    return {
        "distributed_s": seconds,
        "worker_cpu_s": worker_cpu,
        "worker_cpu_per_partition_s": round(sum(worker_cpu) / len(files), 3),
        "scheduler_and_client_cpu_s": used,
        "worker_threads": threads,
        "cluster_start_s": started,
        "model_send_s": sent,
        "warm_up_s": warmed,
    }, proba


def _warm_up(client: Client, model: object, source: str, out: Path) -> float:
    """Score one partition on each worker (first calls import and compile); the seconds."""
    addresses = list(client.scheduler_info()["workers"])
    targets = [str(out / f"warm-up-{i}.parquet") for i in range(len(addresses))]
    futures = [
        client.submit(scale_out.score_file, model, source, t, workers=[a], pure=False)
        for a, t in zip(addresses, targets, strict=True)
    ]
    return _timed(lambda: client.gather(futures))[0]


def _autogroup() -> bool | None:
    """Whether Linux groups processes by session for CPU sharing (``None``: not Linux)."""
    flag = Path("/proc/sys/kernel/sched_autogroup_enabled")
    return flag.read_text().strip() == "1" if flag.exists() else None


def run(copies: int = 10, workers: int = 2, parts_per_copy: int = 4) -> dict:
    """Score the copies both ways and return every figure."""
    from module06_lifecycle.batch import load_flights

    predictor, flights = load_model(), load_flights()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_partitions(flights, copies, parts_per_copy, Path(tmp) / "in")
        single, here = score_in_process(predictor, files, Path(tmp) / "one")
        cluster, there = score_on_local_cluster(predictor, files, Path(tmp) / "dask", workers)
        trimmed, _ = score_on_local_cluster(
            predictor, files[:TRIM_PARTITIONS], Path(tmp) / "trim", workers, trim_memory=True
        )
    load_after = os.getloadavg()
    speedup = single["single_process_s"] / cluster["distributed_s"]
    return {
        "rows": len(here),
        "copies": copies,
        "partitions": len(files),
        "partition_rows": len(flights) // parts_per_copy,
        "workers": workers,
        "threads_per_worker": 1,
        **single,
        **cluster,
        "single_cpu_per_partition_s": round(single["single_cpu_s"] / len(files), 3),
        "dask_malloc_trim": {
            "partitions": len(files[:TRIM_PARTITIONS]),
            "distributed_s": trimmed["distributed_s"],
            "worker_cpu_per_partition_s": trimmed["worker_cpu_per_partition_s"],
        },
        "speedup": round(speedup, 2),
        "single_core_share": round(single["single_cpu_s"] / single["single_process_s"], 2),
        "worker_core_share": [
            round(c / cluster["distributed_s"], 2) for c in cluster["worker_cpu_s"]
        ],
        "speedup_with_a_free_core_per_worker": round(
            single["single_cpu_s"] / max(cluster["worker_cpu_s"]), 2
        ),
        "goal_speedup": GOAL_SPEEDUP,
        "meets_goal": bool(speedup >= GOAL_SPEEDUP),
        "same_scores": bool(np.array_equal(here, there)),
        "model_version": predictor.info.version,
        "process_threads": _openmp_threads(),
        "cpu_count": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "sched_autogroup": _autogroup(),
        "python": platform.python_version(),
    }


def to_markdown(result: dict) -> str:
    """The table for the results file and module 08's README."""
    r, one, dist = result, result["single_process_s"], result["distributed_s"]
    trim = r["dask_malloc_trim"]
    rows, workers_cpu = f"{r['rows']:,}", " + ".join(str(c) for c in r["worker_cpu_s"])
    lines = [
        "| scoring run | processes | rows | seconds | rows/s | CPU seconds | speed-up "
        "| same scores |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| one process | 1 | {rows} | {one} | {r['rows'] / one:,.0f} | {r['single_cpu_s']} "
        "| 1.00x | - |",
        f"| Dask `LocalCluster` | {r['workers']} | {rows} | {dist} | {r['rows'] / dist:,.0f} "
        f"| {workers_cpu} (+ {r['scheduler_and_client_cpu_s']}) | {r['speedup']:.2f}x "
        f"| {r['same_scores']} |",
        "",
        f"{r['partitions']} partitions of about {r['partition_rows']:,} rows; one thread per "
        f"process. Goal: at least {r['goal_speedup']}x (met: {r['meets_goal']}). With a free "
        f"core per worker the run would take the busiest worker's CPU time: "
        f"{r['speedup_with_a_free_core_per_worker']:.2f}x. Once per cluster, not timed above: "
        f"workers started in {r['cluster_start_s']} s, model sent in {r['model_send_s']} s, "
        f"one warm-up partition per worker in {r['warm_up_s']} s. Machine: {r['cpu_count']} "
        f"CPUs, Python {r['python']}, load average (1 min) {r['load_average_before'][0]} "
        f"before, {r['load_average_after'][0]} after.",
        "",
        f"CPU seconds per partition: {r['single_cpu_per_partition_s']} in one process, "
        f"{r['worker_cpu_per_partition_s']} on the workers; "
        f"{trim['worker_cpu_per_partition_s']} on workers that keep Dask's default "
        f"`MALLOC_TRIM_THRESHOLD_=65536` ({trim['partitions']} partitions scored again).",
    ]
    if r["sched_autogroup"] and r["load_average_before"][0] > r["cpu_count"]:
        lines.append(
            f"\nThe machine was busy and Linux's autogroup scheduling was on (the processes of "
            f"one session share one slice of the CPUs): the single process got "
            f"{r['single_core_share']} of a core, each worker "
            f"{' and '.join(str(c) for c in r['worker_core_share'])} of a core "
            "(CPU seconds / seconds). "
            "Re-run on a quiet machine for the speed-up of the code."
        )
    return "\n".join(lines) + "\n"


def update_readme(markdown: str, readme: Path = README) -> None:
    """Put ``markdown`` between the scale-out markers of ``readme``."""
    text = readme.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    write_text(f"{head}{BEGIN}\n{markdown}{END}{tail}", readme)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale_out")
    parser.add_argument("--copies", type=int, default=10, help="copies of the 2013 flights")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--parts-per-copy", type=int, default=4, help="partitions per copy")
    parser.add_argument(
        "--render", action="store_true", help="only re-write the tables from the saved JSON"
    )
    args = parser.parse_args(argv)
    if args.render:
        result = json.loads(RESULTS.with_suffix(".json").read_text())
    else:
        result = run(args.copies, args.workers, args.parts_per_copy)
    markdown = to_markdown(result)
    save_results(result, markdown, RESULTS)
    update_readme(markdown)
    return result


if __name__ == "__main__":
    from labs_common.logs import setup_logging
    from labs_common.tooling import configure_offline

    configure_offline()
    setup_logging("WARNING")
    main()

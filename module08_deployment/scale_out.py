"""Batch scoring that scales out: module 06's predictor on a Dask cluster of processes.

Why it matters: one Python process scores on one core. When a night's schedule outgrows
it, the batch job does not change its model, its validation or its decision rule; it
changes *where* the partitions are scored. Dask's distributed scheduler runs the same
function on worker processes (on this machine, or on many), the model is sent to each
worker once, and the scores come back in input order: identical to one process, only
sooner. ``benchmarks/scale_out.py`` measures how much sooner; ``labs score --scheduler``
and the capstone's Prefect flow attach to a running scheduler by its address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labs_common.data import read_table, write_table
from module06_lifecycle.batch import score_frame
from module06_lifecycle.predictor import Predictor

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

#: Rows per partition: big enough that a task's overhead (milliseconds) is noise next to
#: its scoring (seconds), small enough that two workers each get several and finish together.
PARTITION_ROWS = 100_000
CONNECT_TIMEOUT = "10s"
MALLOC_TRIM = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"


class SchedulerUnreachableError(ConnectionError):
    """No Dask scheduler answered at the address given; the message says what to do."""


@contextmanager
def dask_client(
    address: str | None = None,
    workers: int = 2,
    timeout: str | None = None,
    trim_memory: bool = False,
) -> Iterator[Client]:
    """Attach to the scheduler at ``address``, or start a cluster of worker processes here.

    Why it matters: the code that scores does not care where the workers are. Without an
    address, a ``LocalCluster`` of ``workers`` processes (one thread each, so one core
    each, and OpenMP limited to one thread by Dask's nanny) runs on this machine and stops
    with the block; with one (``tcp://host:8786``), the workers are someone else's to stop.

    Args:
        trim_memory: keep Dask's ``MALLOC_TRIM_THRESHOLD_=65536`` for the local workers.
            It hands freed memory back to the system sooner, but it also switches off
            glibc's adaptive thresholds, so each large pandas array becomes a fresh
            ``mmap`` and its page faults cost CPU. A batch that scores and forgets its
            partitions runs faster without it (the benchmark measures both).

    Raises:
        SchedulerUnreachableError: nothing answered at ``address`` within ``timeout``
            (default ``CONNECT_TIMEOUT``, 10 s).
    """
    import dask
    from distributed import Client, LocalCluster

    if address is None:
        trim = {} if trim_memory else {MALLOC_TRIM: None}  # None: the variable is not set
        with (
            dask.config.set(trim),  # read by the nannies as they start their workers
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    timeout = timeout or CONNECT_TIMEOUT
    try:
        client = Client(address, timeout=timeout)
    except OSError as exc:  # TimeoutError and refused connections are OSErrors
        raise SchedulerUnreachableError(
            f"no Dask scheduler answered at {address} within {timeout}: start one "
            "(`dask scheduler`, then `dask worker ADDRESS --nthreads 1`) or leave out "
            "--scheduler to score in this process"
        ) from exc
    with client:
        yield client


def send_predictor(client: Client, predictor: Predictor) -> Future:
    """Copy the predictor to every worker once; tasks then receive it by reference.

    Why it matters: passing the model with each task would pickle and ship it again for
    every partition; a broadcast ships it once per worker, where it stays in memory.
    """
    return client.scatter(predictor, broadcast=True, hash=False)


def split_rows(flights: pd.DataFrame, partition_rows: int = PARTITION_ROWS) -> list[pd.DataFrame]:
    """Cut ``flights`` into consecutive partitions of at most ``partition_rows`` rows.

    Example:
        >>> [len(p) for p in split_rows(pd.DataFrame({"a": range(5)}), 2)]
        [2, 2, 1]
    """
    if partition_rows < 1:
        raise ValueError(f"partition_rows must be at least 1, got {partition_rows}")
    starts = range(0, len(flights), partition_rows)
    return [flights.iloc[s : s + partition_rows] for s in starts] or [flights]


def score_on_cluster(
    client: Client,
    predictor: Predictor | Future,
    flights: pd.DataFrame,
    partition_rows: int = PARTITION_ROWS,
) -> pd.DataFrame:
    """Score ``flights`` on the cluster; the same frame :func:`score_frame` returns here.

    Args:
        client: a client of the cluster (see :func:`dask_client`).
        predictor: a :class:`Predictor`, or the future :func:`send_predictor` returned.
        flights: the schedule, any length.
        partition_rows: rows per task.

    Returns:
        The schedule columns with probability, decision and model version, in input order.
    """
    model = predictor if not isinstance(predictor, Predictor) else send_predictor(client, predictor)
    parts = client.scatter(split_rows(flights, partition_rows))
    futures = client.map(score_frame, [model] * len(parts), parts, pure=False)
    scored = client.gather(futures)
    log.info("Scored %s flights in %d partitions on the cluster", f"{len(flights):,}", len(parts))
    return pd.concat(scored, ignore_index=True)


def scheduler_scorer(
    address: str, partition_rows: int = PARTITION_ROWS
) -> Callable[[Predictor, pd.DataFrame], pd.DataFrame]:
    """A drop-in for :func:`score_frame` that scores on the scheduler at ``address``.

    Why it matters: ``run_batch`` takes its scoring step as an argument, so the same batch
    job (load, score, write, summarise) runs in this process or on a cluster.
    """

    def score(predictor: Predictor, flights: pd.DataFrame) -> pd.DataFrame:
        with dask_client(address) as client:
            return score_on_cluster(client, predictor, flights, partition_rows)

    return score


def score_file(predictor: Predictor, source: str, target: str) -> np.ndarray:
    """Read a schedule file, score it, write the scored Parquet; return the probabilities.

    Why it matters: at scale the data does not travel through the client: each task reads
    its own partition from shared storage and writes its own result. The probabilities
    come back so that a caller can compare runs exactly (8 bytes a flight).
    """
    scored = score_frame(predictor, read_table(Path(source)))
    write_table(scored, Path(target))
    return scored["probability"].to_numpy()


def score_files(
    client: Client | None,
    predictor: Predictor | Future,
    sources: Sequence[str],
    targets: Sequence[str],
) -> np.ndarray:
    """Run :func:`score_file` once per file; return the probabilities in file order.

    With a client, one task per file on the cluster (``predictor`` is then best the future
    :func:`send_predictor` returned); with ``None``, here, one file after another.
    """
    if len(sources) != len(targets):
        raise ValueError(f"one target per source: got {len(sources)} and {len(targets)}")
    if client is None:
        pairs = zip(sources, targets, strict=True)
        return np.concatenate([score_file(predictor, s, t) for s, t in pairs])
    futures = client.map(score_file, [predictor] * len(sources), sources, targets, pure=False)
    return np.concatenate(client.gather(futures))

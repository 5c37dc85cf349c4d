"""Batch scoring on Dask gives exactly the scores of one process, in the same order.

A scheduler is started by the tests on 127.0.0.1 (TCP, so everything is serialised as it
would be between machines) and the code under test attaches to it by its address.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from module06_lifecycle.batch import run_batch, score_frame
from module06_lifecycle.fixtures import TinySetup
from module06_lifecycle.predictor import Predictor, load_from_dir
from module08_deployment import scale_out
from module08_deployment.server import free_port


@pytest.fixture
def predictor(tiny_setup: TinySetup) -> Predictor:
    return load_from_dir(tiny_setup.model_dir, metrics_path=tiny_setup.metrics_path)


@pytest.mark.parametrize(
    ("rows", "size", "lengths"),
    [(10, 3, [3, 3, 3, 1]), (6, 6, [6]), (4, 10, [4]), (0, 5, [0])],
    ids=["remainder", "exact", "one-small", "empty"],
)
def test_split_rows_keeps_every_row_in_order(rows: int, size: int, lengths: list[int]) -> None:
    frame = pd.DataFrame({"a": np.arange(rows)})
    parts = scale_out.split_rows(frame, size)
    assert [len(p) for p in parts] == lengths
    assert pd.concat(parts)["a"].tolist() == list(range(rows))


def test_split_rows_refuses_an_empty_partition() -> None:
    with pytest.raises(ValueError, match="partition_rows must be at least 1, got 0"):
        scale_out.split_rows(pd.DataFrame({"a": [1]}), 0)


@pytest.mark.slow
def test_score_on_cluster_equals_one_process(scheduler: str, predictor: Predictor) -> None:
    flights = predictor_flights(seed=3)
    with scale_out.dask_client(scheduler) as client:
        spread = scale_out.score_on_cluster(client, predictor, flights, partition_rows=170)
    pd.testing.assert_frame_equal(spread, score_frame(predictor, flights))


@pytest.mark.slow
def test_score_files_equals_one_process(
    scheduler: str, predictor: Predictor, tmp_path: Path
) -> None:
    parts = np.array_split(predictor_flights(seed=4), 3)
    sources = [str(tmp_path / f"in-{i}.parquet") for i in range(3)]
    for part, source in zip(parts, sources, strict=True):
        part.to_parquet(source)
    here = [str(tmp_path / f"here-{i}.parquet") for i in range(3)]
    there = [str(tmp_path / f"there-{i}.parquet") for i in range(3)]
    local = np.concatenate(
        [scale_out.score_file(predictor, *st) for st in zip(sources, here, strict=True)]
    )
    with scale_out.dask_client(scheduler) as client:
        model = scale_out.send_predictor(client, predictor)
        spread = scale_out.score_files(client, model, sources, there)
    np.testing.assert_array_equal(spread, local)
    for a, b in zip(here, there, strict=True):
        pd.testing.assert_frame_equal(pd.read_parquet(a), pd.read_parquet(b))


@pytest.mark.slow
def test_run_batch_on_a_scheduler_writes_the_same_file(
    scheduler: str, predictor: Predictor, tmp_path: Path
) -> None:
    source = tmp_path / "schedule.parquet"
    predictor_flights(seed=5).to_parquet(source)
    here = run_batch(predictor, input_path=source, output_path=tmp_path / "here.parquet")
    there = run_batch(
        predictor,
        input_path=source,
        output_path=tmp_path / "there.parquet",
        score=scale_out.scheduler_scorer(scheduler, partition_rows=100),
    )
    assert (there.rows, there.flagged) == (here.rows, here.flagged)
    pd.testing.assert_frame_equal(pd.read_parquet(there.output), pd.read_parquet(here.output))


def test_dask_client_names_an_address_where_nothing_listens() -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    match = f"no Dask scheduler answered at {address}"
    with (
        pytest.raises(scale_out.SchedulerUnreachableError, match=match),
        scale_out.dask_client(address, timeout="1s"),
    ):
        pass


def predictor_flights(seed: int, n: int = 600) -> pd.DataFrame:
    """A seeded sample of real flights the tiny model did not necessarily see."""
    from module06_lifecycle.fixtures import sample_flights

    return sample_flights(n, seed=seed)


@pytest.mark.slow
def test_local_cluster_scores_in_other_processes_with_one_thread(predictor: Predictor) -> None:
    import os

    flights = predictor_flights(seed=6, n=300)
    with scale_out.dask_client(workers=2) as client:
        pids = set(client.run(os.getpid).values())
        threads = set(client.run(lambda: os.environ.get("OMP_NUM_THREADS")).values())
        spread = scale_out.score_on_cluster(client, predictor, flights, partition_rows=100)
    assert len(pids) == 2 and os.getpid() not in pids
    assert threads == {"1"}
    pd.testing.assert_frame_equal(spread, score_frame(predictor, flights))

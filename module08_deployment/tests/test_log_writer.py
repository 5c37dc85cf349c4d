from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from module08_deployment.prediction_log import Row
from module08_deployment.service.log_writer import PredictionLogWriter


class MemoryStore:
    """A store that keeps batches in memory and can fail its first writes."""

    def __init__(self, fail_writes: int = 0, fail_connect: bool = False) -> None:
        self.batches: list[list[Row]] = []
        self.fail_writes = fail_writes
        self.fail_connect = fail_connect
        self.closed = False

    def connect(self) -> None:
        if self.fail_connect:
            raise OSError("disk on fire")

    def write(self, rows: Sequence[Row]) -> None:
        if self.fail_writes:
            self.fail_writes -= 1
            raise OSError("database is locked")
        self.batches.append(list(rows))

    def check(self) -> None:
        if self.fail_writes:
            raise OSError("database is locked")

    def close(self) -> None:
        self.closed = True

    @property
    def rows(self) -> list[Row]:
        return [row for batch in self.batches for row in batch]


def test_writer_writes_everything_by_stop_and_closes() -> None:
    store = MemoryStore()
    writer = PredictionLogWriter(store, batch_rows=10, flush_seconds=5)
    writer.start()
    for i in range(25):
        writer.submit([(i,)])
    assert writer.stop() == 25
    assert store.rows == [(i,) for i in range(25)]
    assert store.closed and not writer.alive


def test_writer_batches_rows_per_transaction() -> None:
    store = MemoryStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=5)
    writer.start()
    writer.submit([(i,) for i in range(250)])
    writer.stop()
    assert [len(b) for b in store.batches] == [250], "one request's rows stay together"


def test_writer_flushes_on_its_interval_without_stop() -> None:
    store = MemoryStore()
    done = threading.Event()
    writer = PredictionLogWriter(store, flush_seconds=0.05, on_written=lambda w, f: done.set())
    writer.start()
    writer.submit([(1,)])
    assert done.wait(5), "a lone row must not wait for a full batch"
    assert store.rows == [(1,)]
    writer.stop()


def test_writer_keeps_failed_rows_and_retries() -> None:
    store = MemoryStore(fail_writes=2)
    outcomes: list[tuple[int, int]] = []
    writer = PredictionLogWriter(
        store, flush_seconds=0.01, on_written=lambda w, f: outcomes.append((w, f))
    )
    writer.start()
    writer.submit([(1,), (2,)])
    assert writer.stop() == 2
    assert store.rows == [(1,), (2,)]
    assert (0, 2) in outcomes and outcomes[-1] == (2, 0)


def test_writer_loses_nothing_under_concurrent_submits() -> None:
    store = MemoryStore()
    writer = PredictionLogWriter(store, batch_rows=64, flush_seconds=0.01)
    writer.start()

    def client(k: int) -> None:
        for i in range(300):
            writer.submit([(k, i)])

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert writer.stop() == 2400
    assert len(set(store.rows)) == 2400


def test_writer_start_raises_when_the_store_cannot_open() -> None:
    writer = PredictionLogWriter(MemoryStore(fail_connect=True))
    with pytest.raises(RuntimeError, match="prediction log cannot open its store: disk on fire"):
        writer.start()
    assert not writer.alive


def test_backlog_counts_rows_not_requests() -> None:
    writer = PredictionLogWriter(MemoryStore(), batch_rows=1000, flush_seconds=60)
    for _ in range(3):
        writer.submit([("r",)] * 45)  # not started: everything waits
    assert writer.backlog == 135


class BlockingStore(MemoryStore):
    """A store whose writes and checks wait until ``release`` is set (a locked database)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, rows: Sequence[Row]) -> None:
        self.release.wait()
        super().write(rows)

    def check(self) -> None:
        self.release.wait()


def test_problem_names_a_stalled_store_and_the_rows_waiting() -> None:
    store = BlockingStore()
    writer = PredictionLogWriter(store, batch_rows=2, flush_seconds=0.01, stall_seconds=0.2)
    writer.start()
    assert writer.problem is None
    writer.submit([("a",), ("b",), ("c",)])
    time.sleep(0.5)
    assert writer.problem is not None and "has not answered for" in writer.problem
    assert writer.backlog == 3
    store.release.set()
    writer.stop()
    assert writer.problem is not None  # stopped: not writing any more
    assert len(store.rows) == 3


def test_problem_reports_a_failing_store_until_a_write_works() -> None:
    writer = PredictionLogWriter(MemoryStore(fail_writes=1), batch_rows=1, flush_seconds=0.01)
    writer.start()
    writer.submit([("a",)])
    deadline = time.monotonic() + 5
    seen = None
    while time.monotonic() < deadline and writer.written == 0:
        seen = seen or writer.problem
        time.sleep(0.001)
    assert seen is not None and "OSError: database is locked" in seen
    assert writer.written == 1 and writer.problem is None
    writer.stop()

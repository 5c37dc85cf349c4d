"""The prediction-log writer when its store fails, then recovers, in separate cycles.

The failure and the recovery happen while the service runs, not at shutdown: the rows
must stay pending through the failed cycles and then be written exactly once, before
``stop()`` is ever called (so the shutdown retry cannot be what saves them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from module08_deployment.prediction_log import Row
from module08_deployment.service.log_writer import PredictionLogWriter

WAIT = 10.0


class FlakyStore:
    """A store whose writes fail until :meth:`recover` is called (a locked database)."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.failures = 0
        self.healthy = threading.Event()
        self.failed_once = threading.Event()
        self.closed = False

    def connect(self) -> None:
        pass

    def write(self, rows: Sequence[Row]) -> None:
        if not self.healthy.is_set():
            self.failures += 1
            self.failed_once.set()
            raise OSError("database is locked")
        self.rows.extend(rows)

    def recover(self) -> None:
        self.healthy.set()

    def close(self) -> None:
        self.closed = True


def test_writer_keeps_rows_through_failed_cycles_then_writes_them_once() -> None:
    store = FlakyStore()
    written = threading.Event()
    outcomes: list[tuple[int, int]] = []

    def on_written(ok: int, failed: int) -> None:
        outcomes.append((ok, failed))
        if ok:
            written.set()

    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=0.02, on_written=on_written)
    writer.start()
    writer.submit([(1,), (2,), (3,)])
    assert store.failed_once.wait(WAIT), "the first write should have been attempted"
    assert writer.alive and store.rows == []
    assert writer.backlog == 3, "a failed batch stays pending, it is not dropped"
    assert writer.written == 0

    store.recover()
    assert written.wait(WAIT), "the next cycle should write the pending rows"
    assert store.rows == [(1,), (2,), (3,)]
    assert writer.backlog == 0 and writer.written == 3
    assert (0, 3) in outcomes and (3, 0) in outcomes

    writer.submit([(4,)])
    assert writer.stop() == 4
    assert store.rows == [(1,), (2,), (3,), (4,)], "each row exactly once"
    assert store.closed and not writer.alive


def test_writer_rows_submitted_during_an_outage_join_the_pending_ones() -> None:
    store = FlakyStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=0.02)
    writer.start()
    writer.submit([(1,)])
    assert store.failed_once.wait(WAIT)
    writer.submit([(2,), (3,)])
    failures, deadline = store.failures, time.monotonic() + WAIT
    while store.failures < failures + 2 and time.monotonic() < deadline:
        time.sleep(0.01)  # at least two more failed cycles, the new rows among them
    assert store.failures >= failures + 2
    assert store.rows == [] and writer.backlog == 3
    store.recover()
    assert writer.stop() == 3
    assert sorted(store.rows) == [(1,), (2,), (3,)]


def test_writer_at_shutdown_with_a_store_that_never_recovers_reports_the_loss() -> None:
    store = FlakyStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=0.02)
    writer.start()
    writer.submit([(1,), (2,)])
    assert store.failed_once.wait(WAIT)
    before = store.failures
    assert writer.stop() == 0, "nothing could be written"
    assert store.failures - before >= 3, "shutdown retries the final batch three times"
    assert store.rows == [] and store.closed

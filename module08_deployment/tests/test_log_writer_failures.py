"""The prediction-log writer when its store fails, then recovers, in separate cycles.

The failure and the recovery happen while the service runs, not at shutdown: the rows
must stay pending through the failed cycles and then be written exactly once, before
``stop()`` is ever called (so the shutdown retry cannot be what saves them).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

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


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]


class BlockingStore(FlakyStore):
    """A store whose write hangs until released (a database that stopped answering)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def write(self, rows: Sequence[Row]) -> None:
        self.entered.set()
        self.release.wait(WAIT)
        self.rows.extend(rows)


def test_stop_gives_up_after_its_timeout_and_says_how_many_rows_wait(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = BlockingStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=0.01)
    writer.start()
    writer.submit([(1,), (2,), (3,)])
    assert store.entered.wait(WAIT)
    releaser = threading.Timer(3.0, store.release.set)  # frees a stop() that waited forever
    releaser.start()
    try:
        with caplog.at_level("ERROR", logger="module08_deployment.service.log_writer"):
            assert writer.stop(timeout=0.2) == 0
        assert writer.alive, "stop() returned before the stuck write finished"
        assert _errors(caplog) == [
            f"prediction log: {writer.backlog} rows still unwritten after 0 s"
        ]
    finally:
        store.release.set()
        releaser.cancel()


def _recording_writer(**settings: float) -> tuple[FlakyStore, PredictionLogWriter, list[int]]:
    """A started writer on a store that works, and the rows of each of its writes, in order."""
    store, writes = FlakyStore(), []
    store.recover()
    writer = PredictionLogWriter(store, on_written=lambda ok, _: writes.append(ok), **settings)
    writer.start()
    return store, writer, writes


def test_rows_submitted_within_the_interval_share_one_write() -> None:
    _, writer, batches = _recording_writer(batch_rows=100, flush_seconds=5.0)
    writer.submit([(1,)])
    time.sleep(0.3)  # well inside the 5 s interval: the writer must keep waiting
    writer.submit([(2,)])
    assert writer.stop() == 2
    assert batches == [2], "one transaction for both rows"


def test_a_full_batch_is_written_without_waiting_for_the_interval() -> None:
    store = FlakyStore()
    store.recover()
    written = threading.Event()
    writer = PredictionLogWriter(
        store, batch_rows=2, flush_seconds=30.0, on_written=lambda ok, _: written.set()
    )
    writer.start()
    writer.submit([(1,)])
    writer.submit([(2,)])
    assert written.wait(10.0), "two rows fill the batch: no 30 s wait"
    assert store.rows == [(1,), (2,)]
    writer.stop()


def test_a_lone_row_is_written_about_one_interval_later() -> None:
    store = FlakyStore()
    store.recover()
    written = threading.Event()
    writer = PredictionLogWriter(store, flush_seconds=0.05, on_written=lambda ok, _: written.set())
    writer.start()
    start = time.monotonic()
    writer.submit([(1,)])
    assert written.wait(WAIT)
    assert time.monotonic() - start < 0.7, "the interval is 0.05 s, not a second"
    writer.stop()


def test_shutdown_retries_three_times_then_reports_the_lost_rows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = FlakyStore()  # never recovers
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=1.0)
    writer.start()
    writer.submit([(1,), (2,)])  # not a full batch: one attempt after 1 s, then a 1 s wait
    assert store.failed_once.wait(WAIT)
    time.sleep(0.3)  # inside the wait that follows the failed attempt
    with caplog.at_level("ERROR", logger="module08_deployment.service.log_writer"):
        assert writer.stop() == 0
    assert store.failures == 1 + 3, "one attempt while running, three at shutdown"
    assert _errors(caplog) == ["prediction log: lost 2 rows at shutdown"]


def test_stop_is_seen_while_a_full_batch_keeps_failing(caplog: pytest.LogCaptureFixture) -> None:
    store = FlakyStore()
    writer = PredictionLogWriter(store, batch_rows=2, flush_seconds=5.0)
    writer.start()
    writer.submit([(1,), (2,)])
    assert store.failed_once.wait(WAIT)
    try:
        with caplog.at_level("ERROR", logger="module08_deployment.service.log_writer"):
            writer.stop(timeout=2.0)
        assert not writer.alive, "stop() should end the writer"
        assert _errors(caplog) == ["prediction log: lost 2 rows at shutdown"]
    finally:
        store.recover()  # lets a stuck writer write, read the stop signal and end
        writer.stop()


def test_a_big_backlog_is_written_in_chunks_of_four_batches() -> None:
    store, writer, sizes = _recording_writer(batch_rows=2, flush_seconds=5.0)
    writer.submit([(i,) for i in range(12)])
    assert writer.stop() == 12
    assert sizes == [8, 4] and store.rows == [(i,) for i in range(12)]


def test_a_failed_write_is_logged_with_its_cause(caplog: pytest.LogCaptureFixture) -> None:
    store = FlakyStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=0.05)
    with caplog.at_level("WARNING", logger="module08_deployment.service.log_writer"):
        writer.start()
        writer.submit([(1,)])
        assert store.failed_once.wait(WAIT)
        store.recover()
        writer.stop()
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings[0] == "prediction log write failed (database is locked); will retry"


def test_the_writer_thread_is_named_and_never_keeps_the_process_alive() -> None:
    writer = PredictionLogWriter(FlakyStore())
    assert not writer.alive and writer.stop() == 0, "before start: nothing to stop"
    writer.start()
    try:
        (thread,) = [t for t in threading.enumerate() if t.name == "prediction-log"]
        assert thread.daemon, "a stuck write must not block the process from exiting"
    finally:
        writer.stop()


def test_shutdown_backs_off_between_its_three_attempts() -> None:
    store = FlakyStore()
    writer = PredictionLogWriter(store, batch_rows=100, flush_seconds=30.0)
    writer.start()
    writer.submit([(1,)])
    start = time.monotonic()
    writer.stop()  # three attempts, 0.2 s then 0.4 s then 0.6 s apart: 1.2 s
    assert 1.0 < time.monotonic() - start < 4.0
    assert store.failures == 3


class HangingConnectStore(FlakyStore):
    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def connect(self) -> None:
        self.go.wait(WAIT)


def test_start_waits_for_the_store_only_up_to_its_timeout() -> None:
    store = HangingConnectStore()
    releaser = threading.Timer(5.0, store.go.set)
    releaser.start()
    writer = PredictionLogWriter(store)
    started = time.monotonic()
    try:
        writer.start(timeout=0.3)
        assert time.monotonic() - started < 3.0
    finally:
        store.go.set()
        releaser.cancel()
        writer.stop()

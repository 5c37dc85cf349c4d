"""A background writer for the prediction log: requests enqueue, one thread writes in batches.

Why it matters: a database write inside the request path adds its latency to every
prediction and, on the event loop, stalls every other request. Here a request only puts
its rows on a queue (microseconds); a single thread drains the queue and writes many rows
per transaction. Nothing is lost: rows that fail to write are kept and retried, and
``stop()`` (called when the service shuts down, e.g. on SIGTERM) writes what is left.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence

from module08_deployment.prediction_log import Row, Store

log = logging.getLogger(__name__)

_STOP = object()


class PredictionLogWriter:
    """Write rows to a :class:`Store` from one background thread.

    Args:
        store: where rows go; connected inside the writer thread.
        batch_rows: write as soon as this many rows are waiting.
        flush_seconds: otherwise write at least this often.
        on_written: called with (rows written, rows failed) after each attempt (metrics).
    """

    def __init__(
        self,
        store: Store,
        batch_rows: int = 500,
        flush_seconds: float = 0.5,
        on_written: Callable[[int, int], None] | None = None,
    ) -> None:
        self.store = store
        self.batch_rows = batch_rows
        self.flush_seconds = flush_seconds
        self.on_written = on_written or (lambda written, failed: None)
        self._queue: queue.Queue = queue.Queue()
        self._pending: list[Row] = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self.error: BaseException | None = None
        self.written = 0

    @property
    def alive(self) -> bool:
        """True while the writer thread runs."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def backlog(self) -> int:
        """Rows waiting: queued requests' rows are counted once drained, so this is a floor."""
        return len(self._pending) + self._queue.qsize()

    def start(self, timeout: float = 30.0) -> None:
        """Start the thread and wait until the store is connected (raise if it cannot be)."""
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
        self._thread.start()
        self._ready.wait(timeout)
        if self.error is not None:
            raise RuntimeError(f"prediction log cannot open its store: {self.error}")

    def submit(self, rows: Sequence[Row]) -> None:
        """Queue the rows of one request (never blocks, never touches the database)."""
        self._queue.put(list(rows))

    def stop(self, timeout: float = 30.0) -> int:
        """Write everything queued, close the store, and return the rows written in total."""
        if self._thread is None:
            return self.written
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("prediction log: %s rows still unwritten after %.0f s", self.backlog, timeout)
        return self.written

    def _run(self) -> None:
        try:
            self.store.connect()
        except Exception as exc:  # noqa: BLE001 - reported to start() and /ready
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            stopping = False
            while not stopping:
                stopping = self._collect()
                self._flush(final=stopping)
        finally:
            self.store.close()

    def _collect(self) -> bool:
        """Move queued rows to ``_pending`` until a batch is full or the interval ends."""
        deadline = time.monotonic() + self.flush_seconds
        while len(self._pending) < self.batch_rows:
            try:
                item = self._queue.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            self._pending.extend(item)
        return False

    def _flush(self, final: bool) -> None:
        """Write ``_pending`` in batches; on failure keep the rows for the next round."""
        while self._pending:
            batch = self._pending[: self.batch_rows * 4]
            if not self._write(batch, attempts=3 if final else 1):
                if final:
                    log.error("prediction log: lost %s rows at shutdown", len(self._pending))
                return
            del self._pending[: len(batch)]
            self.written += len(batch)

    def _write(self, batch: list[Row], attempts: int) -> bool:
        for attempt in range(attempts):
            try:
                self.store.write(batch)
            except Exception as exc:  # noqa: BLE001 - keep the rows, retry later
                log.warning("prediction log write failed (%s); will retry", exc)
                self.on_written(0, len(batch))
                time.sleep(0.2 * (attempt + 1))
            else:
                self.on_written(len(batch), 0)
                return True
        return False

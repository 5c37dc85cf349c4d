"""A background writer for the prediction log: requests enqueue, one thread writes in batches.

Why it matters: a database write inside the request path adds its latency to every
prediction and, on the event loop, stalls every other request. Here a request only puts
its rows on a queue (microseconds); a single thread drains the queue and writes many rows
per transaction. Rows that fail to write are kept and retried, and ``stop()`` (called
when the service shuts down, e.g. on SIGTERM) writes what is left: a graceful stop loses
nothing.

What it does not survive: a process killed outright (SIGKILL, the OOM killer, a power
cut) loses the rows still in memory, that is, those answered since the last write: at
most about ``flush_seconds`` times the request rate (plus ``batch_rows`` under a burst),
and everything queued while the store is unreachable. ``LABS_LOG_FLUSH_SECONDS`` trades
that bound against writes per second; ``benchmarks/serving`` measures it.
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
        stall_seconds: a write or probe blocked this long makes :attr:`problem` say so.
        probe_seconds: when idle, check the store is still writable this often.
    """

    def __init__(
        self,
        store: Store,
        batch_rows: int = 500,
        flush_seconds: float = 0.5,
        on_written: Callable[[int, int], None] | None = None,
        stall_seconds: float = 5.0,
        probe_seconds: float = 5.0,
    ) -> None:
        self.store = store
        self.batch_rows = batch_rows
        self.flush_seconds = flush_seconds
        self.on_written = on_written or (lambda written, failed: None)
        self._queue: queue.Queue = queue.Queue()
        self._pending: list[Row] = []
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._queued_rows = 0  # rows submitted but not yet moved to _pending
        self.stall_seconds = stall_seconds
        self.probe_seconds = probe_seconds
        self._busy_since: float | None = None  # a store call in progress since then
        self._last_contact = time.monotonic()
        self.last_failure: str | None = None  # the last store call's error, until one works
        self.error: BaseException | None = None
        self.written = 0

    @property
    def alive(self) -> bool:
        """True while the writer thread runs."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def backlog(self) -> int:
        """Rows answered but not yet written (queued and pending), counted in rows."""
        return self._queued_rows + len(self._pending)

    @property
    def problem(self) -> str | None:
        """Why rows cannot be written right now (None when they can): ``/ready`` says it."""
        if not self.alive:
            return f"the prediction log is not being written ({self.error or 'not running'})"
        since = self._busy_since
        if since is not None and (waited := time.monotonic() - since) > self.stall_seconds:
            return (
                f"the prediction log's store has not answered for {waited:.0f} s "
                f"({self.backlog} rows waiting)"
            )
        if self.last_failure is not None:
            return (
                f"the prediction log cannot be written ({self.last_failure}); "
                f"{self.backlog} rows waiting"
            )
        return None

    def start(self, timeout: float = 30.0) -> None:
        """Start the thread and wait until the store is connected (raise if it cannot be)."""
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
        self._thread.start()
        self._ready.wait(timeout)
        if self.error is not None:
            raise RuntimeError(f"prediction log cannot open its store: {self.error}")

    def submit(self, rows: Sequence[Row]) -> None:
        """Queue the rows of one request (never blocks, never touches the database)."""
        with self._lock:
            self._queued_rows += len(rows)
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
                if not self._pending and not stopping:
                    self._probe_if_idle()
                self._flush(final=stopping)
        finally:
            self.store.close()

    def _collect(self) -> bool:
        """Move queued rows to ``_pending`` until a batch is full or the interval ends.

        After a failed write the writer keeps reading the queue for the whole interval, even
        with a full batch pending: it backs off instead of retrying in a tight loop, and it
        still sees ``stop()``'s signal (so shutdown gets its final attempts).
        """
        deadline = time.monotonic() + self.flush_seconds
        while len(self._pending) < self.batch_rows or self.last_failure is not None:
            try:
                item = self._queue.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                return False
            if item is _STOP:
                return True
            self._pending.extend(item)
            with self._lock:
                self._queued_rows -= len(item)
        return False

    def _probe_if_idle(self) -> None:
        """Nothing to write for a while: check the store still takes writes (for /ready)."""
        if time.monotonic() - self._last_contact >= self.probe_seconds:
            self._call(self.store.check)

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
            if self._call(self.store.write, batch):
                self.on_written(len(batch), 0)
                return True
            self.on_written(0, len(batch))
            time.sleep(0.2 * (attempt + 1))
        return False

    def _call(self, method: Callable, *args: object) -> bool:
        """Call the store, timing it (a stall shows on /ready) and keeping its error."""
        self._busy_since = time.monotonic()
        try:
            method(*args)
        except Exception as exc:  # noqa: BLE001 - keep the rows, retry later
            log.warning("prediction log %s failed (%s); will retry", method.__name__, exc)
            self.last_failure = f"{type(exc).__name__}: {exc}"
            return False
        finally:
            self._busy_since = None
        self.last_failure, self._last_contact = None, time.monotonic()
        return True

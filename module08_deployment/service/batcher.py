"""Micro-batching: requests that arrive while the model is busy share its next call.

Why it matters: one call of the model has a fixed cost beyond its arithmetic (for the
pipeline, pandas and scikit-learn overhead that made one flight cost almost as much as
eight; the predictor's few-flights path shrinks it, but eight flights in one call still
cost far less than eight calls), so a service that calls the model once per request
spends much of its CPU on overhead. Here every request
hands its rows to one worker thread and waits; the worker takes everything queued (up to
``max_rows``) and scores it in one call. An idle service adds no delay: a lone request is
scored at once, and batches only form when requests queue up behind a busy model. The
same idea, with a timer, is the "dynamic batching" of Triton and Ray Serve.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

import pandas as pd

log = logging.getLogger(__name__)

Score = Callable[[pd.DataFrame], pd.DataFrame]
_STOP = None


class MicroBatcher:
    """Score frames from many threads with one worker thread that batches what is queued.

    Args:
        score: Scores a frame and returns one row per input row, in order.
        max_rows: The most rows one call gets (a bigger single request is scored alone).
        observe: Called with the row count of every model call (the service's metrics).
    """

    def __init__(
        self, score: Score, max_rows: int = 64, observe: Callable[[int], None] | None = None
    ) -> None:
        self._score = score
        self.max_rows = max_rows
        self._observe = observe
        self._queue: queue.Queue[tuple[pd.DataFrame, Future] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="micro-batcher", daemon=True)
        self.calls = 0  # model calls made, for tests and the benchmark
        self.rows = 0

    def start(self) -> MicroBatcher:
        """Start the worker thread."""
        self._thread.start()
        return self

    @property
    def alive(self) -> bool:
        """True while the worker thread runs."""
        return self._thread.is_alive()

    def stop(self, timeout: float = 30.0) -> None:
        """Score what is already queued, then end the worker (called on shutdown)."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Queue ``frame``, wait for its scores, and return them (errors are re-raised)."""
        if not self._thread.is_alive():
            raise RuntimeError("the micro-batcher is not running")
        done: Future[pd.DataFrame] = Future()
        self._queue.put((frame, done))
        return done.result()

    def _run(self) -> None:
        while (first := self._queue.get()) is not _STOP:
            batch, rows = [first], len(first[0])
            while rows < self.max_rows:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)  # finish this batch, then stop
                    break
                batch.append(item)
                rows += len(item[0])
            self._score_batch(batch)

    def _score_batch(self, batch: list[tuple[pd.DataFrame, Future]]) -> None:
        frames = [frame for frame, _ in batch]
        try:
            scores = self._score(
                pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
            )
        except Exception as exc:  # noqa: BLE001 - handed to the waiting requests
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            log.warning(
                "A batch of %d requests failed (%s); scoring them one by one", len(batch), exc
            )
            for item in batch:  # only the request that breaks the model gets the error
                self._score_batch([item])
            return
        self.calls, self.rows = self.calls + 1, self.rows + len(scores)
        if self._observe is not None:
            self._observe(len(scores))
        start = 0
        for frame, done in batch:
            done.set_result(scores.iloc[start : start + len(frame)].reset_index(drop=True))
            start += len(frame)

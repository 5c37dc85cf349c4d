from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from module08_deployment.service.batcher import MicroBatcher


class SlowScorer:
    """Doubles ``x``; the first call waits until released, so requests queue behind it."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.sizes: list[int] = []

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        self.release.wait(10)
        if (frame["x"] < 0).any():
            raise ValueError("negative x")
        self.sizes.append(len(frame))
        return pd.DataFrame({"score": frame["x"] * 2})


def frame(*xs: int) -> pd.DataFrame:
    return pd.DataFrame({"x": list(xs)})


@pytest.fixture
def scorer() -> SlowScorer:
    return SlowScorer()


def submit_while_busy(batcher: MicroBatcher, scorer: SlowScorer, frames: list) -> list:
    """Send ``frames`` from many threads while the model is busy, then release it."""
    with ThreadPoolExecutor(len(frames)) as pool:
        futures = [pool.submit(batcher.predict, f) for f in frames]
        while batcher._queue.qsize() < len(frames) - 1:  # the first is being scored
            threading.Event().wait(0.01)
        scorer.release.set()
        return [f.exception() or f.result() for f in futures]


def test_queued_requests_share_one_call_and_get_their_own_rows(scorer: SlowScorer) -> None:
    observed: list[int] = []
    batcher = MicroBatcher(scorer, max_rows=64, observe=observed.append).start()
    frames = [frame(i, 10 * i) for i in range(1, 9)]
    results = submit_while_busy(batcher, scorer, frames)
    batcher.stop()
    for f, result in zip(frames, results, strict=True):
        assert result["score"].tolist() == (f["x"] * 2).tolist()
    assert sorted(scorer.sizes) == [2, 14]  # one request alone, then the seven that queued
    assert (batcher.calls, batcher.rows) == (2, 16)
    assert observed == scorer.sizes


def test_a_lone_request_is_scored_at_once(scorer: SlowScorer) -> None:
    scorer.release.set()
    batcher = MicroBatcher(scorer).start()
    assert batcher.predict(frame(3))["score"].tolist() == [6]
    batcher.stop()
    assert scorer.sizes == [1]


def test_batches_stop_growing_at_max_rows(scorer: SlowScorer) -> None:
    batcher = MicroBatcher(scorer, max_rows=4).start()
    submit_while_busy(batcher, scorer, [frame(i) for i in range(9)])
    batcher.stop()
    assert scorer.sizes == [1, 4, 4]


def test_only_the_request_that_breaks_the_model_gets_the_error(scorer: SlowScorer) -> None:
    batcher = MicroBatcher(scorer).start()
    results = submit_while_busy(batcher, scorer, [frame(1), frame(2), frame(-1), frame(4)])
    batcher.stop()
    assert isinstance(results[2], ValueError)
    assert [r["score"].tolist() for i, r in enumerate(results) if i != 2] == [[2], [4], [8]]


def test_stop_answers_what_is_queued_then_refuses(scorer: SlowScorer) -> None:
    batcher = MicroBatcher(scorer).start()
    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(batcher.predict, frame(i)) for i in range(3)]
        while batcher._queue.qsize() < 2:
            threading.Event().wait(0.01)
        stopper = pool.submit(batcher.stop)
        scorer.release.set()
        stopper.result()
        assert [f.result()["score"].tolist() for f in futures] == [[0], [2], [4]]
    assert not batcher.alive
    with pytest.raises(RuntimeError, match="not running"):
        batcher.predict(frame(1))

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from module08_deployment.service.batcher import MicroBatcher


class SlowScorer:
    """Doubles ``x``; the first call waits until released, so requests queue behind it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.sizes: list[int] = []

    def __call__(self, frame: pd.DataFrame) -> pd.DataFrame:
        self.entered.set()
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


def wait_for(condition: object, seconds: float = 10.0) -> None:
    """Poll ``condition()`` until true; fail (never hang) after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def submit_while_busy(batcher: MicroBatcher, scorer: SlowScorer, frames: list) -> list:
    """Send the first frame, and the others once the model is busy with it; then release."""
    with ThreadPoolExecutor(len(frames)) as pool:
        futures = [pool.submit(batcher.predict, frames[0])]
        assert scorer.entered.wait(10), "the first request never reached the model"
        futures += [pool.submit(batcher.predict, f) for f in frames[1:]]
        wait_for(lambda: batcher._queue.qsize() == len(frames) - 1)
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
        futures = [pool.submit(batcher.predict, frame(0))]
        assert scorer.entered.wait(10)
        futures += [pool.submit(batcher.predict, frame(i)) for i in (1, 2)]
        wait_for(lambda: batcher._queue.qsize() == 2)
        stopper = pool.submit(batcher.stop)
        scorer.release.set()
        stopper.result()
        assert [f.result()["score"].tolist() for f in futures] == [[0], [2], [4]]
    assert not batcher.alive
    with pytest.raises(RuntimeError, match="not running"):
        batcher.predict(frame(1))

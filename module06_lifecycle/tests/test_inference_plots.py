from __future__ import annotations

import numpy as np
import pandas as pd

from module06_lifecycle.inference import ServiceModel
from module06_lifecycle.inference_plots import (
    plot_batch_timings,
    plot_latency_by_load,
    plot_tradeoff,
)
from module06_lifecycle.stream import sweep

ARRIVALS = np.sort(np.random.default_rng(1).uniform(0, 600, 300))
SERVICE = ServiceModel(0.05, 1e-4)
POLICIES = [(1, 0.0), (32, 0.2), (32, 1.0)]


def _runs() -> pd.DataFrame:
    return pd.concat(
        [sweep(ARRIVALS / s, SERVICE, POLICIES).assign(speedup=s) for s in (1, 100)],
        ignore_index=True,
    )


def test_plot_batch_timings_draws_points_and_the_fit() -> None:
    sizes = np.array([1, 10, 100])
    seconds = np.array([SERVICE(n) for n in sizes])
    timings = pd.DataFrame({"size": sizes, "seconds": seconds, "flights_per_s": sizes / seconds})
    left, right = plot_batch_timings(timings, SERVICE)
    assert len(left.lines) == 2 and len(right.lines) == 2
    assert np.allclose(
        right.lines[1].get_ydata()[[0, -1]], [SERVICE.capacity(1), SERVICE.capacity(100)]
    )


def test_plot_tradeoff_has_one_line_per_load_and_online_points() -> None:
    ax = plot_tradeoff(_runs())
    assert [line.get_label() for line in ax.lines] == ["x1", "x100"]
    assert len(ax.collections[0].get_offsets()) == 2  # online, once per load


def test_plot_latency_by_load_has_one_line_per_policy() -> None:
    ax = plot_latency_by_load(_runs(), POLICIES[:2])
    assert [line.get_label() for line in ax.lines] == ["online", "max_batch 32, max_wait 0.2 s"]
    assert list(ax.lines[0].get_xdata()) == [1, 100]

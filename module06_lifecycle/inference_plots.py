"""Lesson 03's figures: the cost of a call, and the latency/throughput trade-off of a stream.

Why it matters: the trade-off is one picture. These functions draw it from the tables of
:mod:`module06_lifecycle.inference` and :func:`module06_lifecycle.stream.sweep`, so the
notebook stays a narrative and the figures stay the same for everyone.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from module06_lifecycle.inference import ServiceModel


def plot_batch_timings(
    timings: pd.DataFrame, service: ServiceModel, axes: tuple[Axes, Axes] | None = None
) -> tuple[Axes, Axes]:
    """Left: seconds per call against flights per call; right: flights per second. Log axes,
    measured points and the fitted :class:`ServiceModel`."""
    left, right = axes or plt.subplots(1, 2, figsize=(11, 3.8))[1]
    grid = np.geomspace(1, timings["size"].max(), 50)
    left.loglog(timings["size"], timings["seconds"], "o", label="measured")
    left.loglog(grid, [service(n) for n in grid], label="overhead + per_row x n")
    left.set(xlabel="flights per call", ylabel="seconds per call", title="time of one call")
    right.loglog(timings["size"], timings["flights_per_s"], "o", label="measured")
    right.loglog(grid, [service.capacity(n) for n in grid], label="n / (overhead + per_row x n)")
    right.set(xlabel="flights per call", ylabel="flights per second", title="throughput")
    for ax in (left, right):
        ax.legend()
    return left, right


def plot_tradeoff(runs: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """p95 latency against compute per request: one line per load (``speedup``) over the
    micro-batch policies, online scoring (``max_batch == 1``) as black crosses."""
    ax = ax or plt.subplots(figsize=(6, 4.2))[1]
    for speedup, part in runs[runs["max_batch"] > 1].groupby("speedup"):
        part = part.sort_values("max_wait_s")
        ax.plot(part["ms_compute_per_request"], part["p95_latency_s"], marker="o",
                label=f"x{speedup}")  # fmt: skip
    online = runs[runs["max_batch"] == 1]
    ax.scatter(online["ms_compute_per_request"], online["p95_latency_s"], marker="x",
               color="black", zorder=3, label="online (one per call)")  # fmt: skip
    ax.set(xscale="log", yscale="log", xlabel="compute per request (ms)",
           ylabel="p95 latency (s)", title="micro-batches: more waiting, less compute")  # fmt: skip
    ax.legend(title="load", fontsize=8)
    return ax


def plot_latency_by_load(
    runs: pd.DataFrame, policies: list[tuple[int, float]], ax: Axes | None = None
) -> Axes:
    """p95 latency against the load (``speedup``), one line per ``(max_batch, max_wait_s)``."""
    ax = ax or plt.subplots(figsize=(6, 4.2))[1]
    for max_batch, max_wait in policies:
        part = runs[(runs["max_batch"] == max_batch) & (runs["max_wait_s"] == max_wait)]
        name = "online" if max_batch == 1 else f"max_batch {max_batch}, max_wait {max_wait} s"
        ax.plot(part["speedup"], part["p95_latency_s"], marker="o", label=name)
    ax.set(xscale="log", yscale="log", xlabel="load (speedup of the day)",
           ylabel="p95 latency (s)", title="online until the queue builds up")  # fmt: skip
    ax.legend()
    return ax

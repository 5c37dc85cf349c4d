"""Small plotting helpers for module 02's notebooks; each returns a matplotlib ``Axes``.

Why it matters: a picture of a sampling distribution (a bootstrap or a permutation null)
with the observed value marked on it explains a p-value or an interval better than a
formula, and keeping the plotting code here keeps the notebooks thin.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd


def plot_distribution(
    values: np.ndarray,
    marks: dict[str, float],
    ax: plt.Axes | None = None,
    title: str = "",
    xlabel: str = "",
) -> plt.Axes:
    """Histogram of simulated ``values`` with a vertical line for each named mark."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    ax.hist(values, bins=50, color="tab:blue", alpha=0.7)
    colours = ["tab:red", "tab:orange", "tab:green", "black"]
    for i, (name, x) in enumerate(marks.items()):
        ax.axvline(x, color=colours[i % 4], linestyle="--", label=f"{name} = {x:.4f}")
    ax.set(title=title, xlabel=xlabel, ylabel="resamples")
    ax.legend(loc="upper right", fontsize="small")
    return ax


def plot_rate_by(
    rates: pd.DataFrame, overall: float, ax: plt.Axes | None = None, title: str = ""
) -> plt.Axes:
    """Bars of ``p_late_given`` (from ``probability.conditional_rates``) with P(late) dashed."""
    ax = ax or plt.subplots(figsize=(7, 3))[1]
    ax.bar(rates.index.astype(str), rates["p_late_given"], color="tab:blue")
    ax.axhline(overall, color="tab:red", linestyle="--", label=f"P(late) = {overall:.3f}")
    ax.set(title=title, xlabel=rates.index.name, ylabel="P(late | value)")
    ax.legend(loc="upper left")
    return ax


def plot_scree(ratios: np.ndarray, ax: plt.Axes | None = None, title: str = "") -> plt.Axes:
    """Bars of the variance share of each principal component, with the running total."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    labels = [f"PC{i + 1}" for i in range(len(ratios))]
    ax.bar(labels, ratios, color="tab:blue", label="share of variance")
    ax.plot(labels, np.cumsum(ratios), color="tab:red", marker="o", label="cumulative")
    ax.set(title=title or "Variance explained", ylim=(0, 1.05), ylabel="share")
    ax.legend(loc="center right")
    return ax

"""Lesson 01's figures: a shadow comparison by month, and a canary release stage by stage.

Why it matters: "the challenger is slightly worse in three months out of four" and "the
canary went back after its first stage" are each one picture. These functions draw them
from the tables of :mod:`module08_deployment.patterns`, so the notebook stays a narrative.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes


def plot_shadow(table: pd.DataFrame, axes: tuple[Axes, Axes] | None = None) -> tuple[Axes, Axes]:
    """Left: each model's ROC AUC by month; right: its cost per flight (lower is better)."""
    left, right = axes or plt.subplots(1, 2, figsize=(11, 3.6))[1]
    for arm, marker in (("champion", "o"), ("challenger", "s")):
        left.plot(table["month"], table[f"auc_{arm}"], marker=marker, label=arm)
        right.plot(table["month"], table[f"cost_{arm}"], marker=marker, label=arm)
    left.set(xlabel="month of 2013", ylabel="ROC AUC", title="ranking (higher is better)")
    right.set(xlabel="month of 2013", ylabel="cost per flight", title="decisions (lower is better)")
    for ax in (left, right):
        ax.set_xticks(table["month"])
        ax.legend()
    return left, right


def plot_canary(stages: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Planned and served challenger share per stage; the stage that rolled back in red."""
    ax = ax or plt.subplots(figsize=(7, 3.6))[1]
    x = np.arange(len(stages))
    labels = ["+".join(str(m) for m in months) for months in stages["months"]]
    ax.bar(x - 0.2, stages["planned_share"], width=0.4, label="planned", color="lightgray")
    colors = ["tab:red" if d == "rollback" else "tab:blue" for d in stages["decision"]]
    ax.bar(x + 0.2, stages["served_share"], width=0.4, label="served", color=colors)
    for i, decision in enumerate(stages["decision"]):
        ax.annotate(decision, (i, max(stages["planned_share"].iloc[i], 0.02)), ha="center",
                    xytext=(0, 4), textcoords="offset points")  # fmt: skip
    ax.set_xticks(x, [f"month {m}" for m in labels])
    ax.set(ylabel="share of flights to the challenger", ylim=(0, 1.15), title="canary release")
    ax.legend(loc="upper left")
    return ax

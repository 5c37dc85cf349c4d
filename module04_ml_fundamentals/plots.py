"""Plots of module 04's lessons that take more than a few lines; each returns a ``Figure``.

Why it matters: a picture of *how* the data was cut and *where* a search spent its compute
explains more than a table of scores; keeping the drawing code here keeps the notebooks
short and the pictures the same for every student.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from module04_ml_fundamentals.tuning import Folds, fold_months

COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")


def plot_fold_schemes(schemes: dict[str, Folds], months: np.ndarray) -> Figure:
    """One panel per CV scheme: folds by month, blue where rows train, red where they validate."""
    fig, axes = plt.subplots(1, len(schemes), figsize=(4.3 * len(schemes), 2.6), sharey=True)
    for ax, (name, folds) in zip(np.atleast_1d(axes), schemes.items(), strict=True):
        roles = fold_months(folds, months)
        ax.imshow(roles, cmap="coolwarm_r", vmin=-1, vmax=1, aspect="auto")
        ax.set(title=name, xlabel="month", xticks=range(roles.shape[1]),
               xticklabels=roles.columns, yticks=range(len(roles)),
               yticklabels=[f"fold {i}" for i in roles.index])  # fmt: skip
    fig.tight_layout()
    return fig


def plot_search_traces(traces: dict[str, pd.DataFrame], margin: float = 0.03) -> Figure:
    """Each candidate's CV score against the compute spent so far; lines: best so far.

    Big points were scored on all the rows, small faint ones on a fraction (successive
    halving's early rounds). Scores far below the candidates scored on all the rows are
    drawn on the bottom edge, and the title says how many.
    """
    low = min(t.loc[t["all_rows"], "cv_roc_auc"].min() for t in traces.values()) - margin
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (name, trace), color in zip(traces.items(), COLORS, strict=False):
        full = trace["all_rows"].to_numpy()
        size, alpha = np.where(full, 30, 10), np.where(full, 0.9, 0.4)
        ax.scatter(trace["cumulative_fit_s"], trace["cv_roc_auc"].clip(lower=low),
                   s=size, color=color, alpha=alpha)  # fmt: skip
        best = trace.loc[full, "cv_roc_auc"].cummax()
        ax.step(trace.loc[full, "cumulative_fit_s"], best, where="post", color=color, label=name)
    hidden = sum(int((t["cv_roc_auc"] < low).sum()) for t in traces.values())
    ax.set(xlabel="compute spent so far (seconds of fitting)", ylabel="CV ROC AUC",
           ylim=(low - 0.005, None))  # fmt: skip
    ax.set_title(f"{hidden} candidates scored below {low:.2f}: drawn on the bottom edge",
                 fontsize=9)  # fmt: skip
    ax.legend(title="best so far, on all rows")
    fig.tight_layout()
    return fig

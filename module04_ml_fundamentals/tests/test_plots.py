from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from module04_ml_fundamentals.plots import plot_fold_schemes, plot_search_traces
from module04_ml_fundamentals.tuning import cv_schemes


def test_plot_fold_schemes_one_panel_per_scheme() -> None:
    months = np.repeat([1, 2, 3, 4], 10)
    fig = plot_fold_schemes(cv_schemes(months, 2), months)
    assert [ax.get_title() for ax in fig.axes] == list(cv_schemes(months, 2))
    assert fig.axes[2].images[0].get_array().shape == (2, 4)
    plt.close(fig)


def test_plot_search_traces_counts_the_candidates_off_the_chart() -> None:
    full = pd.DataFrame({"cumulative_fit_s": [1.0, 2.0], "cv_roc_auc": [0.70, 0.72],
                         "all_rows": [True, True]})  # fmt: skip
    halving = pd.DataFrame({"cumulative_fit_s": [0.1, 0.2, 0.5], "cv_roc_auc": [0.5, 0.69, 0.71],
                            "all_rows": [False, False, True]})  # fmt: skip
    fig = plot_search_traces({"grid": full, "successive halving": halving})
    ax = fig.axes[0]
    assert ax.get_title().startswith("1 candidates scored below 0.67")
    assert [line.get_label() for line in ax.get_lines()] == ["grid", "successive halving"]
    plt.close(fig)

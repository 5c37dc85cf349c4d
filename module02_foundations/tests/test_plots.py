"""Tests of module02_foundations.plots: the right number of marks, bars and labels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from module02_foundations import plots


def test_plot_distribution_draws_one_line_per_mark() -> None:
    values = np.random.default_rng(0).normal(size=500)
    ax = plots.plot_distribution(values, {"observed": 1.5, "low": -2.0}, title="null")
    assert len(ax.get_lines()) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "observed = 1.5000",
        "low = -2.0000",
    ]


def test_plot_rate_by_one_bar_per_value() -> None:
    rates = pd.DataFrame(
        {"p_late_given": [0.1, 0.3, 0.2]}, index=pd.Index([6, 12, 18], name="hour")
    )
    ax = plots.plot_rate_by(rates, overall=0.2)
    assert len(ax.patches) == 3
    assert ax.get_xlabel() == "hour"


def test_plot_scree_cumulative_ends_at_one() -> None:
    ax = plots.plot_scree(np.array([0.6, 0.3, 0.1]))
    assert len(ax.patches) == 3
    assert np.isclose(ax.get_lines()[0].get_ydata()[-1], 1.0)

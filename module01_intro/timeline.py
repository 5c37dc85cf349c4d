"""Lesson 02, exploratory analysis: the base rate over time, and why the split follows time.

Why it matters: the model is trained on the past and used on the future. If the share of
late flights moves from month to month (it does: summer storms, winter holidays), a random
split hides that shift and promises a score the model will not keep. Splitting by month,
as params.yaml ``split`` does, shows the shift before production does.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from labs_common.config import SplitParams
from module01_intro.eda import late_rate_by

PERIODS = ["train", "valid", "test"]
_COLOURS = {"train": "tab:blue", "valid": "tab:orange", "test": "tab:green", "unused": "grey"}


def label_periods(months: pd.Series, split: SplitParams) -> pd.Series:
    """Map each month to ``train``, ``valid``, ``test`` (or ``unused``) as ``split`` says.

    Example:
        >>> s = SplitParams(train_months=[1], valid_months=[2], test_months=[3])
        >>> label_periods(pd.Series([1, 3, 4]), s).tolist()
        ['train', 'test', 'unused']
    """
    lookup = {m: p for p in PERIODS for m in getattr(split, f"{p}_months")}
    labels = months.map(lookup).fillna("unused")
    return pd.Series(pd.Categorical(labels, [*PERIODS, "unused"]), index=months.index)


def base_rate_by_period(
    flights: pd.DataFrame, split: SplitParams, late_minutes: int | None = None
) -> pd.DataFrame:
    """Return :func:`~module01_intro.eda.late_rate_by` per period of a temporal split.

    Why it matters: the late share of the training months is the rate a model learns;
    the test months' rate is the one it meets. Their difference is a prior shift.
    """
    periods = label_periods(flights["month"], split).rename("period")
    return late_rate_by(flights.assign(period=periods), "period", late_minutes)


def random_vs_temporal(
    flights: pd.DataFrame, split: SplitParams, seed: int = 0, late_minutes: int | None = None
) -> pd.DataFrame:
    """Compare the late share of each period under the temporal split and a random one.

    The random split shuffles the flights into parts of the same sizes as the temporal
    split's, so only the way of splitting differs.

    Returns:
        Rows ``train``, ``valid``, ``test``; columns ``temporal`` and ``random`` (late share).
    """
    temporal = base_rate_by_period(flights, split, late_minutes)
    temporal = temporal.loc[temporal.index.isin(PERIODS)]
    sizes = temporal["flights"].to_numpy()
    shuffled = np.random.default_rng(seed).permutation(len(flights))[: sizes.sum()]
    labels = np.repeat(np.array(PERIODS), sizes)
    sample = flights.iloc[shuffled].assign(period=pd.Categorical(labels, PERIODS))
    random = late_rate_by(sample, "period", late_minutes)
    return pd.DataFrame(
        {"temporal": temporal["late_share"], "random": random["late_share"]}
    ).rename_axis("period")


def plot_monthly_split(
    flights: pd.DataFrame, split: SplitParams, ax: plt.Axes | None = None
) -> plt.Axes:
    """Bar chart of the late share per month, coloured by the period each month belongs to."""
    rates = late_rate_by(flights, "month")
    periods = label_periods(rates.index.to_series(), split)
    ax = ax or plt.subplots(figsize=(8, 3))[1]
    ax.bar(rates.index, rates["late_share"], color=[_COLOURS[p] for p in periods])
    months = rates.index.to_numpy()
    for period in [p for p in _COLOURS if (periods == p).any()]:
        mask = (periods == period).to_numpy()
        share = np.average(rates["late_share"][mask], weights=rates["arrived"][mask])
        ax.hlines(
            share,
            months[mask].min() - 0.4,
            months[mask].max() + 0.4,
            colors="black",
            linestyles="--",
        )
        ax.text(
            months[mask].mean(),
            share,
            f"{period} {share:.1%}",
            ha="center",
            va="bottom",
            bbox={"fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set(
        xlabel="month",
        ylabel="share arriving late",
        xticks=rates.index,
        title="Late share per month and the temporal split",
    )
    return ax

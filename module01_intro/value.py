"""Lesson 01, what ML and MLOps are: when each column is known, the pipeline, what it is worth.

Why it matters: before any model, three questions decide whether an ML project can work.
What is known at the moment of the decision (anything known later leaks the answer)? Which
steps turn data into a decision, and who owns each one? And what is a good decision worth
compared with doing nothing? This file answers them for the delay alert, with numbers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

SCHEDULING, AFTER, LABEL = "at scheduling", "after departure", "label"

#: When each raw ``flights`` column becomes known, seen from the day the flight is scheduled.
TIMING: dict[str, tuple[str, str]] = {
    "year": (SCHEDULING, "calendar"),
    "month": (SCHEDULING, "calendar"),
    "day": (SCHEDULING, "calendar"),
    "sched_dep_time": (SCHEDULING, "the timetable"),
    "sched_arr_time": (SCHEDULING, "the timetable"),
    "carrier": (SCHEDULING, "the timetable"),
    "flight": (SCHEDULING, "the timetable"),
    "tailnum": (SCHEDULING, "planned aircraft; may be swapped on the day"),
    "origin": (SCHEDULING, "the timetable"),
    "dest": (SCHEDULING, "the timetable"),
    "distance": (SCHEDULING, "from origin and dest"),
    "hour": (SCHEDULING, "from sched_dep_time"),
    "minute": (SCHEDULING, "from sched_dep_time"),
    "time_hour": (SCHEDULING, "from the scheduled date and hour"),
    "dep_time": (AFTER, "the actual take-off clock time"),
    "dep_delay": (AFTER, "known at take-off: it nearly gives the answer away"),
    "arr_time": (AFTER, "known at landing"),
    "air_time": (AFTER, "known at landing"),
    "arr_delay": (LABEL, "late = arr_delay > features.late_minutes; known at landing"),
}

#: The capstone pipeline: (stage, module that owns it, what the stage does).
PIPELINE: list[tuple[str, str, str]] = [
    ("ingest", "module03_architecture", "package tables -> Parquet + DuckDB warehouse"),
    ("validate", "module07_experiments", "check every table against module01's contract"),
    ("features", "module04_ml_fundamentals", "leakage-free features known at scheduling"),
    ("split", "module04_ml_fundamentals", "train / valid / test by month"),
    ("train", "module04_ml_fundamentals", "fit and tune; module07 tracks the run in MLflow"),
    ("evaluate", "module05_business", "ROC AUC, cost per flight, threshold, KPIs"),
    ("register", "module08_deployment", "promote to champion only through the gates"),
    ("monitor", "module09_monitoring", "drift and quality per production month"),
]


def column_timing(columns: list[str]) -> pd.DataFrame:
    """Say, for each flights column, when it becomes known and whether it may be a feature.

    Why it matters: a model trained with ``dep_delay`` looks brilliant offline and is useless
    in production, where the alert is sent before departure. Sorting columns by the moment
    they are known is the first defence against this leakage.

    Args:
        columns: column names of the raw flights table.

    Returns:
        One row per column with ``known`` (at scheduling, after departure, label), ``why``
        and ``feature`` (True only for columns known at the decision time).

    Raises:
        KeyError: a column whose timing is not in ``TIMING``.
    """
    unknown = [c for c in columns if c not in TIMING]
    if unknown:
        raise KeyError(f"no timing for column(s) {unknown}; add them to value.TIMING")
    out = pd.DataFrame(
        [TIMING[c] for c in columns],
        index=pd.Index(columns, name="column"),
        columns=["known", "why"],
    )
    return out.assign(feature=out["known"].eq(SCHEDULING))


def pipeline_stages() -> pd.DataFrame:
    """Return the capstone's stages in order, with the module owning each one."""
    return pd.DataFrame(PIPELINE, columns=["stage", "module", "does"]).rename_axis("step")


def plot_pipeline(ax: plt.Axes | None = None) -> plt.Axes:
    """Draw the pipeline as boxes and arrows, one colour per owning module."""
    stages = pipeline_stages()
    ax = ax or plt.subplots(figsize=(12, 2.2))[1]
    colours = dict(zip(stages["module"].unique(), plt.get_cmap("tab10").colors, strict=False))
    for i, row in stages.iterrows():
        ax.text(
            i * 1.5,
            0,
            row["stage"],
            ha="center",
            va="center",
            fontsize=10,
            bbox={"boxstyle": "round", "fc": colours[row["module"]], "alpha": 0.35},
        )
        ax.text(i * 1.5, -0.55, row["module"].split("_")[0], ha="center", fontsize=8)
        if i:
            ax.annotate(
                "",
                xy=(i * 1.5 - 0.55, 0),
                xytext=(i * 1.5 - 0.95, 0),
                arrowprops={"arrowstyle": "->"},
            )
    ax.set(xlim=(-0.8, len(stages) * 1.5 - 0.7), ylim=(-0.9, 0.6), title="The capstone pipeline")
    ax.axis("off")
    return ax


def break_even_probability(missed_delay: float, false_alert: float) -> float:
    """Return the probability of delay above which an alert costs less than silence.

    Why it matters: alerting on a flight costs ``(1 - p) * false_alert`` on average and not
    alerting costs ``p * missed_delay``; they are equal at ``false_alert / (false_alert +
    missed_delay)``. With a missed delay four times dearer, alert from p = 0.2 on.

    Example:
        >>> break_even_probability(4.0, 1.0)
        0.2
    """
    if missed_delay <= 0 or false_alert <= 0:
        raise ValueError(f"costs must be positive, got {missed_delay=} and {false_alert=}")
    return false_alert / (false_alert + missed_delay)


def strategy_costs(
    n_late: int,
    n_on_time: int,
    missed_delay: float,
    false_alert: float,
    recall: float = 0.6,
    false_alarm_rate: float = 0.2,
) -> pd.DataFrame:
    """Compare the cost of four alert strategies on the same flights (a back-of-envelope).

    Why it matters: a model is only worth building if it beats the best rule that needs no
    model ("alert on nothing" or "alert on everything"); this table says by how much.

    Args:
        n_late: flights that arrived late; ``n_on_time``: the others (cancelled left out).
        missed_delay: cost of a late flight not flagged; ``false_alert``: of an on-time one
            flagged (``load_params().cost``).
        recall: share of late flights a hypothetical model flags.
        false_alarm_rate: share of on-time flights it flags by mistake.

    Returns:
        One row per strategy: ``missed``, ``false_alerts``, ``cost`` and ``cost_per_flight``.
    """
    if not (0 <= recall <= 1 and 0 <= false_alarm_rate <= 1):
        raise ValueError(
            f"recall and false_alarm_rate must be in 0..1, got {recall}, {false_alarm_rate}"
        )
    model = f"a model (recall {recall:.0%}, false alarms {false_alarm_rate:.0%})"
    counts = {
        "alert on nothing": (n_late, 0),
        "alert on everything": (0, n_on_time),
        model: (round(n_late * (1 - recall)), round(n_on_time * false_alarm_rate)),
        "a perfect model": (0, 0),
    }
    out = pd.DataFrame(counts, index=["missed", "false_alerts"]).T.rename_axis("strategy")
    out["cost"] = out["missed"] * missed_delay + out["false_alerts"] * false_alert
    return out.assign(cost_per_flight=out["cost"] / max(n_late + n_on_time, 1))

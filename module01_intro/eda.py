"""Exploratory data analysis helpers for the raw flights tables (lesson: module 01, notebook 02).

Why it matters: the questions asked of a new dataset are the same every time (how often
does the thing we predict happen, where is data missing, do the tables join), so they
are answered by small, tested, pure functions instead of notebook cells copied around.
Plots are thin ``plot_*`` wrappers that return a matplotlib ``Axes``.

A flight whose ``arr_delay`` is missing never arrived as scheduled (cancelled, or diverted
to another airport); it has no label, so it is counted apart from the late share.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from labs_common.label import is_late


def late_rate_by(
    flights: pd.DataFrame, by: str | Sequence[str], late_minutes: int | None = None
) -> pd.DataFrame:
    """Summarise arrival delays per group: how many flights, how many late, how many lost.

    Why it matters: the base rate of the target, and how it moves with month, hour, carrier
    or airport, is the first fact a model has to beat and the first sign of drift.

    Args:
        flights: raw flights with ``arr_delay`` and the ``by`` columns.
        by: one column name or several.
        late_minutes: a flight is late when it arrives more than this many minutes late
            (None: ``features.late_minutes`` of params.yaml, the rule in labs_common.label).

    Returns:
        One row per group (groups as the index) with ``flights`` (all rows), ``arrived``
        (rows with an ``arr_delay``), ``late_share`` (late / arrived), ``mean_arr_delay``
        (minutes, over arrived flights) and ``cancelled_share`` (no ``arr_delay`` / flights).

    Example:
        >>> df = pd.DataFrame({"origin": ["EWR", "EWR", "JFK"], "arr_delay": [30.0, None, 0]})
        >>> late_rate_by(df, "origin")["late_share"].tolist()
        [1.0, 0.0]
    """
    keys = _as_list(by)
    delay = flights["arr_delay"]
    frame = pd.DataFrame(
        {
            **{k: flights[k] for k in keys},
            "arrived": delay.notna(),
            "late": is_late(delay, late_minutes),
            "arr_delay": delay,
            "cancelled": delay.isna(),
        }
    )
    grouped = frame.groupby(keys, observed=True, sort=True)
    out = grouped.agg(
        flights=("arrived", "size"),
        arrived=("arrived", "sum"),
        late=("late", "sum"),
        mean_arr_delay=("arr_delay", "mean"),
        cancelled=("cancelled", "sum"),
    )
    return pd.DataFrame(
        {
            "flights": out["flights"],
            "arrived": out["arrived"],
            "late_share": out["late"] / out["arrived"],
            "mean_arr_delay": out["mean_arr_delay"],
            "cancelled_share": out["cancelled"] / out["flights"],
        }
    )


def missing_profile(df: pd.DataFrame) -> pd.DataFrame:
    """Count the missing values of every column, most missing first.

    Why it matters: a column that is empty half the time is either a feature to treat
    with care or a sign of what the data cannot know (a cancelled flight has no arrival).

    Returns:
        Columns ``dtype``, ``missing`` (count) and ``missing_share`` (0-1), indexed by
        column name; columns with no missing value are kept (share 0) at the bottom.
    """
    missing = df.isna().sum()
    out = pd.DataFrame(
        {
            "dtype": df.dtypes.astype(str),
            "missing": missing.astype(int),
            "missing_share": missing / max(len(df), 1),
        }
    )
    return out.sort_values("missing", ascending=False, kind="stable")


def join_coverage(
    flights: pd.DataFrame,
    other: pd.DataFrame,
    key_left: str | Sequence[str],
    key_right: str | Sequence[str] | None = None,
) -> float:
    """Return the share of flights whose key is found in ``other``.

    Why it matters: a left join silently fills unmatched rows with NaN. Knowing, before
    training, that about one flight in six has no plane record explains the NaNs a model
    will see.

    Args:
        flights: the left table.
        other: the table joined on.
        key_left: column(s) of ``flights``; a row with a missing key counts as not found.
        key_right: matching column(s) of ``other``; the same names as ``key_left`` if None.

    Example:
        >>> join_coverage(pd.DataFrame({"k": ["a", "b"]}), pd.DataFrame({"k": ["a"]}), "k")
        0.5
    """
    left = _as_list(key_left)
    right = left if key_right is None else _as_list(key_right)
    if len(left) != len(right):
        raise ValueError(f"key_left has {len(left)} column(s) but key_right has {len(right)}")
    if len(flights) == 0:
        return float("nan")
    keys = pd.MultiIndex.from_frame(_as_plain(other[right]).drop_duplicates())
    found = pd.MultiIndex.from_frame(_as_plain(flights[left])).isin(keys)
    has_key = flights[left].notna().all(axis=1).to_numpy()
    return float((found & has_key).mean())


def _as_list(cols: str | Sequence[str]) -> list[str]:
    return [cols] if isinstance(cols, str) else list(cols)


def _as_plain(df: pd.DataFrame) -> pd.DataFrame:
    """Categories and nullable strings as plain objects, so keys of both sides compare."""
    out = df.copy()
    for col in out:
        if isinstance(out[col].dtype, pd.CategoricalDtype | pd.StringDtype):
            out[col] = out[col].astype(object)
    return out


#: The joins of the capstone: flights to each dimension table.
JOINS = {
    "planes": (["tailnum"], ["tailnum"]),
    "airports (dest)": (["dest"], ["faa"]),
    "airlines": (["carrier"], ["carrier"]),
    "weather": (["origin", "time_hour"], ["origin", "time_hour"]),
}


def join_report(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Return the join coverage of flights with every other table (see ``JOINS``)."""
    return pd.Series(
        {
            name: join_coverage(tables["flights"], tables[name.split()[0]], left, right)
            for name, (left, right) in JOINS.items()
        },
        name="coverage",
    )


def summary(tables: dict[str, pd.DataFrame], late_minutes: int | None = None) -> dict:
    """Return a few headline facts about the raw data, ready for JSON or a console table.

    Why it matters: the demo and the README quote these numbers; computing them in one
    place means every quoted number is measured, never typed in by hand.

    Returns:
        ``rows`` per table, ``first_day``/``last_day`` of flights (ISO dates),
        ``late_share`` (among arrived flights) and ``cancelled_share`` (no arrival).
    """
    flights = tables["flights"]
    delay = flights["arr_delay"]
    return {
        "rows": {name: len(df) for name, df in tables.items()},
        "first_day": flights["time_hour"].min().date().isoformat(),
        "last_day": flights["time_hour"].max().date().isoformat(),
        "late_share": float(is_late(delay.dropna(), late_minutes).mean()),
        "cancelled_share": float(delay.isna().mean()),
    }


def plot_late_rate(rates: pd.DataFrame, ax: plt.Axes | None = None, title: str = "") -> plt.Axes:
    """Bar chart of ``late_share`` from :func:`late_rate_by`, with the overall mean dashed."""
    ax = ax or plt.subplots(figsize=(8, 3))[1]
    labels = [" ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in rates.index]
    ax.bar(labels, rates["late_share"], color="tab:blue")
    overall = (rates["late_share"] * rates["arrived"]).sum() / rates["arrived"].sum()
    ax.axhline(overall, color="tab:red", linestyle="--", label=f"overall {overall:.1%}")
    ax.set(ylabel="share arriving late", title=title or f"Late share by {rates.index.name}")
    ax.tick_params(axis="x", labelrotation=90 if len(labels) > 12 else 0)
    ax.legend(loc="upper right")
    return ax


def plot_missing(profile: pd.DataFrame, ax: plt.Axes | None = None, title: str = "") -> plt.Axes:
    """Horizontal bars of ``missing_share`` from :func:`missing_profile` (non-zero only)."""
    ax = ax or plt.subplots(figsize=(6, 3))[1]
    shown = profile[profile["missing"] > 0].iloc[::-1]
    ax.barh(shown.index.astype(str), shown["missing_share"], color="tab:orange")
    ax.set(xlabel="share missing", title=title or "Missing values per column")
    return ax

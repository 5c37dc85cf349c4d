"""Schedules where a shortcut through the features would most likely go wrong.

Why it matters: a fast path proven equal on typical flights may still differ where the
calendar is odd. The tests of module 04's small-input features and module 06's fast
scorer compare both paths on these rows, one edge case each.
"""

from __future__ import annotations

import pandas as pd

from module04_ml_fundamentals.features import SCHEDULE_COLUMNS


def edge_schedules(weather: pd.DataFrame, decision_hours: int = 2) -> pd.DataFrame:
    """Schedules where a feature shortcut would most likely go wrong, one row each.

    Why it matters: a fast path proven equal on typical flights may still differ where
    the calendar is odd: before the first weather hour, across midnight, on the two
    daylight-saving days, at 24:00, when the weather of the decision hour is missing, or
    for a carrier, airport or plane the model never saw. Tests compare both paths here.
    """
    base = {"year": 2013, "month": 1, "day": 1, "sched_dep_time": 515, "sched_arr_time": 830,
            "carrier": "UA", "flight": 1545, "tailnum": "N14228", "origin": "EWR",
            "dest": "IAH", "distance": 1400}  # fmt: skip
    dates = [(1, 1, 5), (1, 1, 100), (1, 1, 559), (1, 1, 700), (1, 15, 5), (1, 15, 159),
             (3, 1, 30), (3, 10, 130), (3, 10, 200), (3, 10, 259), (3, 10, 300),
             (11, 3, 59), (11, 3, 100), (11, 3, 159), (11, 3, 200), (12, 31, 2359),
             (12, 31, 2400), (6, 30, 2400), (2, 28, 1200)]  # fmt: skip
    rows = [base | {"month": m, "day": d, "sched_dep_time": t} for m, d, t in dates]
    rows += [base | {field: value} for field, value in [
        ("carrier", "ZZ"), ("origin", "BOS"), ("dest", "XXX"), ("tailnum", None),
        ("tailnum", "N0000"), ("year", 2014), ("year", 2012), ("sched_arr_time", 5)]]  # fmt: skip
    rows += [base | when for when in _hours_without_weather(weather, decision_hours)]
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)


def _hours_without_weather(weather: pd.DataFrame, decision_hours: int, n: int = 3) -> list[dict]:
    """Schedules at EWR whose decision hour has no weather observation in ``weather``."""
    observed = pd.DatetimeIndex(weather.loc[weather["origin"] == "EWR", "time_hour"])
    observed = observed.tz_convert("UTC")
    hours = pd.date_range(observed.min(), observed.max(), freq="h")
    gaps = hours.difference(observed)[:n]
    departures = (gaps + pd.Timedelta(hours=decision_hours + 1)).tz_convert("America/New_York")
    return [{"month": t.month, "day": t.day, "sched_dep_time": t.hour * 100 + 30}
            for t in departures]  # fmt: skip

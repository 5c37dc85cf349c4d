from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from module04_ml_fundamentals.encoding import (
    STRATEGIES,
    compare_feature_sets,
    compare_hour_encodings,
    compare_target_encodings,
    cyclical,
    hour_encodings,
    smoothed_target_mean,
    target_encode,
)
from module04_ml_fundamentals.features import LABEL, FlightFeatures
from module04_ml_fundamentals.samples import limit_threads


@pytest.fixture(autouse=True, scope="module")
def one_thread() -> Iterator[None]:
    """One OpenMP thread: on a busy 2-core machine, boosting is then several times faster."""
    limiter = limit_threads(1)
    yield
    limiter.restore_original_limits()


def test_cyclical_puts_late_evening_next_to_early_morning() -> None:
    points = cyclical(np.array([23.5, 0.5, 11.5, 12.5]), 24)
    assert np.linalg.norm(points[0] - points[1]) == pytest.approx(
        np.linalg.norm(points[2] - points[3])
    )
    assert np.allclose(np.linalg.norm(points, axis=1), 1)


def test_hour_encodings_shapes() -> None:
    enc = hour_encodings(np.array([0.0, 5.5, 23.9]))
    assert {k: v.shape for k, v in enc.items()} == {
        "raw hour": (3, 1), "sin and cos": (3, 2), "one-hot hour": (3, 24)}  # fmt: skip
    assert enc["one-hot hour"][1].argmax() == 5


def test_compare_hour_encodings_only_the_circle_and_one_hot_see_an_evening_peak() -> None:
    rng = np.random.default_rng(0)
    hours = rng.uniform(0, 24, 6000)
    y = (rng.random(6000) < 0.1 + 0.3 * np.exp(-((hours - 19) ** 2) / 8)).astype(int)
    table, curves = compare_hour_encodings(hours[:4000], y[:4000], hours[4000:], y[4000:])
    assert table.loc["sin and cos", "valid_roc_auc"] > table.loc["raw hour", "valid_roc_auc"]
    assert curves.shape == (96, 3)
    assert table["columns"].tolist() == [1, 2, 24]
    assert (table["valid_log_loss"] > 0).all()
    peak = curves.idxmax()
    assert 17 <= peak["sin and cos"] <= 21 and 17 <= peak["one-hot hour"] <= 21
    assert peak["raw hour"] in (curves.index[0], curves.index[-1])  # monotone: peak at an end


def test_smoothed_target_mean_formula_and_unseen_keys() -> None:
    keys = pd.Series(["a", "a", "a", "b"])
    y = np.array([1, 1, 0, 0])
    got = smoothed_target_mean(keys, y, pd.Series(["a", "b", "new"]), smoothing=2.0)
    prior = 0.5
    assert got.tolist() == pytest.approx([(2 + 2 * prior) / 5, (0 + 2 * prior) / 3, prior])
    raw = smoothed_target_mean(keys, y, pd.Series(["a", "b"]), smoothing=0.0)
    assert raw.tolist() == pytest.approx([2 / 3, 0.0])


@pytest.fixture
def unique_keys() -> tuple[pd.Series, np.ndarray, pd.Series, np.ndarray]:
    """Every flight its own key: the extreme case of a high-cardinality category."""
    rng = np.random.default_rng(1)
    y_train, y_valid = rng.integers(0, 2, 500), rng.integers(0, 2, 200)
    train = pd.Series([f"T{i}" for i in range(500)])
    valid = pd.Series([f"V{i}" for i in range(200)])
    return train, y_train, valid, y_valid


def test_target_encode_in_sample_copies_each_label(unique_keys: tuple) -> None:
    train, y_train, valid, y_valid = unique_keys
    enc_train, enc_valid = target_encode("in-sample", train, y_train, valid, y_valid)
    np.testing.assert_array_equal(enc_train, y_train)  # the feature *is* the answer
    assert np.allclose(enc_valid, y_train.mean())  # and says nothing about new keys


def test_target_encode_with_future_labels_copies_validation_labels(unique_keys: tuple) -> None:
    train, y_train, valid, y_valid = unique_keys
    _, enc_valid = target_encode("with future labels", train, y_train, valid, y_valid)
    np.testing.assert_array_equal(enc_valid, y_valid)


def test_target_encode_cross_fitted_never_sees_a_rows_own_label(unique_keys: tuple) -> None:
    train, y_train, valid, y_valid = unique_keys
    enc_train, enc_valid = target_encode("cross-fitted", train, y_train, valid, y_valid, seed=0)
    assert abs(roc_auc_score(y_train, enc_train) - 0.5) < 0.1
    assert np.ptp(enc_valid) == pytest.approx(0)


def test_target_encode_rejects_an_unknown_strategy(unique_keys: tuple) -> None:
    with pytest.raises(ValueError, match=r"unknown strategy 'global'; possible values are"):
        target_encode("global", *unique_keys)


def test_compare_target_encodings_shows_both_failures(
    winter_flights: pd.DataFrame, lookups: dict[str, str]
) -> None:
    features = FlightFeatures(use_weather=False, **lookups).fit(None)
    jan, feb = (winter_flights.loc[winter_flights["month"] == m] for m in (1, 2))
    table = compare_target_encodings(
        features.transform(jan), jan[LABEL].to_numpy(), features.transform(feb),
        feb[LABEL].to_numpy(), keys=(jan["tailnum"], feb["tailnum"]),
    )  # fmt: skip
    assert list(table.index) == ["no encoding", *STRATEGIES]
    in_sample, future = table.loc["in-sample"], table.loc["with future labels"]
    assert in_sample["train_roc_auc"] > table.loc["cross-fitted", "train_roc_auc"]
    assert future["valid_roc_auc"] > table.loc["cross-fitted", "valid_roc_auc"]
    assert future["encoding_alone"] > 0.7  # most tail numbers fly once or twice a month here


def test_compare_feature_sets_scores_each_set_with_the_same_model(
    winter_flights: pd.DataFrame, lookups: dict[str, str]
) -> None:
    features = FlightFeatures(**lookups).fit(None).transform(winter_flights)
    jan = (winter_flights["month"] == 1).to_numpy()
    y = winter_flights[LABEL].to_numpy()
    hours = ["dep_hour", "arr_hour"]
    sets = {"hours": hours, "hours and weather": [*hours, "visib", "precip"]}
    table = compare_feature_sets(features[jan], y[jan], features[~jan], y[~jan], sets)
    assert table.index.tolist() == list(sets) and table["columns"].tolist() == [2, 4]
    assert table[["train_roc_auc", "valid_roc_auc"]].stack().between(0.5, 1).all()

"""Behaviour tests of the capstone model: invariance, direction, minimum functionality.

They load ``models/model`` (what ``dvc repro`` trains) and run in CI after the pipeline;
without it they skip. Every bound below sits well clear of what was measured on the
pipeline's model (numbers in the comments, 5,000 test flights, three sample seeds), so a
failure means the model's behaviour changed, not noise. Read module07's notebook 03 first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from labs_common import paths
from labs_common.config import load_params
from module04_ml_fundamentals.features import LABEL
from module07_experiments import behaviour as bh

MODEL_DIR = paths.MODELS / "model"

pytestmark = [
    pytest.mark.model,
    pytest.mark.data,
    pytest.mark.skipif(
        not (MODEL_DIR / "MLmodel").is_file(), reason="models/model not built: run `dvc repro`"
    ),
]


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> object:
    """One OpenMP thread: CI runs two test workers on two cores, and threads that fight
    over a core made prediction three times slower (measured) without changing a score."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def model() -> object:
    import mlflow

    return mlflow.sklearn.load_model(str(MODEL_DIR))


@pytest.fixture(scope="module")
def holdout() -> pd.DataFrame:
    return pd.read_parquet(paths.PROCESSED / "test.parquet")


@pytest.fixture(scope="module")
def sample(holdout: pd.DataFrame) -> pd.DataFrame:
    return holdout.sample(5000, random_state=0)


@pytest.fixture(scope="module")
def base(model: object, sample: pd.DataFrame) -> pd.Series:
    return pd.Series(bh.score(model, sample), index=sample.index)


@pytest.fixture(scope="module")
def features(model: object, sample: pd.DataFrame) -> pd.DataFrame:
    return model[:1].transform(sample)


# Invariance: what must not matter.


def test_model_ignores_the_flight_number(model, sample, base) -> None:
    shuffled = bh.shuffle_column(sample, "flight", seed=1)
    change = bh.score_change(base, bh.score(model, shuffled))
    assert change["max_abs_change"] < 1e-9, change  # measured: 0 (an identifier, not a feature)


def test_model_barely_moves_when_a_plane_becomes_another_of_its_type(model, sample, base) -> None:
    planes = pd.read_parquet(paths.RAW / "planes.parquet")
    swapped = bh.swap_tailnums(sample, planes, same=("manufacturer", "model"), seed=1)
    assert len(swapped) > 0.7 * len(sample)  # measured: 85% of flights have a sibling plane
    change = bh.score_change(base[swapped.index], bh.score(model, swapped))
    assert change["mean_abs_change"] < 0.01, change  # measured: 0.003
    assert change["p95_abs_change"] < 0.05, change  # measured: 0.015
    assert abs(change["mean_change"]) < 0.005, change  # measured: under 0.0003


def test_twin_planes_get_the_same_score(model, sample, base) -> None:
    planes = pd.read_parquet(paths.RAW / "planes.parquet")
    same = ("manufacturer", "model", "year", "seats", "engines")
    swapped = bh.swap_tailnums(sample, planes, same=same, seed=1)
    change = bh.score_change(base[swapped.index], bh.score(model, swapped))
    assert change["max_abs_change"] < 1e-9, change  # the tail number itself is no feature


# Directional expectations: what must push the score one way.


def test_rain_at_the_origin_raises_the_score(model, features, base) -> None:
    wet = bh.with_more_precipitation(features, inches_per_hour=0.1)
    change = bh.score_change(base, bh.score_features(model, wet))
    assert change["mean_change"] > 0.02, change  # measured: +0.11
    assert change["share_up"] > 0.5, change  # measured: 90% up, 6% down


def test_poor_visibility_at_the_origin_raises_the_score(model, features, base) -> None:
    foggy = bh.with_lower_visibility(features, miles=1.0)
    change = bh.score_change(base, bh.score_features(model, foggy))
    assert change["mean_change"] > 0.02, change  # measured: +0.068
    assert change["share_up"] > 0.5, change  # measured: 90% up, 2% down


def test_a_later_departure_raises_the_mean_score(model, sample, base) -> None:
    later = bh.shift_departure(sample, 4)
    change = bh.score_change(base[later.index], bh.score(model, later))
    assert change["mean_change"] > 0.01, change  # measured: +0.040
    by_hour = bh.mean_score_by_departure_hour(model, sample.head(1500), [6, 18])
    assert by_hour[18] > by_hour[6] + 0.05, by_hour.to_dict()  # measured: 0.29 vs 0.12


# Minimum functionality: what the model must get right at all.


@pytest.fixture(scope="module")
def holdout_scores(model: object, holdout: pd.DataFrame) -> np.ndarray:
    return bh.score(model, holdout)


def test_test_roc_auc_meets_the_registry_floor(holdout, holdout_scores) -> None:
    floor = load_params().register.min_roc_auc
    auc = roc_auc_score(holdout[LABEL], holdout_scores)
    assert auc >= floor, f"test ROC AUC {auc:.4f} below the floor {floor}"  # measured: 0.706


def test_model_beats_the_late_rate_of_each_carrier(holdout, holdout_scores) -> None:
    train = pd.read_parquet(paths.PROCESSED / "train.parquet", columns=["carrier", LABEL])
    rate = train.groupby("carrier", observed=True)[LABEL].mean()
    rule = holdout["carrier"].map(rate).astype(float).fillna(train[LABEL].mean())
    rule_auc, model_auc = (
        roc_auc_score(holdout[LABEL], rule),
        roc_auc_score(holdout[LABEL], holdout_scores),
    )
    assert model_auc > rule_auc + 0.05, (model_auc, rule_auc)  # measured: 0.706 vs 0.565


def test_december_scores_higher_than_september(model, holdout, holdout_scores) -> None:
    valid = pd.read_parquet(paths.PROCESSED / "valid.parquet")
    if not {9} <= set(valid["month"]) or 12 not in set(holdout["month"]):
        pytest.skip("the split no longer puts September in validation and December in test")
    september = valid.loc[valid["month"] == 9].sample(5000, random_state=0)
    december = holdout_scores[holdout["month"].to_numpy() == 12]
    # measured: mean score 0.232 in December vs 0.203 in September (late: 32.6% vs 13.2%)
    assert december.mean() > bh.score(model, september).mean() + 0.01

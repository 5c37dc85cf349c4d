"""The few-flights scorer gives the pipeline's probabilities, to the last bit.

A gradient-boosting pipeline of the course's shape is fitted on real flights in a second
or two (categories on, so the trees have categorical splits); random batches of 1 to 64
flights, every edge case and a large sample of unseen flights are scored both ways. The
registered model itself (``models/model``, when ``dvc repro`` made it) is compared on the
whole test split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labs_common import paths
from labs_common.data import load_table
from module04_ml_fundamentals.edge_cases import edge_schedules
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, add_label
from module04_ml_fundamentals.train import build_pipeline, write_lookups
from module06_lifecycle.fast_path import FAST_ROWS, FewFlightsScorer
from module06_lifecycle.predictor import ModelInfo, Predictor


@pytest.fixture(scope="module")
def weather() -> pd.DataFrame:
    return load_table("weather")


@pytest.fixture(scope="module")
def boosting(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The course's hgb pipeline, small: 60 trees fitted on 8,000 real flights."""
    lookups = write_lookups(tmp_path_factory.mktemp("boosting"))
    train = add_label(load_table("flights").sample(8000, random_state=11))
    pipe = build_pipeline("hgb", **lookups, max_iter=60, min_samples_leaf=40)
    return pipe.fit(train[SCHEDULE_COLUMNS], train[LABEL])


@pytest.fixture(scope="module")
def unseen(weather: pd.DataFrame) -> pd.DataFrame:
    """Flights the model did not train on, then the edge cases."""
    flights = load_table("flights").sample(6000, random_state=12)[SCHEDULE_COLUMNS]
    return pd.concat([flights, edge_schedules(weather)], ignore_index=True)


def _fast_in_chunks(scorer: FewFlightsScorer, X: pd.DataFrame) -> np.ndarray:
    return np.concatenate(
        [scorer.predict_proba(X.iloc[i : i + FAST_ROWS]) for i in range(0, len(X), FAST_ROWS)]
    )


def test_the_trees_have_categorical_splits(boosting: object) -> None:
    """Otherwise the bitset logic below would go untested."""
    assert FewFlightsScorer(boosting).forest.is_categorical.sum() > 0


def test_random_small_batches_score_as_the_pipeline(boosting: object, unseen: pd.DataFrame) -> None:
    scorer = FewFlightsScorer(boosting)
    rng = np.random.default_rng(2)
    for _ in range(60):
        batch = unseen.iloc[rng.choice(len(unseen), rng.integers(1, FAST_ROWS + 1))]
        expected = boosting.predict_proba(batch)[:, 1]
        np.testing.assert_array_equal(scorer.predict_proba(batch), expected)


def test_every_edge_case_alone_scores_as_the_pipeline(
    boosting: object, weather: pd.DataFrame
) -> None:
    scorer, edges = FewFlightsScorer(boosting), edge_schedules(weather)
    for i in range(len(edges)):
        one = edges.iloc[[i]]
        np.testing.assert_array_equal(scorer.predict_proba(one), boosting.predict_proba(one)[:, 1])


def test_thousands_of_unseen_flights_score_as_the_pipeline(
    boosting: object, unseen: pd.DataFrame
) -> None:
    fast = _fast_in_chunks(FewFlightsScorer(boosting), unseen)
    np.testing.assert_array_equal(fast, boosting.predict_proba(unseen)[:, 1])


def test_predictor_uses_it_for_small_frames_only(boosting: object, unseen: pd.DataFrame) -> None:
    predictor = Predictor(boosting, ModelInfo("m", "1", None, "t", 0.3, "t"))
    assert predictor.fast is not None
    calls = []
    original = predictor.fast.predict_proba
    predictor.fast.predict_proba = lambda X: calls.append(len(X)) or original(X)  # type: ignore[method-assign]
    predictor.predict(unseen.head(FAST_ROWS))
    predictor.predict(unseen.head(FAST_ROWS + 1))
    assert calls == [FAST_ROWS], "a larger frame is the batch path: the pipeline itself"


def test_a_pipeline_of_another_shape_has_no_fast_path(
    tiny_pipeline: tuple[object, pd.DataFrame],
) -> None:
    pipe, flights = tiny_pipeline  # the logistic baseline: one-hot, scaler, no trees
    assert FewFlightsScorer.from_pipeline(pipe) is None
    predictor = Predictor(pipe, ModelInfo("m", "1", None, "t", 0.3, "t"))
    np.testing.assert_array_equal(
        predictor.predict_proba(flights.head(3), validate=False),
        pipe.predict_proba(flights.head(3)[SCHEDULE_COLUMNS])[:, 1],
    )


@pytest.mark.data
def test_the_registered_model_scores_the_test_split_as_its_pipeline() -> None:
    from module06_lifecycle.predictor import load_from_dir

    folder = paths.MODELS / "model"
    if not (folder / "MLmodel").is_file():
        pytest.skip("models/model not built: run `dvc repro`")
    predictor = load_from_dir(Path(folder))
    assert predictor.fast is not None, "the course's model has a fast path"
    test = pd.read_parquet(paths.PROCESSED / "test.parquet")[SCHEDULE_COLUMNS]
    fast = _fast_in_chunks(predictor.fast, test)
    np.testing.assert_array_equal(fast, predictor.model.predict_proba(test)[:, 1])


def test_tree_walk_matches_scikit_learn_on_any_category_code(
    boosting: object, unseen: pd.DataFrame
) -> None:
    """Codes the encoders never produce (negative, unknown to the trees) walk as in sklearn.

    The encoders turn an unseen category into NaN, so these branches are unreachable
    through the pipeline; the walk is compared with scikit-learn's own tree predictor.
    """
    from module06_lifecycle.fast_path import _leaf_values

    scorer, model = FewFlightsScorer(boosting), boosting[-1]
    X = scorer.matrix(unseen.head(500))
    rng = np.random.default_rng(5)
    for j in np.flatnonzero(model.is_categorical_):
        X[:, j] = rng.choice([-3.0, -1.0, np.nan, *range(int(np.nanmax(X[:, j])) + 8)], len(X))
    known, f_idx = model._bin_mapper.make_known_categories_bitsets()
    expected = np.column_stack([tree.predict(X, known, f_idx, 1) for (tree,) in model._predictors])
    np.testing.assert_array_equal(_leaf_values(scorer.forest, X), expected)

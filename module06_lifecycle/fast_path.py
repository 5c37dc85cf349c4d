"""Score a few flights without scikit-learn's per-call overhead, to the same last digit.

Why it matters: on one flight, the fitted pipeline spends almost all its time on overhead,
not arithmetic: two ``ColumnTransformer`` passes over one-row pandas frames (ours, and the
one gradient boosting builds for its categories) and 300 separate calls, one per tree.
This module reads the *fitted* pipeline once (the category codes of both encoders, the
nodes of every tree) and then scores a few rows with a handful of NumPy operations. It
learns nothing and decides nothing: every number comes from the fitted objects, and the
tests compare it with the pipeline on the whole test split and on random small batches
(equal to the last bit). Anything it does not know how to read (another model family, a
new encoder) makes :meth:`FewFlightsScorer.from_pipeline` return ``None``, and the caller
keeps using the pipeline. Batches larger than :data:`FAST_ROWS` always use the pipeline.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OrdinalEncoder
from sklearn.utils.validation import check_array

from module04_ml_fundamentals.features import FlightFeatures

log = logging.getLogger(__name__)

#: Up to this many rows per call the fast path scores (the service's micro-batch size).
FAST_ROWS = 64


class UnsupportedPipeline(TypeError):
    """A pipeline step this module cannot read; the pipeline itself scores instead."""


@dataclass(frozen=True)
class _Column:
    """How one input column of the trees is computed from one feature."""

    feature: str
    codes: dict | None  # category -> code of the trees; None: a number, cast to float64


def _encoder_columns(step: object, inputs: list[_Column], names: list[str]) -> list[_Column]:
    """The output columns of a fitted ColumnTransformer, from what its inputs are."""
    if not isinstance(step, ColumnTransformer):
        raise UnsupportedPipeline(f"expected a ColumnTransformer, got {type(step).__name__}")
    out = []
    for _, transformer, selection in step.transformers_:
        picked = [c for c, keep in zip(inputs, _mask(selection, names), strict=True) if keep]
        if transformer == "drop" or not picked:
            continue
        if isinstance(transformer, OrdinalEncoder):
            categories = transformer.categories_
            out += [_ordinal(c, k, transformer) for c, k in zip(picked, categories, strict=True)]
        elif transformer == "passthrough" or _is_float_cast(transformer):
            out += [_Column(c.feature, c.codes) for c in picked]
        else:
            raise UnsupportedPipeline(f"no fast form for {transformer!r}")
    return out


def _mask(selection: object, names: list[str]) -> list[bool]:
    chosen = np.asarray(selection)
    if chosen.dtype == bool:
        return chosen.tolist()
    return [name in set(chosen.tolist()) for name in names]


def _is_float_cast(transformer: object) -> bool:
    """Identity (``passthrough``) or gradient boosting's ``check_array(dtype=float64)``."""
    if not isinstance(transformer, FunctionTransformer):
        return False
    func = transformer.func
    if func is None:
        return True
    return (
        isinstance(func, functools.partial)
        and func.func is check_array
        and func.keywords.get("dtype") in ([np.float64], np.float64)
    )


def _ordinal(column: _Column, categories: np.ndarray, encoder: OrdinalEncoder) -> _Column:
    """Compose an ordinal encoder's codes onto what the column already maps to."""
    unknown, missing = encoder.unknown_value, encoder.encoded_missing_value
    if encoder.handle_unknown != "use_encoded_value" or not (_is_nan(unknown) and _is_nan(missing)):
        raise UnsupportedPipeline("only ordinal encoders that code unknown and missing as NaN")
    code = {value: float(i) for i, value in enumerate(categories.tolist()) if not _is_nan(value)}
    if column.codes is None:
        return _Column(column.feature, code)
    return _Column(column.feature, {k: code.get(v, np.nan) for k, v in column.codes.items()})


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and np.isnan(value)


@dataclass(frozen=True)
class _Forest:
    """Every tree's nodes, stacked into flat arrays (node ids made global)."""

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    is_leaf: np.ndarray
    is_categorical: np.ndarray
    bitset: np.ndarray  # the row of ``left_bits`` of a categorical split
    value: np.ndarray
    left_bits: np.ndarray  # categories sent left, one bitset row per categorical split
    known_bits: np.ndarray  # categories seen in training, one row per categorical feature
    known_row: np.ndarray  # feature -> its row of ``known_bits``


def _stack_trees(model: HistGradientBoostingClassifier) -> _Forest:
    if model.n_trees_per_iteration_ != 1 or list(model.classes_) != [0, 1]:
        raise UnsupportedPipeline("only a binary classifier with classes [0, 1]")
    trees = [tree for (tree,) in model._predictors]
    sizes = np.array([len(t.nodes) for t in trees])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    bit_rows = np.array([len(t.raw_left_cat_bitsets) for t in trees])
    bit_offsets = np.concatenate([[0], np.cumsum(bit_rows)[:-1]])
    nodes = np.concatenate([t.nodes for t in trees])
    node_offset = np.repeat(offsets, sizes)
    known_bits, known_row = model._bin_mapper.make_known_categories_bitsets()
    return _Forest(
        roots=offsets.astype(np.int64),
        feature=nodes["feature_idx"].astype(np.int64),
        threshold=nodes["num_threshold"],
        missing_left=nodes["missing_go_to_left"].astype(bool),
        left=nodes["left"].astype(np.int64) + node_offset,
        right=nodes["right"].astype(np.int64) + node_offset,
        is_leaf=nodes["is_leaf"].astype(bool),
        is_categorical=nodes["is_categorical"].astype(bool),
        bitset=nodes["bitset_idx"].astype(np.int64) + np.repeat(bit_offsets, sizes),
        value=nodes["value"],
        left_bits=np.concatenate([t.raw_left_cat_bitsets for t in trees]).astype(np.uint32),
        known_bits=np.asarray(known_bits, dtype=np.uint32),
        known_row=np.asarray(known_row, dtype=np.int64),
    )


def _in_bitset(bits: np.ndarray, row: np.ndarray, code: np.ndarray) -> np.ndarray:
    return ((bits[row, code // 32] >> (code % 32).astype(np.uint32)) & 1).astype(bool)


def _leaf_values(forest: _Forest, X: np.ndarray) -> np.ndarray:
    """The leaf value each row reaches in each tree, shape ``(rows, trees)``.

    All trees descend one level per step, as scikit-learn's ``_predict_from_raw_data``
    descends one tree: NaN follows the node's missing side; a category goes left when in
    the split's set, right when known but not in it, and the missing side otherwise.
    Only the (row, tree) pairs not yet at a leaf take the next step.
    """
    n_trees = len(forest.roots)
    node = np.tile(forest.roots, len(X))
    row = np.repeat(np.arange(len(X)), n_trees)
    todo = np.flatnonzero(~forest.is_leaf[node])
    while len(todo):
        at = node[todo]
        value = X[row[todo], forest.feature[at]]
        nan = np.isnan(value)
        go_left = np.where(nan, forest.missing_left[at], value <= forest.threshold[at])
        cat = forest.is_categorical[at] & ~nan
        if cat.any():
            go_left[cat] = _categorical_side(forest, at[cat], value[cat])
        node[todo] = at = np.where(go_left, forest.left[at], forest.right[at])
        todo = todo[~forest.is_leaf[at]]
    return forest.value[node].reshape(len(X), n_trees)


def _categorical_side(forest: _Forest, at: np.ndarray, code: np.ndarray) -> np.ndarray:
    """True where a category goes left: in the split's set, or unknown on the missing side."""
    whole = np.maximum(code, 0).astype(np.int64)
    in_left = _in_bitset(forest.left_bits, forest.bitset[at], whole)
    known = _in_bitset(forest.known_bits, forest.known_row[forest.feature[at]], whole)
    missing_side = forest.missing_left[at]
    return np.where(code < 0, missing_side, in_left | (~known & missing_side))


class FewFlightsScorer:
    """The fitted course pipeline (features, encoders, gradient boosting), read into arrays.

    Args:
        pipeline: a fitted ``Pipeline`` of :class:`FlightFeatures`, a ``ColumnTransformer``
            and a ``HistGradientBoostingClassifier``.

    Raises:
        UnsupportedPipeline: another shape of pipeline (use :meth:`from_pipeline`).
    """

    def __init__(self, pipeline: Pipeline) -> None:
        steps = [step for _, step in pipeline.steps]
        if len(steps) != 3 or not isinstance(steps[0], FlightFeatures):
            raise UnsupportedPipeline("expected FlightFeatures, an encoder and a classifier")
        features, encoder, model = steps
        if not isinstance(model, HistGradientBoostingClassifier):
            raise UnsupportedPipeline(f"no fast form for {type(model).__name__}")
        names = list(features.feature_names_)
        columns = _encoder_columns(encoder, [_Column(n, None) for n in names], names)
        if model._preprocessor is not None:
            encoded = list(encoder.get_feature_names_out())
            columns = _encoder_columns(model._preprocessor, columns, encoded)
        self.features, self.columns = features, columns
        self.forest = _stack_trees(model)
        self.baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
        self._loss = model._loss
        if self.forest.is_categorical.any() and max(len(c.codes or ()) for c in columns) > 256:
            raise UnsupportedPipeline("category codes beyond a 256-bit bitset")

    @classmethod
    def from_pipeline(cls, pipeline: object) -> FewFlightsScorer | None:
        """The scorer of ``pipeline``, or ``None`` when it has another shape."""
        try:
            return cls(pipeline)  # type: ignore[arg-type]
        except (UnsupportedPipeline, AttributeError) as exc:
            log.info("No fast path for this model (%s); the pipeline scores every call", exc)
            return None

    def matrix(self, schedule: pd.DataFrame) -> np.ndarray:
        """The trees' input matrix: what the two encoders would hand the model."""
        features = self.features.feature_columns(schedule)
        out = np.empty((len(schedule), len(self.columns)), dtype=np.float64)
        for j, column in enumerate(self.columns):
            values = features[column.feature]
            if column.codes is None:
                out[:, j] = values
            else:
                out[:, j] = [column.codes.get(v, np.nan) for v in values.tolist()]
        return out

    def predict_proba(self, schedule: pd.DataFrame) -> np.ndarray:
        """The probability of ``late`` for each flight, as ``pipeline.predict_proba[:, 1]``."""
        leaves = _leaf_values(self.forest, self.matrix(schedule))
        # Added tree after tree, as scikit-learn does: the same float sums to the last bit.
        start = np.broadcast_to(self.baseline, (len(leaves), 1))
        raw = np.cumsum(np.concatenate([start, leaves], axis=1), axis=1)[:, -1:]
        return self._loss.predict_proba(raw)[:, 1]

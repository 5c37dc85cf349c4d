"""Stage ``train``: fit gradient-boosted trees on the training months, save the model.

The model is a scikit-learn pipeline that takes the feature table (``add_features``) and
encodes the categories itself, so the same file serves batch and online scoring.
"""

from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

from myflights.features import CATEGORIES, NUMBERS

MODEL = Path("models/model.joblib")


def build_model(train: dict) -> Pipeline:
    """An untrained pipeline: categories to codes, then boosted trees."""
    codes = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    encode = ColumnTransformer(
        [("numbers", "passthrough", NUMBERS), ("categories", codes, CATEGORIES)]
    )
    trees = HistGradientBoostingClassifier(
        max_iter=train["max_iter"], learning_rate=train["learning_rate"],
        categorical_features=list(range(len(NUMBERS), len(NUMBERS) + len(CATEGORIES))),
        random_state=train["seed"],
    )  # fmt: skip
    return Pipeline([("encode", encode), ("trees", trees)])


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    train = pd.read_parquet("data/processed/train.parquet")
    model = build_model(params["train"]).fit(train.drop(columns=["late"]), train["late"])
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, MODEL)


if __name__ == "__main__":
    main()

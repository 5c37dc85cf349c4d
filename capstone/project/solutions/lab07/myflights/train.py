"""Stage ``train``: fit gradient-boosted trees on the training months, track the run.

The model is a scikit-learn pipeline that takes the feature table (``add_features``) and
encodes the categories itself, so the same file serves batch and online scoring. MLflow
records the parameters, the validation ROC AUC, the input dataset and the model (with its
signature and an input example), in ``MLFLOW_TRACKING_URI`` or ``mlflow.db`` here.
"""

from __future__ import annotations

import os
from pathlib import Path

import joblib
import mlflow
import pandas as pd
import sklearn
import yaml
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
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


def track(model: Pipeline, params: dict, train: pd.DataFrame, valid: pd.DataFrame) -> None:
    """Log one MLflow run: params, validation ROC AUC, the training data and the model."""
    mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"))
    mlflow.set_experiment("my-flight-delay")
    X_valid = valid.drop(columns=["late"])
    auc = roc_auc_score(valid["late"], model.predict_proba(X_valid)[:, 1])
    with mlflow.start_run():
        mlflow.log_params({f"train.{k}": v for k, v in params["train"].items()})
        mlflow.log_params({"features.late_minutes": params["features"]["late_minutes"],
                           "split.train_months": params["split"]["train_months"]})  # fmt: skip
        mlflow.log_metric("valid_roc_auc", auc)
        mlflow.log_input(mlflow.data.from_pandas(train, name="train", targets="late"), "training")
        mlflow.sklearn.log_model(
            model, name="model", input_example=X_valid.head(5),
            serialization_format="cloudpickle",
            pip_requirements=[f"scikit-learn=={sklearn.__version__}", f"pandas=={pd.__version__}"],
        )  # fmt: skip


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    train = pd.read_parquet("data/processed/train.parquet")
    model = build_model(params["train"]).fit(train.drop(columns=["late"]), train["late"])
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, MODEL)
    track(model, params, train, pd.read_parquet("data/processed/valid.parquet"))


if __name__ == "__main__":
    main()

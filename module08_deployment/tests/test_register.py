from __future__ import annotations

import mlflow
import pytest

from labs_common.config import RegisterParams
from labs_common.data import load_table
from module04_ml_fundamentals.features import LABEL, add_label
from module04_ml_fundamentals.train import build_pipeline
from module07_experiments.tracking import TRUSTED_TYPES
from module08_deployment.register import CHALLENGER, CHAMPION, apply_gates, register

GATES = RegisterParams(model_name="m", min_roc_auc=0.70, max_slice_gap=0.15,
                       min_slice_rows=500, tolerance=0.002)  # fmt: skip


@pytest.mark.parametrize(
    ("auc", "gap", "champion", "alias"),
    [(0.71, 0.10, None, CHAMPION), (0.69, 0.10, None, CHALLENGER),
     (0.71, 0.20, None, CHALLENGER), (0.71, 0.10, 0.73, CHALLENGER),
     (0.7285, 0.10, 0.73, CHAMPION)],
    ids=["first-good", "below-floor", "slice-gap", "worse-than-champion", "within-tolerance"],
)  # fmt: skip
def test_decide_applies_every_gate(
    auc: float, gap: float, champion: float | None, alias: str
) -> None:
    decision = apply_gates({"test_roc_auc": auc, "max_slice_gap": gap}, GATES, champion)
    assert decision.alias == alias
    assert len(decision.reasons) == 3
    assert any(r.startswith("FAIL") for r in decision.reasons) == (alias == CHALLENGER)


@pytest.mark.slow
def test_register_promotes_then_keeps_champion_on_regression(mlflow_tmp: str, tmp_path) -> None:
    flights = add_label(load_table("flights").sample(4000, random_state=2), 15)
    test = flights.loc[flights["month"] >= 7]
    load_table("planes").to_parquet(tmp_path / "planes.parquet")
    pipe = build_pipeline("logreg", weather_path=None, planes_path=str(tmp_path / "planes.parquet"),
                          use_weather=False).fit(flights, flights[LABEL])  # fmt: skip
    with mlflow.start_run():
        uri = mlflow.sklearn.log_model(
            pipe, name="model", skops_trusted_types=TRUSTED_TYPES
        ).model_uri
    gates = GATES.model_copy(update={"min_roc_auc": 0.5, "max_slice_gap": 1.0})
    first = register(uri, {"test_roc_auc": 0.8, "max_slice_gap": 0.0}, {}, gates, test)
    assert (first["version"], first["alias"]) == (1, CHAMPION)
    # The same model claims a worse AUC than the champion scores on the same test data.
    second = register(uri, {"test_roc_auc": 0.5, "max_slice_gap": 0.0}, {}, gates, test)
    assert second["alias"] == CHALLENGER and second["champion_version"] == 1
    client = mlflow.MlflowClient()
    assert int(client.get_model_version_by_alias("m", CHAMPION).version) == 1
    hashes = {client.get_model_version("m", v).tags.get("model.sha256") for v in ("1", "2")}
    assert len(hashes) == 1 and len(hashes.pop()) == 64, "the same file, its hash recorded"

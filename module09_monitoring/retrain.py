"""Retrain on newer data, then let the challenger face the champion on the same recent days.

Why it matters: retraining is cheap; trusting a retrained model is not. The challenger is
the champion's own recipe (module 04's pipeline, same features and hyper-parameters,
cloned) refitted on every labelled flight up to the last ``holdout_days`` of the month
just closed. Those last days are kept back: neither model has seen them, so both are
scored on them and judged by the same gates as the ``register`` stage (module 08's
:func:`~module08_deployment.register.apply_gates`). Only a challenger that passes becomes
champion.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sklearn.base import clone

from labs_common.config import CostParams, RegisterParams
from labs_common.contract import CHAMPION
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module08_deployment.register import apply_gates, gate_metrics
from module09_monitoring.quality import calibration_stats, ranking_stats
from module09_monitoring.reference import model_scores

log = logging.getLogger(__name__)


def split_recent(month: pd.DataFrame, holdout_days: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a month into its first days (to train on) and its last ``holdout_days`` days.

    Example:
        >>> older, recent = split_recent(pd.DataFrame({"day": [1, 16, 17, 30]}), 14)
        >>> older["day"].tolist(), recent["day"].tolist()
        ([1, 16], [17, 30])
    """
    cut = int(month["day"].max()) - holdout_days
    recent = month["day"] > cut
    return month.loc[~recent].reset_index(drop=True), month.loc[recent].reset_index(drop=True)


def fit_challenger(champion: object, history: pd.DataFrame, raw_dir: Path | None = None) -> object:
    """Refit the champion's recipe (an unfitted clone) on ``history``; labelled rows only.

    Args:
        champion: the fitted pipeline whose steps and hyper-parameters are reused.
        history: schedule columns and ``late`` of every flight to learn from.
        raw_dir: folder with ``weather.parquet`` and ``planes.parquet`` (default: the
            champion's own lookup files).
    """
    recipe = clone(champion)
    if raw_dir is not None:
        recipe.set_params(
            features__weather_path=str(Path(raw_dir) / "weather.parquet"),
            features__planes_path=str(Path(raw_dir) / "planes.parquet"),
        )
    known = history.dropna(subset=[LABEL])
    log.info("Retraining on %s flights", f"{len(known):,}")
    return recipe.fit(known[SCHEDULE_COLUMNS], known[LABEL].astype(int))


def holdout_metrics(
    model: object, recent: pd.DataFrame, threshold: float, costs: CostParams, min_rows: int
) -> dict:
    """Score ``recent``; return what the gates read (:func:`gate_metrics`), Brier and
    the calibration gap."""
    proba = model_scores(model, recent)
    y = recent[LABEL].astype(int).to_numpy()
    return {
        **gate_metrics(recent, proba, threshold, costs, min_rows),
        "brier": ranking_stats(y, proba)["brier"],
        "calibration_gap": calibration_stats(y, proba)["calibration_gap"],
    }


def compare_models(
    champion: object,
    challenger: object,
    recent: pd.DataFrame,
    gates: RegisterParams,
    costs: CostParams,
    threshold: float,
) -> dict:
    """Score both models on the same recent flights and apply the register gates.

    Returns:
        ``{"holdout_rows", "challenger", "champion", "alias", "reasons", "promoted"}``.
    """
    args = (recent, threshold, costs, gates.min_slice_rows)
    ours, theirs = holdout_metrics(challenger, *args), holdout_metrics(champion, *args)
    if ours["test_roc_auc"] is None or theirs["test_roc_auc"] is None:
        reasons = [f"FAIL: the {len(recent)} recent flights hold one class only; nothing to rank"]
        return {
            "holdout_rows": len(recent),
            "challenger": ours,
            "champion": theirs,
            "alias": "challenger",
            "reasons": reasons,
            "promoted": False,
        }
    decision = apply_gates(ours, gates, theirs["test_roc_auc"])
    return {
        "holdout_rows": len(recent),
        "challenger": ours,
        "champion": theirs,
        "alias": decision.alias,
        "reasons": decision.reasons,
        "promoted": decision.alias == CHAMPION,
    }

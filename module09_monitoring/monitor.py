"""Monitor one period of flights: data drift, prediction drift, and quality once labelled.

Why it matters: this is the monthly health check of the model. It answers four questions
in order, each with a number and a limit: did the *inputs* change (data drift), did
the *outputs* change (prediction drift), did the *world* change (label shift), and is the
model still *right* (calibration, ROC AUC)? The first two need no labels and warn early;
the last two wait for the flights to land, and say the most.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from labs_common.data import write_text
from module04_ml_fundamentals.features import LABEL
from module05_business.evaluate import round_floats
from module09_monitoring.drift import drift_table, psi
from module09_monitoring.params import MonitorParams
from module09_monitoring.quality import calibration_stats, labelled_part, ranking_stats
from module09_monitoring.reference import SCORE, Reference, model_features
from module09_monitoring.rules import decide

log = logging.getLogger(__name__)


def period_of(flights: pd.DataFrame) -> tuple[int | list[int], str]:
    """Return the month(s) of the rows and a label such as ``2013-09`` (used as folder name).

    Example:
        >>> period_of(pd.DataFrame({"year": [2013, 2013], "month": [9, 9]}))
        (9, '2013-09')
    """
    months = sorted({int(m) for m in flights["month"]})
    years = sorted({int(y) for y in flights["year"]})
    if len(months) == 1 and len(years) == 1:
        return months[0], f"{years[0]}-{months[0]:02d}"
    return months, f"{years[0]}-{months[0]:02d}_to_{years[-1]}-{months[-1]:02d}"


def drift_stats(
    table: pd.DataFrame,
    ref_scores: pd.Series,
    scores: pd.Series,
    psi_limit: float,
    params: MonitorParams,
) -> dict:
    """Summarise the drift table and the score's drift into the month's numbers."""
    drifted = table.index[table["drifted"]].tolist()
    missing = table.index[table["missing_flag"]].tolist()
    score_psi = psi(ref_scores, scores, categorical=False)
    return {
        "drift_share": float(table["drifted"].mean()),
        "drifted_features": drifted,
        "missing_features": missing,
        "prediction_psi": score_psi,
        "prediction_psi_limit": psi_limit,
        "prediction_drift": bool(score_psi >= psi_limit),
        "mean_score": float(scores.mean()),
    }


def label_stats(
    labels: pd.Series | None, scores: pd.Series, reference_rate: float | None, params: MonitorParams
) -> dict:
    """Return the label-based numbers, or ``None`` values and the reason when too few labels."""
    known = labelled_part(labels) if labels is not None else np.zeros(len(scores), bool)
    out: dict = {"labelled_rows": int(known.sum()), "reference_label_rate": reference_rate}
    empty = dict.fromkeys(
        (
            "label_rate",
            "label_shift",
            "calibration_gap",
            "calibration_error",
            "roc_auc",
            "brier",
            "log_loss",
        )
    )
    if known.sum() < params.min_labelled_rows:
        reason = f"skipped: {int(known.sum())} labelled rows (< {params.min_labelled_rows})"
        return {**out, **empty, "quality_report": reason}
    y, p = np.asarray(labels, dtype=float)[known].astype(int), scores.to_numpy()[known]
    stats = {**calibration_stats(y, p, params.calibration_bins), **ranking_stats(y, p)}
    stats.pop("mean_score")
    shift = None if reference_rate is None else stats["label_rate"] - reference_rate
    return {**out, **empty, **stats, "label_shift": shift, "quality_report": "written"}


def monitor_month(
    flights: pd.DataFrame,
    scores: np.ndarray,
    model: object,
    reference: Reference,
    params: MonitorParams,
    *,
    threshold: float | None = None,
    out_dir: Path | None = None,
    workspace: Path | None = None,
) -> dict:
    """Check one period against the reference; return its summary entry, write its reports.

    Args:
        flights: raw schedule rows of the period (``late`` too once the labels are known).
        scores: the model's probability for each row (what production served).
        model: the pipeline whose first step computes the features.
        reference: the champion's reference (see ``reference.build_reference``).
        params: the monitor's rules (floors, margins, retraining).
        threshold: the decision threshold the scores were flagged with (the model's
            registry tag); the classification report judges those decisions, so it is
            required with ``out_dir``.
        out_dir: where to write ``<period>/``; nothing is written when ``None``.
        workspace: an Evidently workspace folder to add the period's snapshots to (with
            ``out_dir`` only).

    Raises:
        ValueError: ``out_dir`` without ``threshold`` (a guessed 0.5 would judge decisions
            the service never made).
    """
    if out_dir is not None and threshold is None:
        raise ValueError(
            "monitor_month needs threshold= to write reports: pass the decision threshold "
            "of the model that scored the flights (Predictor.threshold, its registry tag)"
        )
    month, period = period_of(flights)
    current = model_features(model, flights)
    current[SCORE] = np.asarray(scores, dtype=float)
    table = drift_table(
        reference.frame[reference.features],
        current[reference.features],
        reference.psi_limits,
        reference.categorical,
        reference.missing_limits,
    )
    labels = flights[LABEL].reset_index(drop=True) if LABEL in flights else None
    stats = {
        "month": month,
        "period": period,
        "rows": len(flights),
        **drift_stats(
            table, reference.frame[SCORE], current[SCORE], reference.psi_limits[SCORE], params
        ),
        **label_stats(labels, current[SCORE], reference.label_rate, params),
    }
    entry = round_floats({**stats, **decide(stats, params)})
    if entry["quality_report"] != "written":
        log.warning("%s: quality report %s", period, entry["quality_report"])
    if out_dir is not None:
        snapshots = write_month(
            Path(out_dir) / period, entry, table, reference, current, labels, threshold, params
        )
        if workspace is not None:
            from module09_monitoring.workspace import add_snapshots

            add_snapshots(snapshots, period, Path(workspace))
    return entry


def write_month(
    folder: Path,
    entry: dict,
    table: pd.DataFrame,
    reference: Reference,
    current: pd.DataFrame,
    labels: pd.Series | None,
    threshold: float,
    params: MonitorParams,
) -> dict[str, object]:
    """Write ``monitor.json`` and the Evidently reports (HTML + JSON) of one period.

    Returns:
        The Evidently snapshots by report name (``data_drift``, ``prediction_drift`` and,
        once labelled, ``classification``).
    """
    from module09_monitoring import report

    feats = reference.features
    snapshots = {
        "data_drift": report.data_drift_report(
            reference.frame[feats],
            current[feats],
            reference.psi_limits,
            reference.categorical,
            params.max_drift_share,
        ),
        "prediction_drift": report.prediction_drift_report(
            reference.frame[SCORE], current[SCORE], reference.psi_limits[SCORE]
        ),
    }
    if entry["quality_report"] == "written":
        known = labelled_part(labels)
        snapshots["classification"] = report.quality_report(
            labels[known], current[SCORE][known], threshold
        )
    files = [
        name
        for key, snap in snapshots.items()
        for name in report.save_snapshot(snap, folder, key, params.html)
    ]
    detail = {
        **entry,
        "files": files,
        "drift_table": round_floats(table.reset_index().to_dict(orient="records")),
    }
    write_text(json.dumps(detail, indent=2) + "\n", folder / "monitor.json")
    return snapshots

"""Evidently reports of a month: data drift, prediction drift, classification quality.

Why it matters: the JSON summary is for the retraining rule; people need to *see* a
drift: the two histograms side by side, the test that failed and its limit. Evidently
draws them. Each report is saved twice, as HTML for people and as JSON for machines, and
uses the same per-column limits as :mod:`module09_monitoring.drift`, so the HTML and
the summary never disagree.

Evidently 0.7 API: ``Report([...]).run(current_data=..., reference_data=...)`` returns a
snapshot; pass the data by keyword (the order of the two is easy to get wrong).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from labs_common.data import write_text

log = logging.getLogger(__name__)


def _dataset(frame: pd.DataFrame, numerical: list[str], categorical: list[str], **kw: object):
    from evidently import DataDefinition, Dataset

    definition = DataDefinition(numerical_columns=numerical, categorical_columns=categorical, **kw)
    return Dataset.from_pandas(frame, data_definition=definition)


def data_drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    psi_limits: dict[str, float],
    categorical: list[str],
    drift_share: float,
) -> object:
    """Run the data drift report: one PSI test per column and the share of drifted columns."""
    from evidently import Report
    from evidently.metrics import DriftedColumnsCount, ValueDrift

    columns = list(reference.columns)
    numerical = [c for c in columns if c not in categorical]
    cats = [c for c in columns if c in categorical]
    limits = {c: psi_limits[c] for c in columns}
    metrics = [
        DriftedColumnsCount(
            columns=columns, method="psi", per_column_threshold=limits, drift_share=drift_share
        ),
        *[ValueDrift(column=c, method="psi", threshold=limits[c]) for c in columns],
    ]
    return Report(metrics, include_tests=True).run(
        current_data=_dataset(current[columns], numerical, cats),
        reference_data=_dataset(reference[columns], numerical, cats),
    )


def prediction_drift_report(reference: pd.Series, current: pd.Series, psi_limit: float) -> object:
    """Run the prediction drift report: the score's PSI and its mean, current vs reference."""
    from evidently import Report
    from evidently.metrics import MeanValue, QuantileValue, ValueDrift

    name = "score"
    metrics = [
        ValueDrift(column=name, method="psi", threshold=psi_limit),
        MeanValue(column=name),
        QuantileValue(column=name, quantile=0.9),
    ]
    return Report(metrics, include_tests=True).run(
        current_data=_dataset(current.rename(name).to_frame(), [name], []),
        reference_data=_dataset(reference.rename(name).to_frame(), [name], []),
    )


def quality_report(labels: pd.Series, scores: pd.Series, threshold: float) -> object:
    """Run the classification report of a labelled month (flag when score >= threshold)."""
    from evidently import BinaryClassification, Report
    from evidently.presets import ClassificationPreset

    frame = pd.DataFrame({"late": labels.astype(int).to_numpy(), "score": scores.to_numpy()})
    task = BinaryClassification(target="late", prediction_probas="score", pos_label=1)
    data = _dataset(frame, ["score"], ["late"], classification=[task])
    return Report([ClassificationPreset(probas_threshold=threshold)], include_tests=False).run(
        current_data=data, reference_data=None
    )


def save_snapshot(snapshot: object, folder: Path, name: str, html: bool = True) -> list[str]:
    """Write ``<name>.json`` (always) and ``<name>.html`` (if ``html``); return the file names."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json.loads(snapshot.json()), indent=1, sort_keys=True) + "\n"
    write_text(text, folder / f"{name}.json")
    written = [f"{name}.json"]
    if html:
        snapshot.save_html(str(folder / f"{name}.html"))
        written.append(f"{name}.html")
    return written

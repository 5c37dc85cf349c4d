"""The monitoring job: ``python -m myflights.monitor --current flights.parquet``.

Compares the features of a month of scheduled flights with the training data using
Evidently's data-drift preset, writes the report (HTML for people, JSON for machines) and
exits 1 when the share of drifted features reaches ``monitor.max_drift_share``, so a
scheduler or CI job turns red.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import yaml
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset

from myflights.features import CATEGORIES, NUMBERS, add_features

REPORTS = Path("reports")
REFERENCE_ROWS = 5_000


def drift_report(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[float, object]:
    """Return the share of drifted features and the Evidently snapshot."""
    definition = DataDefinition(numerical_columns=NUMBERS, categorical_columns=CATEGORIES)
    snapshot = Report([DataDriftPreset()]).run(
        current_data=Dataset.from_pandas(current[NUMBERS + CATEGORIES], data_definition=definition),
        reference_data=Dataset.from_pandas(reference[NUMBERS + CATEGORIES],
                                           data_definition=definition),
    )  # fmt: skip
    for metric in json.loads(snapshot.json())["metrics"]:
        if metric["metric_name"].startswith("DriftedColumnsCount"):
            return float(metric["value"]["share"]), snapshot
    raise RuntimeError("the Evidently report has no DriftedColumnsCount metric")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--current", type=Path, required=True, help="flights to check")
    args = parser.parse_args(argv)
    limit = yaml.safe_load(Path("params.yaml").read_text())["monitor"]["max_drift_share"]
    reference = pd.read_parquet("data/processed/train.parquet")
    reference = reference.sample(min(len(reference), REFERENCE_ROWS), random_state=0)
    share, snapshot = drift_report(reference, add_features(pd.read_parquet(args.current)))
    REPORTS.mkdir(exist_ok=True)
    snapshot.save_html(str(REPORTS / "drift.html"))
    (REPORTS / "drift.json").write_text(json.dumps({"drift_share": share, "limit": limit}))
    if share >= limit:
        sys.exit(f"drift: {share:.0%} of the features drifted (limit {limit:.0%})")


if __name__ == "__main__":
    main()

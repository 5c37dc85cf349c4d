"""The pipeline's contract: the files, names and keys its stages, service and monitor share.

Why it matters: a stage writes ``reports/metrics.json``, another reads it; ``register``
tags a model version ``threshold``, the service reads that tag back. Typed by hand in each
file, a rename in one place breaks the other silently (the reader finds nothing and falls
back to a default). Named once here, a rename is one edit, and the tests check the
contract against its other written form: every ``dvc.yaml`` output is a constant below
(``tests/test_contract.py``), every tag the code reads is one ``register`` writes, and the
Makefile exports the same offline switches as :data:`labs_common.tooling.OFFLINE_ENV`.

Directories stay in :mod:`labs_common.paths`; this module names what lives in them.
"""

from __future__ import annotations

from pathlib import Path

from labs_common import paths

# --- Files the DVC stages write (dvc.yaml ``outs``, ``metrics`` and ``plots``), by stage ---
#: ingest (module 03): the five typed tables and the DuckDB warehouse.
RAW_TABLES = paths.RAW
WAREHOUSE = paths.WAREHOUSE
#: validate (module 07): the raw tables' contract report.
VALIDATION_REPORT = paths.REPORTS / "validation.json"
#: features (module 04): arrived flights with the label, and the counts of that step.
LABELLED_FLIGHTS = paths.INTERIM / "flights_labelled.parquet"
FEATURES_REPORT = paths.REPORTS / "features.json"
#: split (module 04): the temporal split.
TRAIN_SPLIT = paths.PROCESSED / "train.parquet"
VALID_SPLIT = paths.PROCESSED / "valid.parquet"
TEST_SPLIT = paths.PROCESSED / "test.parquet"
SPLITS = {"train": TRAIN_SPLIT, "valid": VALID_SPLIT, "test": TEST_SPLIT}
#: train (module 07): the MLflow model folder, the scores of every split, the run.
MODEL_DIR = paths.MODELS / "model"
SCORES = paths.PROCESSED / "scores.parquet"
TRAIN_RUN = paths.REPORTS / "train_run.json"
TRAIN_REPORT = paths.REPORTS / "train.json"
#: evaluate (module 05): the headline metrics, the chosen threshold, the plots' tables.
METRICS = paths.REPORTS / "metrics.json"
THRESHOLD_REPORT = paths.REPORTS / "threshold.json"
PLOTS = paths.REPORTS / "plots"
ROC_PLOT = PLOTS / "roc.csv"
PR_PLOT = PLOTS / "pr.csv"
CALIBRATION_PLOT = PLOTS / "calibration.csv"
COST_CURVE_PLOT = PLOTS / "cost_curve.csv"
#: register (module 08): what the registry decided, and why.
REGISTRY_REPORT = paths.REPORTS / "registry.json"
#: monitor (module 09): one folder of Evidently reports, the month-by-month summary.
MONITORING_DIR = paths.REPORTS / "monitoring"
MONITORING_SUMMARY = MONITORING_DIR / "summary.json"
MONITOR_REPORT = paths.REPORTS / "monitor.json"

#: Columns of ``scores.parquet``: train writes them, evaluate reads them.
SCORE_COLUMNS = ("split", "month", "carrier", "origin", "y", "proba")


def under(root: Path, artifact: Path) -> Path:
    """The same artifact in another checkout (a sandbox copy, a student's clone).

    Example:
        >>> under(Path("/tmp/copy"), METRICS).as_posix()
        '/tmp/copy/reports/metrics.json'
    """
    return Path(root) / artifact.relative_to(paths.ROOT)


# --- MLflow names ---
#: The experiment every training run of the pipeline is logged under.
EXPERIMENT = "flight-delay"
#: Registry aliases: the version the service loads, and the one waiting for its chance.
CHAMPION = "champion"
CHALLENGER = "challenger"

#: Tags ``register`` writes on each model version, read back by the service, the
#: predictor and the monitor (what threshold, what data, how good, which exact file).
THRESHOLD_TAG = "threshold"
THRESHOLD_RULE_TAG = "threshold_rule"
TEST_ROC_AUC_TAG = "test_roc_auc"
TRAIN_MD5_TAG = "data.train.md5"
GIT_COMMIT_TAG = "git.commit"
MODEL_SHA256_TAG = "model.sha256"
#: The tags copied from the run and the metrics (the model hash is computed at register).
VERSION_TAGS = (THRESHOLD_TAG, THRESHOLD_RULE_TAG, TEST_ROC_AUC_TAG, TRAIN_MD5_TAG, GIT_COMMIT_TAG)
#: Every tag a registered version carries.
REGISTRY_TAGS = (*VERSION_TAGS, MODEL_SHA256_TAG)

# --- The service ---
#: The port the FastAPI service listens on (``make serve``, the image, compose).
SERVICE_PORT = 8000

"""Make MLflow, DVC, Prefect and Evidently quiet, offline and local.

Why it matters: a course must run on a plane. Without these switches MLflow and Prefect
try to reach telemetry hosts and DVC starts an analytics process on every command. The
same settings are exported by the Makefile; this function covers notebooks, tests and the
``labs`` command, which may start without the Makefile.
"""

from __future__ import annotations

import os

from labs_common import paths
from labs_common.activate import LAPTOP_ENV, QUIET_ENV

OFFLINE_ENV = {
    **QUIET_ENV,
    **LAPTOP_ENV,
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
    # Prefect starts a temporary local server when no API URL is set; keep it quiet.
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def mlflow_uri() -> str:
    """Return the tracking URI: ``MLFLOW_TRACKING_URI`` if set, else the repo's SQLite store.

    Example:
        >>> mlflow_uri().startswith(("sqlite:", "http", "file:"))
        True
    """
    # Four slashes: sqlite:/// plus an absolute path.
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{paths.MLFLOW_DB}"


def configure_offline() -> dict[str, str]:
    """Set the offline switches and local stores in ``os.environ`` (existing values win).

    Returns:
        The variables as they are now set, for display or for a subprocess.
    """
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("PREFECT_HOME", str(paths.PREFECT_HOME))
    os.environ.setdefault("MLFLOW_TRACKING_URI", mlflow_uri())
    if os.environ["MLFLOW_TRACKING_URI"].startswith("sqlite:"):
        paths.MLFLOW_DIR.mkdir(parents=True, exist_ok=True)
    return {k: os.environ[k] for k in [*OFFLINE_ENV, "PREFECT_HOME", "MLFLOW_TRACKING_URI"]}

"""Ad-hoc checks behind ``labs monitor``: any flights file, or the service's prediction log.

Why it matters: the monthly replay answers "how did the autumn go?". Day to day, someone
gets a file (next week's schedule, a partner's extract, yesterday's traffic) and asks "is
this still the world our model knows?". One command answers with the same monitors, the
same limits and the same rules, against the champion's training data.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from labs_common import contract
from labs_common.config import load_params
from labs_common.data import read_table
from labs_common.label import late_label
from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS
from module06_lifecycle.schemas import validate_schedule
from module08_deployment.prediction_log import read_prediction_log
from module09_monitoring.context import Context, monitoring_context
from module09_monitoring.params import MonitorParams
from module09_monitoring.prediction_log import monitor_log
from module09_monitoring.reference import build_reference
from module09_monitoring.replay import Champion, production_model, score_and_monitor, trained_to

log = logging.getLogger(__name__)

TRAINING = contract.TRAIN_SPLIT
#: What ``labs monitor`` prints first; the rest of the entry follows.
HEADLINE = ("month", "drift_share", "drifted_features", "roc_auc", "retrain")
#: The alerts ``labs monitor --fail-on-drift`` fails on: inputs or scores moved.
DRIFT_ALERTS = ("data_drift", "feature_drift", "prediction_drift")


def failing_alerts(entry: dict, on_drift: bool = False, on_alert: bool = False) -> list[str]:
    """Return the entry's alerts that should fail the command (none unless asked).

    Why it matters: a scheduled check that always exits 0 alerts nobody. With
    ``--fail-on-drift`` a drifted input or score fails the job; with ``--fail-on-alert``
    any rule does (label shift, calibration, quality, missing values, rejected rows).

    Example:
        >>> failing_alerts({"alerts": ["feature_drift", "quality"]}, on_drift=True)
        ['feature_drift']
        >>> failing_alerts({"alerts": ["quality"]}, on_drift=True, on_alert=True)
        ['quality']
    """
    alerts = entry.get("alerts") or []
    return [a for a in alerts if on_alert or (on_drift and a in DRIFT_ALERTS)]


def log_target(value: str | Path) -> str | Path:
    """Turn a ``--log`` value into what the prediction log reader takes: a DSN or a path.

    Accepts a SQLite file, a ``sqlite:///`` URL, and PostgreSQL URLs in libpq or SQLAlchemy
    form (``postgresql://``, ``postgres://``, ``postgresql+psycopg://``).

    Example:
        >>> log_target("postgresql+psycopg://u:p@db:5432/predictions")
        'postgresql://u:p@db:5432/predictions'
        >>> log_target("sqlite:////tmp/predictions.db")
        PosixPath('/tmp/predictions.db')
    """
    text = str(value)
    scheme, sep, rest = text.partition("://")
    if not sep:
        return Path(text)
    if scheme == "sqlite":
        return Path(rest[1:] if rest.startswith("/") else rest)
    if scheme.split("+")[0] in ("postgresql", "postgres"):
        return f"postgresql://{rest}"
    raise ValueError(
        f"--log {scheme}://... is not supported; give a SQLite file, sqlite:///PATH or "
        "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
    )


def with_labels(flights: pd.DataFrame, late_minutes: int | None = None) -> pd.DataFrame:
    """Return a copy with ``late`` from ``arr_delay`` where the flight landed (NaN otherwise).

    The rule is :func:`labs_common.label.late_label`; a file that already has ``late``
    keeps it.

    Example:
        >>> with_labels(pd.DataFrame({"arr_delay": [3.0, 40.0, None]}), 15)["late"].tolist()
        [0.0, 1.0, nan]
    """
    out = flights.copy()
    if LABEL not in out and "arr_delay" in out:
        out[LABEL] = late_label(out["arr_delay"], late_minutes)
    return out


def read_flights(path: Path, late_minutes: int | None = None) -> pd.DataFrame:
    """Read a flights file (Parquet or CSV, raw columns) and check the schedule contract.

    Raises:
        FileNotFoundError: no such file.
        ValueError: not Parquet/CSV, unreadable, or rows that break the schedule contract.
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path} not found: give a flights file (Parquet or CSV)")
    try:
        raw = read_table(Path(path))
    except (OSError, ValueError) as exc:  # pyarrow and the CSV parser raise ValueErrors
        raise ValueError(f"cannot read {path}: {exc}") from exc
    if raw.empty:
        raise ValueError(f"{path} has no rows")
    schedule = validate_schedule(raw)
    extra = raw.drop(columns=SCHEDULE_COLUMNS).reset_index(drop=True)
    return with_labels(pd.concat([schedule, extra], axis=1), late_minutes)


def production_champion(
    model_dir: Path | None,
    reference: Path | None,
    params: MonitorParams | None,
    late_minutes: int,
    **where: Path | None,
) -> tuple[Champion, Context]:
    """The model in production with its training reference, and the context to judge by.

    Why it matters: ``labs monitor`` must judge a file as the replay judges a month: the
    same model (the registry's ``@champion`` unless ``model_dir`` names another), its own
    decision threshold, the same reference and rules (:func:`monitoring_context`).

    Args:
        model_dir: a model folder instead of the registry's champion.
        reference: training flights (default: the split's ``train.parquet``).
        params: other monitoring rules (default: params.yaml's ``monitor``).
        late_minutes: the label rule for training flights without ``late``.
        where: ``out_dir`` and ``workspace`` of the :class:`Context`.
    """
    predictor = production_model(model_dir)
    ctx = monitoring_context(predictor.threshold, params=params, **where)
    training = with_labels(read_table(Path(reference or TRAINING)), late_minutes)
    ref = build_reference(predictor.model, training, ctx.params)
    return Champion(trained_to(training), predictor.model, ref), ctx


def check_flights(
    current: Path,
    reference: Path | None = None,
    model_dir: Path | None = None,
    params: MonitorParams | None = None,
    out_dir: Path | None = None,
    workspace: Path | None = None,
) -> dict:
    """Monitor a flights file against the training reference of the model in production.

    ``model_dir=None`` checks the registry's ``@champion`` (what the service serves); a
    folder such as ``models/model`` checks that model instead.

    With ``out_dir``, the Evidently reports go to ``<out_dir>/<period>/``; with
    ``workspace`` too, the same snapshots are added to that Evidently workspace.

    Returns:
        The monitor's entry (``month``, ``drift_share``, ``drifted_features``, ``roc_auc``
        (None without labels), ``retrain``, alerts and reasons).
    """
    late_minutes = load_params().features.late_minutes
    flights = read_flights(current, late_minutes)
    champion, ctx = production_champion(
        model_dir, reference, params, late_minutes, out_dir=out_dir, workspace=workspace
    )
    return score_and_monitor(flights, champion, ctx)


def headline_json(entry: dict) -> str:
    """The entry as JSON, headline fields first (what ``labs monitor`` prints)."""
    ordered = {k: entry.get(k) for k in HEADLINE} | entry
    return json.dumps(ordered, indent=2)


def check_log(
    log_path: str | Path,
    outcomes: Path | None = None,
    reference: Path | None = None,
    model_dir: Path | None = None,
    params: MonitorParams | None = None,
) -> dict:
    """Monitor the service's prediction log (rejected rows reported), labelled by ``outcomes``.

    The reference is the training data as scored by the registry's ``@champion`` (the model
    the service loads), or by the model in ``model_dir`` when given. ``log_path`` is a
    SQLite file or a database URL (see :func:`log_target`).
    """
    late_minutes = load_params().features.late_minutes
    rows = read_prediction_log(log_target(log_path))
    champion, ctx = production_champion(model_dir, reference, params, late_minutes)
    landed = read_table(Path(outcomes)) if outcomes else None
    return monitor_log(
        rows,
        champion.model,
        champion.reference,
        ctx.params,
        outcomes=landed,
        late_minutes=late_minutes,
        threshold=ctx.threshold,
    )

"""Monitor what the service really saw: its prediction log, checked row by row, then labelled.

Why it matters: production traffic is messier than a test set. A log row may lack a
column, hold a probability of ``NaN`` or a flight on February 30th. Dropping such rows in
silence would make the monitor look at a cleaner world than the real one, and hide a bug
upstream. So every rejected row is counted by reason and reported; the monitor runs on
the rows that pass the schedule contract (module 06's schema, module 01's rules).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from pandera.errors import SchemaErrors

from module04_ml_fundamentals.features import LABEL, SCHEDULE_COLUMNS, add_label

log = logging.getLogger(__name__)

REQUIRED = [*SCHEDULE_COLUMNS, "probability"]
#: The key that joins a prediction to the flight's actual arrival, once it has landed.
FLIGHT_KEY = ["year", "month", "day", "carrier", "flight", "origin", "sched_dep_time"]


def row_problems(rows: pd.DataFrame) -> pd.Series:
    """Return, per row, why it cannot be monitored ("" when it can).

    Raises:
        ValueError: a required column is missing altogether (the log is not a prediction log).
    """
    from module06_lifecycle.schemas import SCHEDULE

    missing = [c for c in REQUIRED if c not in rows.columns]
    if missing:
        raise ValueError(f"prediction log lacks column(s) {missing}; expected {REQUIRED}")
    rows = rows.reset_index(drop=True)
    why = pd.Series("", index=rows.index, dtype=object)
    proba = pd.to_numeric(rows["probability"], errors="coerce")
    why[~proba.between(0, 1)] = "probability missing or outside [0, 1]"
    try:
        SCHEDULE.validate(rows[SCHEDULE_COLUMNS], lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        for index, group in cases.groupby(cases["index"].astype(int)):
            whole = group["schema_context"].iloc[0] == "DataFrameSchema"
            reason = f"{'row' if whole else group['column'].iloc[0]}: {group['check'].iloc[0]}"
            why[index] = why[index] or reason
    if "prediction_id" in rows:
        why[rows["prediction_id"].duplicated() & (why == "")] = "duplicate prediction_id"
    return why


def split_log(rows: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Return the usable rows (typed) and a report: counts by reason and a few examples."""
    from module06_lifecycle.schemas import SCHEDULE

    rows = rows.reset_index(drop=True)
    why = row_problems(rows)
    bad = why != ""
    good = rows.loc[~bad].reset_index(drop=True)
    good = pd.concat(
        [SCHEDULE.validate(good[SCHEDULE_COLUMNS]), good.drop(columns=SCHEDULE_COLUMNS)], axis=1
    )
    good["probability"] = good["probability"].astype(float)
    report = {
        "rows": len(rows),
        "usable": int((~bad).sum()),
        "rejected": int(bad.sum()),
        "reasons": {str(k): int(v) for k, v in why[bad].value_counts().sort_index().items()},
        "example_rows": np.flatnonzero(bad.to_numpy())[:5].tolist(),
    }
    if report["rejected"]:
        log.warning(
            "Prediction log: %s of %s rows rejected: %s",
            report["rejected"],
            report["rows"],
            report["reasons"],
        )
    return good, report


def join_labels(
    predictions: pd.DataFrame, outcomes: pd.DataFrame, late_minutes: int | None = None
) -> pd.DataFrame:
    """Add ``late`` to each prediction whose flight has landed (NaN while it has not).

    Args:
        predictions: usable log rows (schedule columns + ``probability``).
        outcomes: raw flights with ``arr_delay`` (cancelled flights have none: no label).
        late_minutes: the label's threshold (None: ``features.late_minutes``).
    """
    landed = add_label(outcomes, late_minutes)[[*FLIGHT_KEY, LABEL]]
    landed = landed.astype({c: str for c in ("carrier", "origin")}).drop_duplicates(FLIGHT_KEY)
    keys = predictions[FLIGHT_KEY].astype({c: str for c in ("carrier", "origin")})
    joined = keys.merge(landed, on=FLIGHT_KEY, how="left", validate="many_to_one")
    return predictions.assign(**{LABEL: joined[LABEL].to_numpy(dtype=float)})


def monitor_log(
    rows: pd.DataFrame,
    model: object,
    reference: object,
    params: object,
    *,
    outcomes: pd.DataFrame | None = None,
    late_minutes: int | None = None,
    threshold: float | None = None,
    out_dir: object = None,
) -> dict:
    """Check the log, join the labels that exist, monitor the usable rows with their logged scores.

    The decisions are judged with the threshold the service logged with each prediction,
    on the rows of the model version that scored last (:func:`current_model_rows`);
    ``threshold`` is only used for a log that carries none.

    Returns:
        The monitor's entry plus ``log_check`` (the rejection report, the version and
        threshold monitored, the rows other versions scored); rejected rows add the alert
        ``rejected_rows`` (never a reason to retrain: fix the feed instead).

    Raises:
        ValueError: the log has no usable row at all, or neither it nor the caller gives a
            threshold.
    """
    from module09_monitoring.monitor import monitor_month

    good, report = split_log(rows)
    if good.empty:
        raise ValueError(f"no usable row in the prediction log: {report['reasons']}")
    good, version = current_model_rows(good)
    threshold = logged_threshold(good, threshold)
    report = {**report, **version, "threshold": threshold}
    if outcomes is not None:
        good = join_labels(good, outcomes, late_minutes)
    entry = monitor_month(
        good,
        good["probability"].to_numpy(),
        model,
        reference,
        params,
        threshold=threshold,
        out_dir=out_dir,
    )
    if report["rejected"]:
        entry["alerts"].append("rejected_rows")
        entry["reasons"].append(f"rejected_rows: {report['rejected']} of {report['rows']} rows")
    if version.get("other_versions"):
        entry["reasons"].append(
            f"monitored model version {version['model_version']} only; rows scored by "
            f"other versions left out: {version['other_versions']}"
        )
    return {**entry, "log_check": report}


def current_model_rows(good: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Keep the rows of the model version that scored last; count those of other versions.

    Why it matters: a month's log can span a promotion. The scores of two models mixed in
    one distribution look like drift that no flight caused, and each model decides with
    its own threshold. So the monitor looks at the model serving now, and says how many
    rows it left out.

    Example:
        >>> rows = pd.DataFrame({"ts": ["09:00", "11:00", "10:00"],
        ...                      "model_version": ["3", "4", "4"]})
        >>> kept, seen = current_model_rows(rows)
        >>> len(kept), seen
        (2, {'model_version': '4', 'other_versions': {'3': 1}})
    """
    if "model_version" not in good or good["model_version"].isna().all():
        return good, {}
    ordered = good.sort_values("ts", kind="stable") if "ts" in good else good
    current = ordered["model_version"].iloc[-1]
    mine = good["model_version"] == current
    others = good.loc[~mine, "model_version"].astype(str).value_counts().sort_index()
    seen = {"model_version": current, "other_versions": {k: int(v) for k, v in others.items()}}
    return good.loc[mine].reset_index(drop=True), seen


def logged_threshold(rows: pd.DataFrame, default: float | None = None) -> float:
    """The threshold the service decided with, as it logged it (the latest, if it changed).

    Raises:
        ValueError: the rows carry no threshold and no ``default`` is given.
    """
    logged = pd.to_numeric(rows["threshold"], errors="coerce") if "threshold" in rows else None
    if logged is None or logged.isna().all():
        if default is None:
            raise ValueError("the prediction log carries no threshold; pass threshold=")
        return float(default)
    if "ts" in rows:
        logged = logged.iloc[np.argsort(rows["ts"].to_numpy(), kind="stable")]
    return float(logged.dropna().iloc[-1])

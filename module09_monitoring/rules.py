"""From a month's numbers to alerts, and from alerts to "retrain or not" (pure functions).

Why it matters: a monitor that only draws charts leaves the decision to whoever looks.
Writing the rules down (which check fired, by how much, against which limit) makes
the decision repeatable and reviewable, and lets the team say in ``params.yaml`` which
alerts are worth a retraining (``retrain_on``) and which only call for a person.
"""

from __future__ import annotations

from module09_monitoring.params import MonitorParams


def _fired(stats: dict, p: MonitorParams) -> dict[str, str]:
    """Return {alert: reason} for every rule the month breaks."""
    out: dict[str, str] = {}
    drifted = stats.get("drifted_features") or []
    if stats["drift_share"] >= p.max_drift_share:
        out["data_drift"] = (
            f"{stats['drift_share']:.0%} of features drifted (max {p.max_drift_share:.0%})"
        )
    if drifted:
        out["feature_drift"] = f"drifted: {', '.join(drifted)}"
    if stats.get("prediction_drift"):
        out["prediction_drift"] = (
            f"score PSI {stats['prediction_psi']:.3f} >= {stats['prediction_psi_limit']:.3f}"
        )
    if stats.get("missing_features"):
        out["missing_values"] = "missing share rose beyond its limit: " + ", ".join(
            stats["missing_features"]
        )
    out.update(_label_rules(stats, p))
    return out


def _label_rules(stats: dict, p: MonitorParams) -> dict[str, str]:
    out: dict[str, str] = {}
    if stats.get("label_rate") is None:
        return out
    shift = stats.get("label_shift")
    if shift is not None and abs(shift) > p.max_label_shift:
        out["label_shift"] = (
            f"late rate {stats['label_rate']:.3f} vs reference {stats['reference_label_rate']:.3f}"
        )
    gap, ece = stats["calibration_gap"], stats["calibration_error"]
    if abs(gap) > p.max_calibration_gap or ece > p.max_calibration_error:
        out["calibration"] = (
            f"mean score {stats['mean_score']:.3f} vs late rate {stats['label_rate']:.3f} "
            f"(gap {gap:+.3f}, max {p.max_calibration_gap}); calibration error {ece:.3f} "
            f"(max {p.max_calibration_error})"
        )
    auc = stats.get("roc_auc")
    if auc is not None and auc < p.min_roc_auc:
        out["quality"] = f"ROC AUC {auc:.3f} < floor {p.min_roc_auc}"
    return out


def decide(stats: dict, params: MonitorParams) -> dict:
    """Return the alerts a month raises, why, and whether they call for retraining.

    Args:
        stats: the month's numbers (``drift_share``, ``drifted_features``, ...; label fields
            are ``None`` when the labels are not known yet).
        params: the limits and ``retrain_on``.

    Example:
        >>> s = {"drift_share": 0.0, "label_rate": 0.33, "reference_label_rate": 0.25,
        ...      "label_shift": 0.08, "mean_score": 0.23, "calibration_gap": -0.1,
        ...      "calibration_error": 0.1, "roc_auc": 0.7}
        >>> decide(s, MonitorParams())["alerts"], decide(s, MonitorParams())["retrain"]
        (['calibration'], True)
    """
    fired = _fired(stats, params)
    retrain_because = [a for a in fired if a in params.retrain_on]
    return {
        "alerts": list(fired),
        "reasons": [f"{a}: {why}" for a, why in fired.items()],
        "retrain": bool(retrain_because),
    }

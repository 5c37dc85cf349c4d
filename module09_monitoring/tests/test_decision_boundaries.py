"""Every monitoring rule at, just below and just above its threshold, in both directions.

A rule moved across its boundary (``>`` for ``>=``, a sign dropped from ``abs``) changes
which months raise an alert; these cases sit exactly on each threshold so that it shows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from module09_monitoring.drift import calibrate_limits, drift_table, psi
from module09_monitoring.fixtures import quiet_month
from module09_monitoring.monitor import drift_stats, label_stats
from module09_monitoring.params import MonitorParams
from module09_monitoring.rules import decide

QUIET = quiet_month(0.25)
#: Thresholds that are exact in binary, so "at the threshold" means exactly at it.
P = MonitorParams(
    max_drift_share=0.25,
    max_label_shift=0.125,
    max_calibration_gap=0.0625,
    max_calibration_error=0.125,
    min_roc_auc=0.6875,
)
EPS = 1e-9


def _alerts(**change: object) -> list[str]:
    return decide({**QUIET, **change}, P)["alerts"]


@pytest.mark.parametrize(
    ("alert", "key", "limit", "fires"),
    [
        ("data_drift", "drift_share", 0.25, (False, True, True)),  # from the share on
        ("calibration", "calibration_error", 0.125, (False, False, True)),  # beyond the limit
        ("quality", "roc_auc", 0.6875, (True, False, False)),  # below the floor only
    ],
    ids=["drift-share", "calibration-error", "auc-floor"],
)
def test_a_one_sided_rule_just_below_at_and_just_above_its_limit(
    alert: str, key: str, limit: float, fires: tuple[bool, bool, bool]
) -> None:
    fired = tuple(alert in _alerts(**{key: value}) for value in (limit - EPS, limit, limit + EPS))
    assert fired == fires, f"{key} below, at and above {limit}"


@pytest.mark.parametrize("sign", [1, -1], ids=["rise", "fall"])
@pytest.mark.parametrize(
    ("size", "fires"),
    [(0.125 - EPS, False), (0.125, False), (0.125 + EPS, True), (0.3, True)],
    ids=["below", "at", "above", "far"],
)
def test_label_shift_fires_beyond_the_limit_in_both_directions(
    sign: int, size: float, fires: bool
) -> None:
    rate = 0.25 + sign * size
    alerts = _alerts(label_rate=rate, label_shift=sign * size, mean_score=rate)
    assert ("label_shift" in alerts) is fires
    assert "calibration" not in alerts, "the scores followed the rate: calibration is fine"


@pytest.mark.parametrize("sign", [1, -1], ids=["scores-above", "scores-below"])
@pytest.mark.parametrize(
    ("gap", "fires"),
    [(0.0625 - EPS, False), (0.0625, False), (0.0625 + EPS, True)],
    ids=["below", "at", "above"],
)
def test_calibration_gap_fires_beyond_the_limit_in_both_directions(
    sign: int, gap: float, fires: bool
) -> None:
    assert ("calibration" in _alerts(calibration_gap=sign * gap)) is fires


def test_decide_reasons_name_the_numbers_and_the_limits() -> None:
    out = decide({**QUIET, "drift_share": 0.5, "roc_auc": 0.5, "prediction_drift": True,
                  "prediction_psi": 0.3}, P)  # fmt: skip
    reasons = dict(r.split(": ", 1) for r in out["reasons"])
    assert reasons["data_drift"] == "50% of features drifted (max 25%)"
    assert reasons["quality"] == "ROC AUC 0.500 < floor 0.6875"
    assert reasons["prediction_drift"] == "score PSI 0.300 >= 0.100"
    assert out["alerts"] == ["data_drift", "prediction_drift", "quality"]


def test_decide_retrains_only_for_the_alerts_listed_in_retrain_on() -> None:
    month = {**QUIET, "drift_share": 0.5}
    assert decide(month, P)["retrain"] is True
    only_quality = P.model_copy(update={"retrain_on": ["quality"]})
    assert decide(month, only_quality)["retrain"] is False


def test_decide_without_a_reference_rate_skips_the_label_shift_rule() -> None:
    assert "label_shift" not in _alerts(label_shift=None, label_rate=0.9, mean_score=0.9)


# --- label_stats: the shift's sign comes from the data, a fall included -----------------


@pytest.mark.parametrize(
    ("late", "reference", "shift"),
    [(300, 0.1, 0.2), (100, 0.5, -0.4)],
    ids=["rise", "fall"],
)
def test_label_stats_shift_is_rate_minus_reference_and_a_fall_alerts(
    late: int, reference: float, shift: float
) -> None:
    labels = pd.Series([1.0] * late + [0.0] * (1000 - late))
    scores = pd.Series(np.where(labels == 1, 0.6, 0.2))
    out = label_stats(labels, scores, reference, MonitorParams(min_labelled_rows=1000))
    assert out["label_rate"] == pytest.approx(late / 1000)
    assert out["label_shift"] == pytest.approx(shift)
    assert out["labelled_rows"] == 1000 and out["quality_report"] == "written"
    assert "label_shift" in decide({**QUIET, **out, "drift_share": 0.0}, MonitorParams())["alerts"]


@pytest.mark.parametrize(("known", "written"), [(499, False), (500, True)], ids=["499", "500"])
def test_label_stats_needs_min_labelled_rows(known: int, written: bool) -> None:
    labels = pd.Series([1.0, 0.0] * (known // 2) + [1.0] * (known % 2) + [np.nan] * 100)
    scores = pd.Series(np.linspace(0.1, 0.9, len(labels)))
    out = label_stats(labels, scores, 0.3, MonitorParams(min_labelled_rows=500))
    assert out["labelled_rows"] == known
    assert (out["quality_report"] == "written") is written
    assert (out["roc_auc"] is not None) is written
    if not written:
        assert out["quality_report"] == "skipped: 499 labelled rows (< 500)"


# --- drift_table and drift_stats: PSI and missing shares at their limits --------------


@pytest.fixture
def months() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
    current = pd.DataFrame({"x": rng.normal(0.5, 1, 2000), "c": rng.choice(["a", "b"], 2000)})
    return reference, current


def test_drift_table_flags_a_psi_equal_to_its_threshold(
    months: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    reference, current = months
    score = psi(reference["x"], current["x"], categorical=False)
    assert score > 0.05, "the shifted feature really moved"
    at = drift_table(reference, current, {"x": score, "c": 10.0}, ["c"])
    above = drift_table(reference, current, {"x": math.nextafter(score, 1), "c": 10.0}, ["c"])
    below = drift_table(reference, current, {"x": math.nextafter(score, 0), "c": 10.0}, ["c"])
    assert at.loc["x", "psi"] == score
    assert (at.loc["x", "drifted"], above.loc["x", "drifted"], below.loc["x", "drifted"]) == (
        True, False, True,
    )  # fmt: skip
    assert not at.loc["c", "drifted"]


def test_drift_table_flags_a_missing_rise_beyond_its_limit_only() -> None:
    reference = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 50})
    current = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0] * 50})  # missing share 0 -> 0.25
    thresholds = {"x": 100.0}
    at = drift_table(reference, current, thresholds, [], {"x": 0.25})
    below = drift_table(reference, current, thresholds, [], {"x": 0.25 - EPS})
    default = drift_table(reference, current, thresholds, [])
    assert at.loc["x", "missing_increase"] == 0.25
    assert at.loc["x", "missing_current"] == 0.25 and at.loc["x", "missing_reference"] == 0.0
    assert not at.loc["x", "missing_flag"] and below.loc["x", "missing_flag"]
    assert default.loc["x", "missing_limit"] == 0.05 and default.loc["x", "missing_flag"]


def test_drift_table_a_fall_in_missing_values_is_not_flagged() -> None:
    reference = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0] * 50})
    current = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 50})
    table = drift_table(reference, current, {"x": 100.0}, [])
    assert table.loc["x", "missing_increase"] == -0.25 and not table.loc["x", "missing_flag"]


def test_drift_table_names_the_missing_columns(months: tuple[pd.DataFrame, ...]) -> None:
    reference, current = months
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['c'\]"):
        drift_table(reference, current[["x"]], {"x": 1.0, "c": 1.0}, ["c"])


def test_drift_stats_prediction_drift_from_the_threshold_on(
    months: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    reference, current = months
    table = drift_table(reference, current, {"x": 1e-6, "c": 10.0}, ["c"])
    score = psi(reference["x"], current["x"], categorical=False)
    at = drift_stats(table, reference["x"], current["x"], score, P)
    above = drift_stats(table, reference["x"], current["x"], math.nextafter(score, 1), P)
    assert at["prediction_drift"] is True and above["prediction_drift"] is False
    assert at["prediction_psi"] == score and at["prediction_psi_limit"] == score
    assert at["drift_share"] == 0.5 and at["drifted_features"] == ["x"]
    assert at["missing_features"] == []
    assert at["mean_score"] == pytest.approx(current["x"].mean())


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(0.04, 0.1), (0.05, 0.1), (0.06, 0.12)],
    ids=["floor-wins", "tie", "margin-wins"],
)
def test_calibrate_limits_takes_the_larger_of_floor_and_margin(
    largest: float, expected: float
) -> None:
    envelope = pd.DataFrame({"x": [largest / 2, largest]})
    assert calibrate_limits(envelope, floor=0.1, margin=2.0) == {"x": expected}


def test_calibrate_limits_a_feature_never_measured_gets_the_floor() -> None:
    envelope = pd.DataFrame({"x": [np.nan, np.nan], "y": [0.5, 0.1]})
    assert calibrate_limits(envelope, floor=0.1, margin=3.0) == {"x": 0.1, "y": 1.5}


def test_psi_is_nan_when_a_side_is_empty_or_only_infinite() -> None:
    full = pd.Series([1.0, 2.0, 3.0])
    assert math.isnan(psi(pd.Series([], dtype=float), full, categorical=False))
    assert math.isnan(psi(full, pd.Series([np.inf, -np.inf, np.nan]), categorical=False))
    assert psi(full, full, categorical=False) == pytest.approx(0.0, abs=1e-9)


def test_decide_every_reason_says_what_fired_and_by_how_much() -> None:
    """A month that breaks every rule: each reason is the sentence a person will read."""
    month = {
        **QUIET,
        "drift_share": 0.5,
        "drifted_features": ["temp", "wind_speed"],
        "prediction_drift": True,
        "prediction_psi": 0.3,
        "missing_features": ["plane_age", "wind_gust"],
        "label_rate": 0.45,
        "reference_label_rate": 0.25,
        "label_shift": 0.2,
        "mean_score": 0.25,
        "calibration_gap": -0.2,
        "calibration_error": 0.2,
        "roc_auc": 0.6,
    }
    out = decide(month, P)
    assert out["reasons"] == [
        "data_drift: 50% of features drifted (max 25%)",
        "feature_drift: drifted: temp, wind_speed",
        "prediction_drift: score PSI 0.300 >= 0.100",
        "missing_values: missing share rose beyond its limit: plane_age, wind_gust",
        "label_shift: late rate 0.450 vs reference 0.250",
        "calibration: mean score 0.250 vs late rate 0.450 (gap -0.200, max 0.0625); "
        "calibration error 0.200 (max 0.125)",
        "quality: ROC AUC 0.600 < floor 0.6875",
    ]
    assert out["alerts"] == [r.split(":")[0] for r in out["reasons"]]
    assert out["retrain"] is True


LABEL_KEYS = ("label_rate", "label_shift", "calibration_gap", "calibration_error", "roc_auc",
              "brier", "log_loss")  # fmt: skip


@pytest.mark.parametrize("labels", [None, pd.Series([np.nan] * 6)], ids=["none", "all-missing"])
def test_label_stats_without_labels_returns_every_key_empty(labels: pd.Series | None) -> None:
    scores = pd.Series([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    out = label_stats(labels, scores, 0.3, MonitorParams(min_labelled_rows=1))
    assert out == {
        "labelled_rows": 0,
        "reference_label_rate": 0.3,
        **dict.fromkeys(LABEL_KEYS),
        "quality_report": "skipped: 0 labelled rows (< 1)",
    }


def test_label_stats_with_labels_fills_every_key() -> None:
    labels = pd.Series([1.0, 0.0, 0.0, 1.0, np.nan, 0.0])
    scores = pd.Series([0.8, 0.1, 0.3, 0.6, 0.9, 0.2])
    out = label_stats(labels, scores, None, MonitorParams(min_labelled_rows=5))
    assert set(out) == {"labelled_rows", "reference_label_rate", *LABEL_KEYS, "quality_report"}
    assert out["labelled_rows"] == 5 and out["reference_label_rate"] is None
    assert out["label_shift"] is None, "no reference rate, no shift"
    assert out["label_rate"] == pytest.approx(0.4) and out["roc_auc"] == 1.0
    assert out["calibration_gap"] == pytest.approx(0.4 - 0.4)


def test_label_stats_uses_the_configured_calibration_bins() -> None:
    from module09_monitoring.quality import calibration_error

    rng = np.random.default_rng(3)
    scores = pd.Series(rng.random(600))
    labels = pd.Series((rng.random(600) < 0.25).astype(float))  # the scores know nothing
    two = label_stats(labels, scores, 0.3, MonitorParams(min_labelled_rows=1, calibration_bins=2))
    ten = label_stats(labels, scores, 0.3, MonitorParams(min_labelled_rows=1))
    assert two["calibration_error"] == pytest.approx(calibration_error(labels, scores, 2))
    assert two["calibration_error"] != pytest.approx(ten["calibration_error"])


def test_envelopes_and_drift_table_name_their_axes() -> None:
    from module09_monitoring.drift import missing_envelope, month_envelope

    reference = pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan] * 50})
    months = {2: reference.copy(), 1: reference.assign(x=reference["x"] + 1)}
    envelope = month_envelope(reference, months, [])
    assert envelope.index.name == "month" and envelope.index.tolist() == [1, 2]
    missing = missing_envelope(reference, months)
    assert missing.index.name == "month" and (missing["x"] == 0.0).all()
    table = drift_table(reference, reference, {"x": 0.1}, [])
    assert table.index.name == "feature" and table.loc["x", "psi_limit"] == 0.1


def test_missing_shares_of_an_empty_frame_are_zero_per_column() -> None:
    from module09_monitoring.drift import missing_shares

    shares = missing_shares(pd.DataFrame({"a": [], "b": []}, dtype=float))
    assert shares.to_dict() == {"a": 0.0, "b": 0.0} and shares.dtype == float


def test_psi_of_a_category_mix_by_hand() -> None:
    """50/50 -> 90/10: sum of (c - r) ln(c / r) over the two categories."""
    from module09_monitoring.drift import drift_scores

    ref = pd.Series(["a"] * 50 + ["b"] * 50)
    cur = pd.Series(["a"] * 90 + ["b"] * 10)
    by_hand = (0.9 - 0.5) * np.log(0.9 / 0.5) + (0.1 - 0.5) * np.log(0.1 / 0.5)
    assert psi(ref, cur, categorical=True) == pytest.approx(by_hand, rel=1e-9)
    scores = drift_scores(pd.DataFrame({"c": ref}), pd.DataFrame({"c": cur}), ["c"])
    assert scores["c"] == pytest.approx(by_hand, rel=1e-9)

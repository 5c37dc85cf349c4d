"""The register gates at, just below and just above their thresholds.

Thresholds here are exact in binary (0.75, 0.125, 0.0625), so "at the floor" is exactly at
it: a gate moved across its boundary (``>`` for ``>=``) changes the alias and fails here.
"""

from __future__ import annotations

import pandas as pd
import pytest

from labs_common.config import CostParams, RegisterParams
from module05_business.slices import max_slice_gap, metrics_for_group, slice_report
from module08_deployment.register import CHALLENGER, CHAMPION, apply_gates

GATES = RegisterParams(
    model_name="m", min_roc_auc=0.75, max_slice_gap=0.125, min_slice_rows=1, tolerance=0.0625
)
EPS = 1e-9
COSTS = CostParams(missed_delay=4.0, false_alert=1.0)
GOOD = {"test_roc_auc": 0.8, "max_slice_gap": 0.05}


@pytest.mark.parametrize(
    ("gate", "key", "limit", "passes", "reason"),
    [
        (0, "test_roc_auc", 0.75, (False, True, True), "test ROC AUC {:.4f} vs floor 0.75"),
        (1, "max_slice_gap", 0.125, (True, True, False), "largest slice gap {:.4f} vs bound 0.12"),
    ],
    ids=["auc-floor", "slice-gap"],
)
def test_a_gate_admits_a_value_equal_to_its_limit(
    gate: int, key: str, limit: float, passes: tuple[bool, bool, bool], reason: str
) -> None:
    """Just below, at and just above the limit: the alias and the gate's own reason."""
    for value, ok in zip((limit - EPS, limit, limit + EPS), passes, strict=True):
        decision = apply_gates({**GOOD, key: value}, GATES, None)
        assert decision.alias == (CHAMPION if ok else CHALLENGER), f"{key} = {value}"
        assert decision.reasons[gate] == f"{'pass' if ok else 'FAIL'}: {reason.format(value)}"


@pytest.mark.parametrize(
    ("auc", "alias"),
    [(0.75 - EPS, CHALLENGER), (0.75, CHAMPION), (0.75 + EPS, CHAMPION)],
    ids=["below", "at", "above"],
)
def test_no_regression_gate_allows_exactly_the_tolerance(auc: float, alias: str) -> None:
    """Champion 0.8125 and tolerance 0.0625: a challenger at 0.75 counts as equal."""
    decision = apply_gates({"test_roc_auc": auc, "max_slice_gap": 0.0}, GATES, 0.8125)
    if auc < 0.75:  # below the floor too; check the regression gate's own verdict
        assert decision.reasons[2].startswith("FAIL: test ROC AUC")
    assert decision.alias == alias
    assert decision.reasons[2].endswith("vs champion 0.8125 (tolerance 0.0625)")


def test_no_regression_gate_fails_alone_when_the_champion_is_better() -> None:
    decision = apply_gates({"test_roc_auc": 0.8, "max_slice_gap": 0.0}, GATES, 0.9)
    assert decision.alias == CHALLENGER
    assert [r.split(":")[0] for r in decision.reasons] == ["pass", "pass", "FAIL"]


def test_without_a_champion_the_third_gate_passes_and_says_why() -> None:
    decision = apply_gates(GOOD, GATES, None)
    assert (decision.alias, decision.reasons[2]) == (CHAMPION, "pass: no champion yet")


def test_max_slice_gap_at_the_bound_from_real_slices() -> None:
    slices = {"AA": {"roc_auc": 0.875}, "UA": {"roc_auc": 0.75}, "tiny": {"n": 3}}
    gap = max_slice_gap(slices)
    assert gap == 0.125
    assert apply_gates({"test_roc_auc": 0.8, "max_slice_gap": gap}, GATES, None).alias == CHAMPION
    slices["DL"] = {"roc_auc": 0.75 - 0.001}
    wider = max_slice_gap(slices)
    assert wider == pytest.approx(0.126)
    candidate = {"test_roc_auc": 0.8, "max_slice_gap": wider}
    assert apply_gates(candidate, GATES, None).alias == CHALLENGER


def test_max_slice_gap_needs_two_slices_with_an_auc() -> None:
    assert max_slice_gap({"AA": {"roc_auc": 0.7}, "UA": {"n": 10}}) is None
    assert max_slice_gap({}) is None


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "y": [1, 0, 1, 0, 1, 0, 0, 1],
            "proba": [0.9, 0.1, 0.8, 0.3, 0.4, 0.6, 0.2, 0.7],
            "carrier": ["AA"] * 4 + ["UA"] * 4,
            "origin": ["JFK", "LGA"] * 4,
        }
    )


def test_slice_report_costs_each_slice_at_the_threshold() -> None:
    slices, gaps = slice_report(_scores(), 0.5, COSTS, min_rows=4)
    assert slices["carrier"]["AA"]["cost"] == 0.0, "AA: every flight on the right side of 0.5"
    # UA: the late flight at 0.4 is missed (4), the on-time one at 0.6 is flagged (1).
    assert slices["carrier"]["UA"]["cost"] == pytest.approx(5 / 4)
    assert slices["carrier"]["UA"]["roc_auc"] == 0.75 and slices["carrier"]["AA"]["roc_auc"] == 1.0
    assert gaps["carrier"] == 0.25 and gaps["overall"] == max(gaps["carrier"], gaps["origin"])


def test_metrics_for_group_cost_uses_the_threshold() -> None:
    y, proba = pd.Series([1, 0]), pd.Series([0.9, 0.1])
    assert metrics_for_group(y, proba, 0.5, COSTS, min_rows=10)["cost"] == 0.0
    assert metrics_for_group(y, proba, 0.95, COSTS, min_rows=10)["cost"] == 2.0


def test_slice_report_without_any_big_enough_slice_has_no_gap() -> None:
    _, gaps = slice_report(_scores(), 0.5, COSTS, min_rows=100)
    assert gaps == {"carrier": None, "origin": None, "overall": None}


def test_metrics_for_group_reports_size_rate_cost_saving_and_auc_from_min_rows() -> None:
    y, proba = pd.Series([1, 0, 0, 0]), pd.Series([0.9, 0.6, 0.1, 0.2])
    out = metrics_for_group(y, proba, 0.5, COSTS, min_rows=4)
    # One false alert (1) over 4 flights; flagging none would cost 4 x 1/4 = 1, all 0.75.
    assert out == {"n": 4, "late_share": 0.25, "cost": 0.25,
                   "cost_saving": pytest.approx(1 - 0.25 / 0.75), "roc_auc": 1.0}  # fmt: skip
    assert "roc_auc" not in metrics_for_group(y, proba, 0.5, COSTS, min_rows=5)


def test_slice_metrics_are_sorted_by_group_name() -> None:
    scores = _scores().assign(carrier=["UA", "AA", "DL", "UA", "AA", "DL", "UA", "AA"])
    from module05_business.slices import slice_metrics

    assert list(slice_metrics(scores, "carrier", 0.5, COSTS, min_rows=1)) == ["AA", "DL", "UA"]

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from labs_common.config import CostParams
from module08_deployment.patterns import (
    RollbackRule,
    arm_metrics,
    flight_key,
    hash_bucket,
    rollback_reasons,
    route_to_challenger,
    served_cost,
    shadow_compare,
    simulate_canary,
)

COSTS = CostParams(missed_delay=4.0, false_alert=1.0, threshold_rule="theoretic")
KEYS = [f"UA{n}" for n in range(4000)]


def _frame(n: int = 4000, seed: int = 0, noise: float = 0.0) -> pd.DataFrame:
    """Two months; the champion ranks well, the challenger is the champion plus noise."""
    rng = np.random.default_rng(seed)
    late = rng.integers(0, 2, n)
    champion = np.clip(0.2 + 0.3 * late + rng.normal(0, 0.15, n), 0, 1)
    challenger = np.clip(champion + rng.normal(0, noise, n), 0, 1)
    return pd.DataFrame({"month": np.repeat([9, 10], n // 2), "late": late,
                         "champion": champion, "challenger": challenger,
                         "key": KEYS[:n]})  # fmt: skip


def test_flight_key_joins_carrier_and_number() -> None:
    flights = pd.DataFrame({"carrier": pd.Categorical(["UA", "B6"]), "flight": [1545, 7]})
    assert flight_key(flights).tolist() == ["UA1545", "B67"]


def test_hash_bucket_is_uniform_in_0_1() -> None:
    buckets = hash_bucket(KEYS)
    assert ((buckets >= 0) & (buckets < 1)).all()
    assert abs((buckets < 0.25).mean() - 0.25) < 0.03
    assert len(np.unique(buckets)) == len(KEYS)


@pytest.mark.slow  # a fresh interpreter imports pandas and scikit-learn: seconds
def test_hash_bucket_is_the_same_in_another_process() -> None:
    code = "from module08_deployment.patterns import hash_bucket; print(hash_bucket(['UA1545'])[0])"
    env = {**os.environ, "PYTHONHASHSEED": "123"}  # str hash() would change; sha256 must not
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env=env)  # fmt: skip
    assert float(other.stdout) == hash_bucket(["UA1545"])[0]


def test_route_to_challenger_keeps_earlier_keys_as_the_share_grows() -> None:
    small, large = route_to_challenger(KEYS, 0.05), route_to_challenger(KEYS, 0.25)
    assert (large[small]).all(), "a key in the 5% canary must stay in the 25% one"
    assert not route_to_challenger(KEYS, 0).any() and route_to_challenger(KEYS, 1).all()


@pytest.mark.parametrize("share", [-0.1, 1.5], ids=["negative", "above-one"])
def test_route_to_challenger_rejects_a_share_outside_0_1(share: float) -> None:
    with pytest.raises(ValueError, match=f"share must be in \\[0, 1\\], got {share}"):
        route_to_challenger(KEYS, share)


def test_arm_metrics_has_no_auc_for_one_class_or_no_rows() -> None:
    one_class = arm_metrics(pd.Series([1, 1]), pd.Series([0.3, 0.9]), 0.2, COSTS)
    assert one_class["roc_auc"] is None and one_class["n"] == 2
    empty = arm_metrics(pd.Series([], dtype=int), pd.Series([], dtype=float), 0.2, COSTS)
    assert (empty["n"], empty["cost"], empty["late_share"]) == (0, None, None)


def test_shadow_compare_gives_one_row_per_month_and_full_agreement_for_a_copy() -> None:
    frame = _frame()
    table = shadow_compare(frame.assign(challenger=frame["champion"]), 0.2, COSTS)
    assert table["month"].tolist() == [9, 10]
    assert table["flights"].sum() == len(frame)
    assert (table["decisions_agree"] == 1).all()
    assert (table["auc_champion"] == table["auc_challenger"]).all()


def test_rollback_reasons_name_each_failed_condition() -> None:
    rule = RollbackRule(max_auc_drop=0.01, max_cost_increase=0.01, min_rows=100)
    champ = {"n": 1000, "roc_auc": 0.72, "cost": 0.50}
    assert rollback_reasons(champ, {"n": 500, "roc_auc": 0.715, "cost": 0.505}, rule) == []
    both = rollback_reasons(champ, {"n": 500, "roc_auc": 0.70, "cost": 0.55}, rule)
    assert [r.split(" ")[0] for r in both] == ["ROC", "cost"]
    assert rollback_reasons(champ, {"n": 99, "roc_auc": 0.9, "cost": 0.1}, rule) == [
        "only 99 challenger flights (< 100)"
    ]


STAGES = [(0.05, [9]), (0.5, [10]), (1.0, [10])]


def test_simulate_canary_promotes_a_copy_of_the_champion() -> None:
    frame = _frame()
    same = frame.assign(challenger=frame["champion"])
    rule = RollbackRule(min_rows=50)
    out = simulate_canary(same, STAGES, 0.2, COSTS, rule, baseline="same_flights")
    assert out["decision"].tolist() == ["continue", "continue", "promoted"]
    assert out["served_share"].iloc[-1] == 1.0
    assert out["served_share"].iloc[0] == pytest.approx(0.05, abs=0.02)


def test_simulate_canary_rolls_a_noisy_challenger_back_and_keeps_it_back() -> None:
    out = simulate_canary(_frame(noise=0.4), STAGES, 0.2, COSTS, RollbackRule(min_rows=50),
                          baseline="same_flights")  # fmt: skip
    assert out["decision"].tolist() == ["rollback", "rolled back", "rolled back"]
    assert out["reasons"].iloc[0].startswith("ROC AUC")
    assert (out["served_share"].iloc[1:] == 0).all()


def test_simulate_canary_compares_with_the_control_or_the_same_flights() -> None:
    frame = _frame()
    control = simulate_canary(frame, STAGES[:1], 0.2, COSTS, RollbackRule(min_rows=50))
    paired = simulate_canary(frame, STAGES[:1], 0.2, COSTS, RollbackRule(min_rows=50),
                             baseline="same_flights")  # fmt: skip
    assert control["n_champion"].iloc[0] + control["n_challenger"].iloc[0] == 2000
    assert paired["n_champion"].iloc[0] == paired["n_challenger"].iloc[0]


def test_served_cost_uses_each_flights_own_model() -> None:
    frame = pd.DataFrame({"late": [1, 0], "champion": [0.9, 0.9], "challenger": [0.1, 0.1]})
    # flight 0 late: champion flags it (no cost); flight 1 on time: challenger does not flag.
    assert served_cost(frame, np.array([False, True]), 0.5, COSTS) == 0.0
    assert served_cost(frame, np.array([True, False]), 0.5, COSTS) == pytest.approx(2.5)

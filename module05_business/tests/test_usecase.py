"""Tests of the comparison between the model and the rules that need no model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from module05_business.cost import cost_at_threshold, trivial_costs
from module05_business.usecase import compare_rules, group_rate_flags, saving_by_cost_ratio


def test_group_rate_flags_flag_only_groups_often_late():
    valid = pd.DataFrame({"carrier": ["A", "A", "B", "B"], "y": [1, 1, 0, 1]})
    test = pd.DataFrame({"carrier": ["A", "B", "C"]})
    flags = group_rate_flags(valid, test, "carrier", 0.6)
    # A late 100%, B 50%, C unseen -> overall 75%
    assert flags.tolist() == [True, False, True]


def test_compare_rules_prices_trivial_rules_and_model(scores, costs):
    valid, test = scores[scores["split"] == "valid"], scores[scores["split"] == "test"]
    table = compare_rules(valid, test, costs)
    trivial = trivial_costs(test["y"], costs)
    assert table.loc["flag none", "cost_per_flight"] == pytest.approx(trivial["flag_none"])
    assert table.loc["flag all", "cost_per_flight"] == pytest.approx(trivial["flag_all"])
    model = cost_at_threshold(test["y"], test["proba"], 0.2, costs)
    assert table.loc["model", "cost_per_flight"] == pytest.approx(model)
    assert table.loc["model", "saving"] > 0


def test_saving_by_cost_ratio_never_beats_the_best_possible(scores):
    test = scores[scores["split"] == "test"]
    table = saving_by_cost_ratio(test, [1, 2, 4, 8])
    assert list(table.index) == [1, 2, 4, 8]
    assert np.all(table["saving"] <= table["best_possible_saving"] + 1e-12)
    assert table.loc[4, "threshold"] == pytest.approx(0.2)

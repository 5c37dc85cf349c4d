"""Fixtures of the module-05 tests: seeded synthetic scores with a known prior shift."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from labs_common.config import CostParams, Params, load_params
from module05_business.synthetic import make_scores


@pytest.fixture
def costs() -> CostParams:
    """The course's unit costs: a missed delay costs 4, a false alert 1."""
    return CostParams(missed_delay=4.0, false_alert=1.0)


@pytest.fixture
def scores() -> pd.DataFrame:
    """2,000 seeded rows: valid 12% late, test 30% late, probabilities calibrated for 20%."""
    return make_scores(n_per_split=1000, priors=(0.12, 0.30), model_prior=0.2, seed=7)


@pytest.fixture
def params() -> Params:
    """The repository's params.yaml, with ``min_slice_rows`` scaled down to 1,000 test rows."""
    repo = load_params()
    return repo.model_copy(
        update={"register": repo.register.model_copy(update={"min_slice_rows": 100})}
    )


@pytest.fixture
def params_with_rule(params: Params) -> Callable[[str], Params]:
    """Return a function giving ``params`` with ``cost.threshold_rule`` set to a rule."""

    def make(rule: str) -> Params:
        cost = params.cost.model_copy(update={"threshold_rule": rule})
        return params.model_copy(update={"cost": cost})

    return make

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from labs_common.data import load_table
from labs_common.seed import seed_everything
from module04_ml_fundamentals.features import add_label
from module07_experiments import reproducibility as rep


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> object:
    with threadpool_limits(limits=1):  # small fits on shared cores: threads only fight
        yield


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, pd.DataFrame, Path]:
    planes = tmp_path_factory.mktemp("raw") / "planes.parquet"
    load_table("planes").to_parquet(planes)
    flights = add_label(load_table("flights").sample(12_000, random_state=3), 15)
    return flights.iloc[:8000], flights.iloc[8000:], planes


def test_fit_on_sample_with_a_seed_repeats_exactly(parts) -> None:
    train, valid, planes = parts
    runs = {rep.fit_on_sample(train, valid, seed=7, rows=4000, planes_path=planes)
            for _ in range(2)}  # fmt: skip
    assert len(runs) == 1 and 0.5 < runs.pop() < 1


def test_fit_on_sample_without_a_seed_follows_the_global_state(parts) -> None:
    train, valid, planes = parts
    seed_everything(0)
    first = rep.fit_on_sample(train, valid, seed=None, rows=4000, planes_path=planes)
    seed_everything(0)
    again = rep.fit_on_sample(train, valid, seed=None, rows=4000, planes_path=planes)
    second = rep.fit_on_sample(train, valid, seed=None, rows=4000, planes_path=planes)
    assert first == again, "the same global state must give the same model"
    assert second != first, "a used-up global state must give another sample"


def test_set_order_in_new_process_is_fixed_by_the_hash_seed() -> None:
    values = [f"v{i}" for i in range(30)]
    fixed = [rep.set_order_in_new_process(values, 123) for _ in range(2)]
    assert fixed[0] == fixed[1] and sorted(fixed[0]) == sorted(values)
    salted = {tuple(rep.set_order_in_new_process(values, None)) for _ in range(3)}
    assert len(salted) > 1, "three random salts gave one order for 30 strings"


def test_sums_in_shuffled_orders_differ_in_float32_only_in_the_last_digits() -> None:
    values = np.random.default_rng(0).exponential(size=50_000)
    totals = rep.sums_in_shuffled_orders(values, orders=8, seed=1)
    assert len(set(totals.tolist())) > 1
    assert np.allclose(totals, values.sum(), rtol=1e-5)
    exact = rep.sums_in_shuffled_orders(np.arange(1000.0), orders=3, dtype=np.float64)
    assert set(exact.tolist()) == {499500.0}  # whole numbers add up exactly in any order


def test_read_pins_normalises_names_and_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text("# via x\nScikit_Learn==1.9.1\n    # comment\nmlflow>=3\nnumpy == 2.4.6\n")
    assert rep.read_pins(path) == {"scikit-learn": "1.9.1", "numpy": "2.4.6"}


def test_read_pins_keeps_only_the_lines_whose_marker_holds_here(tmp_path: Path) -> None:
    path = tmp_path / "requirements.lock"
    path.write_text("numpy==2.4.6 ; python_full_version < '3.0'\n"
                    "numpy==2.5.5 ; python_full_version >= '3.0'\n"
                    "winonly==1.0 ; sys_platform == 'no-such-platform'\n")  # fmt: skip
    assert rep.read_pins(path) == {"numpy": "2.5.5"}


def test_compare_environment_puts_problems_first() -> None:
    table = rep.compare_environment(
        {"numpy": "2.4.6", "pandas": "2.2.0", "gone": "1.0"},
        {"numpy": "2.4.6", "pandas": "2.3.3", "scipy": "1.17.1", "gone": "missing"},
    )
    assert table["package"].tolist() == ["pandas", "gone", "scipy", "numpy"]
    assert table["status"].tolist() == ["different", "not installed", "not recorded", "same"]


def test_installed_versions_and_snapshot_name_python_and_packages() -> None:
    found = rep.installed_versions(("numpy", "no-such-package-xyz"))
    assert found["numpy"] == np.__version__ and found["no-such-package-xyz"] == "missing"
    snap = rep.environment_snapshot(("numpy",))
    assert {"python", "system", "machine", "numpy"} == set(snap)


def test_reproducibility_docstring_examples_run() -> None:
    assert doctest.testmod(rep).failed == 0

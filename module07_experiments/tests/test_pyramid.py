from __future__ import annotations

import doctest
from pathlib import Path

import pandas as pd
import pytest

from labs_common import paths
from module07_experiments import pyramid


@pytest.mark.parametrize(
    ("path", "markers", "layer"),
    [
        ("module01_intro/notebooks/01_a.ipynb", set(), "notebook"),
        ("tests/test_pipeline_e2e.py", {"slow", "data"}, "end-to-end"),
        ("m/tests/test_model_behaviour.py", {"model", "data"}, "model"),
        ("m/tests/test_train.py", {"data"}, "data"),
        ("module01_intro/tests/test_contract.py", set(), "data"),
        ("m/tests/test_tracking.py", {"slow"}, "unit"),
    ],
    ids=["notebook", "e2e", "model-before-data", "data-marker", "contract-file", "slow-unit"],
)
def test_layer_of_follows_the_documented_order(path: str, markers: set[str], layer: str) -> None:
    assert pyramid.layer_of(path, markers) == layer


def test_tests_in_file_reads_module_and_function_markers(tmp_path: Path) -> None:
    path = tmp_path / "pkg" / "tests" / "test_x.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        "import pytest\n"
        "pytestmark = [pytest.mark.data, pytest.mark.skipif(True, reason='x')]\n"
        "@pytest.fixture\ndef test_frame():\n    return 1\n"
        "def helper():\n    pass\n"
        "@pytest.mark.model\n@pytest.mark.parametrize('a', [1])\ndef test_a(a):\n    pass\n"
        "class TestB:\n    def test_b(self):\n        pass\n"
    )
    rows = pd.DataFrame(pyramid.tests_in_file(path, tmp_path))
    assert rows["test"].tolist() == ["test_a", "test_b"]
    assert rows["markers"].tolist() == ["data,model", "data"]
    assert rows["layer"].tolist() == ["model", "data"]
    assert rows["path"].iloc[0] == "pkg/tests/test_x.py"


def test_collect_tests_finds_this_file_and_counts_every_layer() -> None:
    tests = pyramid.collect_tests(paths.ROOT)
    mine = tests.loc[tests["path"] == "module07_experiments/tests/test_pyramid.py", "test"]
    assert "test_collect_tests_finds_this_file_and_counts_every_layer" in set(mine)
    counts = pyramid.pyramid_counts(tests)
    assert list(counts.index) == list(pyramid.LAYERS) and counts.sum() == len(tests)
    assert counts["unit"] > counts["end-to-end"] > 0


def test_plot_pyramid_draws_one_bar_per_layer() -> None:
    counts = pd.Series([10, 4, 3, 2, 1], index=list(pyramid.LAYERS))
    fig = pyramid.plot_pyramid(counts)
    assert len(fig.axes[0].patches) == 5


def test_pyramid_docstring_examples_run() -> None:
    assert doctest.testmod(pyramid).failed == 0

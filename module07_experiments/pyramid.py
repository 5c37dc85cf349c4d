"""Lesson 03, the test pyramid of an ML system: count this course's tests by layer.

Why it matters: an ML system needs more kinds of tests than a web app (the data and the
model can break while the code is fine), and they do not cost the same. Many fast unit
tests at the bottom, fewer tests of real data and of the trained model above them, a few
slow end-to-end runs of the pipeline and the notebooks at the top. Reading the course's
own tests (with ``ast``, without running pytest) shows where the effort went.

A test's layer comes from its pytest markers and its file, in this order:
``notebook`` (a lesson notebook), ``end-to-end`` (a file whose name says ``e2e``),
``model`` (marker ``model``), ``data`` (marker ``data``, or a file of data-contract tests:
:data:`DATA_FILES`), else ``unit`` (slow unit tests, e.g. against a temporary MLflow store,
stay units).
"""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from labs_common import paths

LAYERS = ("unit", "data", "model", "end-to-end", "notebook")
#: The course's own markers (pyproject.toml); pytest's built-in ones (skipif, ...) are left out.
COURSE_MARKERS = {"data", "model", "slow", "notebook", "docker"}
#: Test files that check the data itself against its contract (module 01, the validate stage).
DATA_FILES = {"test_contract.py", "test_validate.py"}


def layer_of(path: str, markers: set[str]) -> str:
    """The pyramid layer of one test (see the module docstring for the rule).

    Example:
        >>> layer_of("tests/test_pipeline_e2e.py", {"slow"}), layer_of("x/test_a.py", {"data"})
        ('end-to-end', 'data')
    """
    if path.endswith(".ipynb"):
        return "notebook"
    if "e2e" in Path(path).name:
        return "end-to-end"
    if "model" in markers:
        return "model"
    if "data" in markers or Path(path).name in DATA_FILES:
        return "data"
    return "unit"


def _marks(decorators: list[ast.expr]) -> set[str]:
    """Names X of ``pytest.mark.X`` (called or not) in decorators or a ``pytestmark`` value."""
    found = set()
    for node in decorators:
        for sub in ast.walk(node):
            if (isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Attribute)
                    and sub.value.attr == "mark"):  # fmt: skip
                found.add(sub.attr)
    return found & COURSE_MARKERS


def _is_fixture(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any("fixture" in ast.unparse(d) for d in fn.decorator_list)


def tests_in_file(path: Path, root: Path = paths.ROOT) -> list[dict]:
    """The test functions of one ``test_*.py`` file, with their markers and layer."""
    tree = ast.parse(path.read_text())
    module_marks: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets
        ):
            module_marks |= _marks([node.value])
    rel = path.relative_to(root).as_posix()
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    rows = []
    for fn in functions:
        if fn.name.startswith("test_") and not _is_fixture(fn):
            marks = module_marks | _marks(fn.decorator_list)
            rows.append({"path": rel, "test": fn.name, "markers": ",".join(sorted(marks)),
                         "layer": layer_of(rel, marks)})  # fmt: skip
    return rows


def collect_tests(root: Path = paths.ROOT) -> pd.DataFrame:
    """Every test function and lesson notebook of the course, one row each, with its layer."""
    rows = []
    for package in (*paths.MODULES, "labs_common", "capstone", "tests"):
        folder = root / package
        for path in sorted(folder.rglob("test_*.py")):
            rows += tests_in_file(path, root)
        for nb in sorted(folder.glob("notebooks/*.ipynb")):
            rel = nb.relative_to(root).as_posix()
            rows.append({"path": rel, "test": nb.stem, "markers": "notebook,slow",
                         "layer": "notebook"})  # fmt: skip
    return pd.DataFrame(rows, columns=["path", "test", "markers", "layer"])


def pyramid_counts(tests: pd.DataFrame) -> pd.Series:
    """How many tests per layer, bottom (unit) to top (notebook)."""
    return tests["layer"].value_counts().reindex(list(LAYERS), fill_value=0).rename("tests")


def plot_pyramid(counts: pd.Series) -> Figure:
    """Draw the counts as a pyramid: one centred bar per layer, unit at the bottom.

    Bar widths grow with the logarithm of the count, so a layer of 6 tests stays visible
    next to one of 600; the numbers are written beside the bars.
    """
    widths = np.log10(counts.to_numpy() + 1)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.barh(counts.index, widths, left=-widths / 2, color="tab:blue")
    for i, (value, width) in enumerate(zip(counts.to_numpy(), widths, strict=True)):
        ax.text(width / 2 + 0.05, i, f"{value}", va="center")
    ax.set_xlim(-widths.max() / 2 - 0.2, widths.max() / 2 + 0.6)
    ax.set_xticks([])
    ax.set_title("Tests of this course by layer (bar width: log of the count)")
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from labs_common import paths
from module06_lifecycle.structure import (
    ROLES,
    classify_path,
    file_table,
    lines_by_folder,
    list_files,
    module_imports,
    module_number,
    plot_import_matrix,
    tree_text,
)


def make_repo(root: Path) -> Path:
    files = {
        "README.md": "# x\n",
        "dvc.yaml": "stages: {}\n",
        "module01_a/__init__.py": "",
        "module01_a/core.py": "import pandas\n",
        "module01_a/tests/test_core.py": "from module01_a.core import x\n",
        "module02_b/__init__.py": "",
        "module02_b/use.py": "import module01_a.core\nfrom module01_a import core\n",
        "module02_b/notebooks/01_x.ipynb": '{"cells": [{"source": ["a\\n", "b"]}]}',
        "data/raw/flights.parquet": "binary",
        "module02_b/__pycache__/use.cpython-311.pyc": "binary",
        ".venv/lib/site.py": "",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_list_files_skips_generated_folders(tmp_path: Path) -> None:
    files = list_files(make_repo(tmp_path))
    assert "data/raw/flights.parquet" not in files
    assert not [f for f in files if "__pycache__" in f or f.startswith(".venv")]
    assert files == sorted(files) and "module02_b/use.py" in files


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("module06_lifecycle/tests/test_batch.py", "test"),
        ("conftest.py", "test"),
        ("module01_intro/exercises/starter.py", "exercise"),
        ("module01_intro/notebooks/02_eda.ipynb", "notebook"),
        ("params.yaml", "pipeline"),
        ("pyproject.toml", "environment"),
        (".github/workflows/ci.yml", "ci"),
        ("docker/Dockerfile", "container"),
        ("module05_business/model_card.md.j2", "docs"),
        ("LICENSE", "docs"),
        ("labs_common/paths.py", "code"),
        ("benchmarks/results/x.json", "other"),
    ],
)
def test_classify_path_gives_each_file_one_role(path: str, role: str) -> None:
    assert classify_path(path) == role
    assert role in ROLES


def test_file_table_and_lines_by_folder(tmp_path: Path) -> None:
    table = file_table(make_repo(tmp_path))
    assert set(table["role"]) <= set(ROLES)
    row = table.set_index("path").loc["module02_b/use.py"]
    assert (row["top"], row["role"], row["lines"]) == ("module02_b", "code", 2)
    pivot = lines_by_folder(table)
    assert pivot.loc["module01_a", "test"] == 1 and pivot.loc[".", "docs"] == 1
    assert pivot.loc["module02_b", "notebook"] == 2  # cell lines, not JSON lines
    assert list(pivot.columns) == [r for r in ROLES if r in pivot.columns]


def test_tree_text_draws_folders_first_and_cuts_long_lists() -> None:
    text = tree_text(["a.txt", "pkg/x.py", "pkg/y.py", "pkg/z.py", "pkg/sub/deep.py"], 2, 2)
    assert text.splitlines() == [
        "├── pkg/",
        "│   ├── sub/",
        "│   ├── x.py",
        "│   └── ... 2 more",
        "└── a.txt",
    ]


def test_module_number_reads_the_prefix() -> None:
    assert module_number("module04_ml_fundamentals.train") == 4
    assert module_number("labs_common.paths") is None


def test_module_imports_counts_edges_between_modules(tmp_path: Path) -> None:
    edges = module_imports(make_repo(tmp_path))
    expected = pd.DataFrame({"importer": ["module02_b"], "imported": ["module01_a"], "count": [2]})
    pd.testing.assert_frame_equal(edges, expected)


def test_module_imports_of_this_repository_point_backwards() -> None:
    edges = module_imports(paths.ROOT)
    assert len(edges) > 0
    later = edges[edges["imported"].map(module_number) > edges["importer"].map(module_number)]
    assert later.empty, f"a module imports a later one:\n{later}"


def test_plot_import_matrix_writes_each_count_below_the_diagonal(tmp_path: Path) -> None:
    edges = module_imports(make_repo(tmp_path))
    ax = plot_import_matrix(edges, ["module01_a", "module02_b"])
    assert [(t.get_position(), t.get_text()) for t in ax.texts] == [((0, 1), "2")]

"""Lesson 02, the structure of an ML project: this repository read as data, and compared.

Why it matters: a layout is a set of promises. "Raw data is never edited", "tests sit
beside the code", "module N builds only on modules before it" are useful only if they can
be checked. This file lists the repository's files, gives each a role, counts lines, maps
the layouts of three well-known templates onto ours, and finds the imports between the
course's module packages, so the notebook can show the structure instead of describing it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from labs_common import paths

#: Folders that hold what a run produced (or a tool's cache), never what a person wrote.
GENERATED = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache",
             ".mlflow", ".prefect", ".hypothesis", ".ipynb_checkpoints", ".dvc", "data",
             "models", "reports", "mlruns", "build", "dist"}  # fmt: skip
GENERATED_FILES = {"mlflow.db", ".DS_Store"}
ENVIRONMENT_FILES = {"pyproject.toml", "requirements.lock", "requirements.txt", "environment.yml",
                     "Makefile", "setup.cfg", ".gitignore", ".dvcignore"}  # fmt: skip
PIPELINE_FILES = {"dvc.yaml", "dvc.lock", "params.yaml"}
ROLES = ["code", "test", "notebook", "exercise", "pipeline", "environment", "ci",
         "container", "docs", "other"]  # fmt: skip
MODULE_RE = re.compile(r"^module(\d\d)_\w+$")


def list_files(root: Path = paths.ROOT) -> list[str]:
    """Return every hand-written file under ``root`` as a sorted relative POSIX path.

    Generated folders (:data:`GENERATED`, ``*.egg-info``) are skipped: they are rebuilt by
    ``make setup`` and ``dvc repro``, not written by anyone.
    """
    found = []
    for path in Path(root).rglob("*"):
        rel = path.relative_to(root)
        folders = rel.parts[:-1] if path.is_file() else rel.parts
        if any(p in GENERATED or p.endswith(".egg-info") for p in folders):
            continue
        if path.is_file() and path.name not in GENERATED_FILES:
            found.append(rel.as_posix())
    return sorted(found)


def classify_path(path: str) -> str:
    """Return the role of a repository file: one of :data:`ROLES` (first rule that matches).

    Example:
        >>> [classify_path(p) for p in ["module06_lifecycle/tests/test_batch.py",
        ...  "module06_lifecycle/batch.py", "dvc.yaml", ".github/workflows/ci.yml"]]
        ['test', 'code', 'pipeline', 'ci']
    """
    p = PurePosixPath(path)
    if p.suffix == ".ipynb":
        return "notebook"
    if "tests" in p.parts[:-1] or p.name.startswith("test_") or p.name == "conftest.py":
        return "test"
    if "exercises" in p.parts[:-1]:
        return "exercise"
    if p.name in PIPELINE_FILES:
        return "pipeline"
    if p.name in ENVIRONMENT_FILES:
        return "environment"
    if p.parts[0] in {".github", ".ci"}:
        return "ci"
    if p.parts[0] == "docker" or p.name.startswith("Dockerfile"):
        return "container"
    if p.suffix in {".md", ".rst", ".j2"} or p.parts[0] == "docs" or p.name == "LICENSE":
        return "docs"
    return "code" if p.suffix == ".py" else "other"


def file_table(root: Path = paths.ROOT) -> pd.DataFrame:
    """One row per hand-written file: ``path``, ``top`` (first folder or ``.``), ``role``,
    ``lines`` (0 for a file that is not text)."""
    rows = []
    for rel in list_files(root):
        parts = PurePosixPath(rel).parts
        top = parts[0] if len(parts) > 1 else "."
        lines = _count_lines(Path(root) / rel)
        rows.append({"path": rel, "top": top, "role": classify_path(rel), "lines": lines})
    return pd.DataFrame(rows, columns=["path", "top", "role", "lines"])


def _count_lines(path: Path) -> int:
    """Lines of a text file; for a notebook, the lines of its cells (not of its JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return 0
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(text).get("cells", [])
        except (json.JSONDecodeError, AttributeError):
            return 0
        return sum(len("".join(c.get("source", "")).splitlines()) for c in cells)
    return len(text.splitlines())


def lines_by_folder(table: pd.DataFrame, roles: Iterable[str] = ROLES) -> pd.DataFrame:
    """Pivot :func:`file_table`: lines per top-level folder (rows) and role (columns)."""
    pivot = table.pivot_table(index="top", columns="role", values="lines", aggfunc="sum")
    return pivot.reindex(columns=[r for r in roles if r in pivot.columns]).fillna(0).astype(int)


def tree_text(files: Iterable[str], depth: int = 2, max_items: int = 8) -> str:
    """Draw the folders and files of ``files`` down to ``depth`` levels, like ``tree -L``.

    A folder shows at most ``max_items`` entries, then how many more it holds.
    """
    tree: dict = {}
    for rel in files:
        node, parts = tree, PurePosixPath(rel).parts
        for part in parts[: min(depth, len(parts) - 1)]:  # the folders, down to depth
            node = node.setdefault(part, {})
        if len(parts) <= depth:
            node.setdefault(parts[-1], None)  # a file (None: nothing below it)
    lines: list[str] = []
    _draw(tree, "", lines, max_items)
    return "\n".join(lines)


def _draw(node: dict, prefix: str, lines: list[str], max_items: int) -> None:
    names = sorted(node, key=lambda n: (node[n] is None, n))  # folders first, then files
    shown = names[:max_items]
    for i, name in enumerate(shown):
        last = i == len(shown) - 1 and len(names) <= max_items
        folder = node[name] is not None
        lines.append(f"{prefix}{'└── ' if last else '├── '}{name}{'/' if folder else ''}")
        if folder:
            _draw(node[name], prefix + ("    " if last else "│   "), lines, max_items)
    if len(names) > max_items:
        lines.append(f"{prefix}└── ... {len(names) - max_items} more")


def module_number(name: str) -> int | None:
    """The number of a course module package (``module04_ml_fundamentals`` -> 4), else None."""
    match = MODULE_RE.match(name.split(".")[0])
    return int(match.group(1)) if match else None


def module_imports(root: Path = paths.ROOT) -> pd.DataFrame:
    """Imports between the course's module packages: ``importer``, ``imported``, ``count``.

    Only absolute imports of another module package count (``from module04_... import``),
    in every ``.py`` file of each ``moduleNN_*`` folder, tests and exercises included.
    """
    counts: dict[tuple[str, str], int] = {}
    for folder in sorted(p for p in Path(root).iterdir() if MODULE_RE.match(p.name)):
        for path in folder.rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            for name in _imported_names(path):
                top = name.split(".")[0]
                if module_number(top) is not None and top != folder.name:
                    counts[(folder.name, top)] = counts.get((folder.name, top), 0) + 1
    rows = [{"importer": a, "imported": b, "count": n} for (a, b), n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=["importer", "imported", "count"])


def _imported_names(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def plot_import_matrix(edges: pd.DataFrame, modules: list[str], ax: Axes | None = None) -> Axes:
    """Draw who imports whom: row imports column, with the count; the diagonal in red.

    Anything above the diagonal would be a module importing a later one.
    """
    ax = ax or plt.subplots(figsize=(6.5, 5.5))[1]
    matrix = edges.pivot_table(index="importer", columns="imported", values="count")
    matrix = matrix.reindex(index=modules, columns=modules).fillna(0).astype(int)
    ax.imshow(matrix.gt(0), cmap="Blues", vmax=1.6)
    for i, j in zip(*matrix.to_numpy().nonzero(), strict=True):
        ax.text(j, i, matrix.iat[i, j], ha="center", va="center", fontsize=8)
    short = [m[:8] for m in modules]
    ax.set_xticks(range(len(short)), short, rotation=90)
    ax.set_yticks(range(len(short)), short)
    ax.plot([-0.5, len(short) - 0.5], [-0.5, len(short) - 0.5], color="red", lw=0.8)
    ax.set(xlabel="imported module", ylabel="importing module")
    return ax

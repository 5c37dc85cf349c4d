"""The course's own source files, for the tests that check codebase-wide invariants."""

from __future__ import annotations

import os
from pathlib import Path

from labs_common import paths

#: Folders never scanned: the environment, tool stores, data and caches.
PRUNED = {"data", "node_modules", "mutants", "__pycache__"}


def course_files(suffixes: tuple[str, ...] = (".py",), skip: tuple[str, ...] = ()) -> list[Path]:
    """Every file with one of ``suffixes`` below the root, hidden folders and data pruned.

    Args:
        suffixes: file endings to keep, such as ``(".py", ".ipynb")``.
        skip: repo-relative path fragments (``"tests/"``, ``"exercises/"``) to leave out.
    """
    found = []
    for folder, subdirs, names in os.walk(paths.ROOT):
        subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in PRUNED]
        rel = Path(folder).relative_to(paths.ROOT).as_posix() + "/"
        if any(rel.startswith(part) or f"/{part}" in rel for part in skip):
            continue
        found += [Path(folder) / n for n in names if n.endswith(suffixes)]
    return sorted(found)

"""Every ``Example:`` in the course's docstrings runs, and shows what it says it shows.

Why it matters: a docstring example is the first code a student copies. One that no longer
matches the function teaches the wrong thing; running them all keeps them honest. The
modules are found on disk (every package module with a ``>>>``), so a new example is
tested without anyone adding it here.
"""

from __future__ import annotations

import doctest
import importlib

import pytest

from labs_common import paths

PACKAGES = ("labs_common", "capstone", *paths.MODULES)
#: Importing these pulls in Prefect's server machinery (tens of seconds on a busy machine).
SLOW_IMPORTS = {"capstone.flows"}


def _modules_with_examples() -> list:
    found = []
    for package in PACKAGES:
        for path in sorted((paths.ROOT / package).rglob("*.py")):
            relative = path.relative_to(paths.ROOT)
            if "tests" in relative.parts or ">>>" not in path.read_text():
                continue
            name = ".".join(relative.with_suffix("").parts)
            marks = [pytest.mark.slow] if name in SLOW_IMPORTS else []
            found.append(pytest.param(name, marks=marks, id=name))
    return found


MODULES = _modules_with_examples()


def test_doctest_modules_are_found() -> None:
    names = {p.values[0] for p in MODULES}
    assert {"labs_common.paths", "module05_business.cost", "module09_monitoring.rules"} <= names
    assert len(names) > 40


@pytest.mark.parametrize("module", MODULES)
def test_docstring_examples_run(module: str) -> None:
    mod = importlib.import_module(module)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(mod, optionflags=flags, report=True, verbose=False)
    assert result.attempted > 0, f"{module} has '>>>' but doctest found no example"
    assert result.failed == 0, f"{result.failed} example(s) of {module} failed (see output)"

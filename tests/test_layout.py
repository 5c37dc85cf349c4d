"""The repository keeps the shape the course promises.

Why it matters: students navigate by convention. Every module has the same four parts;
module N builds only on modules before it (so a student can stop after any module and
what they have works); notebooks are stored clean so diffs show prose and code, not
output noise; and every parameter the pipeline names really exists.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from labs_common import paths
from labs_common.config import load_params
from labs_common.stage_deps import literal_import_call

ROOT = paths.ROOT
MODULE_RE = re.compile(r"^module(\d\d)_\w+$")
#: The layers above the modules: the capstone assembles them, the benchmarks measure them.
#: Both may import every module and labs_common; no module imports them, nor they each other.
TOP_LAYER = 10
TOP_PACKAGES = ("capstone", "benchmarks")
SKIP_PARTS = {"__pycache__", "data", "reports", "build"}


def python_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*.py") if not SKIP_PARTS & set(p.relative_to(folder).parts)
    )


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Return (line, dotted name) of every absolute import in a Python file.

    Imports inside functions count (the walk visits every node), and so do
    ``importlib.import_module("...")`` and ``__import__("...")`` with a literal name.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif name := literal_import_call(node):
            found.append((node.lineno, name))
    return found


def module_number(dotted: str) -> int | None:
    """The layer of an import: N for ``moduleNN_...``, 10 for capstone and benchmarks, else None.

    Example: ``module04_ml_fundamentals.train`` is 4, ``capstone.cli`` is 10.
    """
    top = dotted.split(".")[0]
    if top in TOP_PACKAGES:
        return TOP_LAYER
    match = MODULE_RE.match(top)
    return int(match.group(1)) if match else None


def forbidden_imports(folder: Path, below: int, also: tuple[str, ...] = ()) -> list[str]:
    """List imports of layer ``below`` or higher, or of a package in ``also``, as
    'file:line: imports name'."""
    problems = []
    for path in python_files(folder):
        for line, name in imported_modules(path):
            number = module_number(name)
            if (number is not None and number >= below) or name.split(".")[0] in also:
                problems.append(f"{path.relative_to(folder.parent)}:{line}: imports {name}")
    return problems


def notebook_problems(path: Path) -> list[str]:
    """Say which code cells of a notebook still hold outputs or execution counts."""
    cells = json.loads(path.read_text())["cells"]
    problems = []
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i} has outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} has execution_count {cell['execution_count']}")
    return problems


def dvc_param_keys(dvc: dict) -> list[str]:
    """Every params.yaml key the stages of a dvc.yaml depend on (foreach/matrix too)."""
    keys = []
    for stage in (dvc.get("stages") or {}).values():
        body = stage.get("do", stage)
        for entry in body.get("params") or []:
            if isinstance(entry, str):
                keys.append(entry)
            elif isinstance(entry, dict):
                keys += [k for file, ks in entry.items() if file == "params.yaml" for k in ks or []]
    return keys


def has_key(obj: object, dotted: str) -> bool:
    """Walk ``a.b.c`` through pydantic models and dicts."""
    for part in dotted.split("."):
        if isinstance(obj, BaseModel) and part in type(obj).model_fields:
            obj = getattr(obj, part)
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return False
    return True


# -- the helpers themselves catch what they should -------------------------------------


@pytest.mark.parametrize(
    ("source", "below", "also", "expected"),
    [
        ("import module02_foundations\nfrom module07_experiments.track import log\n"
         "import importlib\nimportlib.import_module('module09_monitoring.drift')\n", 5, (),
         ["a.py:2: imports module07_experiments.track",
          "a.py:4: imports module09_monitoring.drift"]),
        ("def run():\n    from capstone.sandbox import copy_repo\n    return copy_repo\n"
         "def bench():\n    return __import__('benchmarks.pipeline')\nimport labs_common.paths\n",
         8, (), ["a.py:2: imports capstone.sandbox", "a.py:5: imports benchmarks.pipeline"]),
        ("import module09_monitoring\nimport capstone.cli\nimport benchmarks.pipeline\n",
         TOP_LAYER + 1, ("benchmarks",), ["a.py:3: imports benchmarks.pipeline"]),
    ],
    ids=["later-modules-and-import_module", "lazy-imports-of-the-top", "top-layers-not-each-other"],
)  # fmt: skip
def test_forbidden_imports_names_file_line_and_import(
    tmp_path: Path, source: str, below: int, also: tuple[str, ...], expected: list[str]
) -> None:
    pkg = tmp_path / "module04_x"
    pkg.mkdir()
    (pkg / "a.py").write_text(source)
    assert forbidden_imports(pkg, below=below, also=also) == [f"module04_x/{e}" for e in expected]


def test_notebook_problems_finds_outputs_and_counts(tmp_path: Path) -> None:
    code = {"cell_type": "code", "execution_count": 3, "outputs": [{"a": 1}]}
    nb = {"cells": [{"cell_type": "markdown", "source": "x"}, code]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    assert notebook_problems(path) == ["cell 1 has outputs", "cell 1 has execution_count 3"]


def test_dvc_param_keys_are_checked_against_params() -> None:
    dvc = {"stages": {"a": {"params": ["split.train_months", {"params.yaml": ["train.nope"]}]},
                      "b": {"foreach": [1], "do": {"params": ["train.search.hgb"]}}}}  # fmt: skip
    keys = dvc_param_keys(dvc)
    assert keys == ["split.train_months", "train.nope", "train.search.hgb"]
    assert [k for k in keys if not has_key(load_params(), k)] == ["train.nope"]


# -- the repository --------------------------------------------------------------------


@pytest.mark.parametrize("name", paths.MODULES)
def test_module_has_the_standard_parts(name: str) -> None:
    folder = ROOT / name
    missing = [part for part in ("__init__.py", "README.md") if not (folder / part).is_file()]
    missing += [part + "/" for part in ("notebooks", "tests") if not (folder / part).is_dir()]
    assert not missing, f"{name} is missing {missing}"


def test_capstone_and_labs_common_exist() -> None:
    for name in ("capstone", "labs_common"):
        assert (ROOT / name / "__init__.py").is_file(), f"{name}/ is missing or not a package"


@pytest.mark.parametrize("name", paths.MODULES)
def test_module_imports_only_earlier_modules(name: str) -> None:
    number = module_number(name)
    problems = forbidden_imports(ROOT / name, below=number + 1)
    assert not problems, (
        f"module {number:02d} may import only modules 01-{number - 1:02d} and labs_common:\n"
        + "\n".join(problems)
    )


def test_the_capstone_does_not_import_the_benchmarks() -> None:
    """The benchmarks sit on top: they may time the capstone's commands (``labs grade``), but
    nothing the course runs may depend on a benchmark."""
    problems = forbidden_imports(ROOT / "capstone", below=TOP_LAYER + 1, also=("benchmarks",))
    assert not problems, "capstone may import the modules and labs_common, not benchmarks:\n" + (
        "\n".join(problems)
    )


def test_labs_common_imports_no_module_package() -> None:
    folder = ROOT / "labs_common"
    problems = [p for p in forbidden_imports(folder, below=1) if "/tests/" not in p]
    assert not problems, "labs_common must not import a module package:\n" + "\n".join(problems)


def test_notebooks_are_stored_without_outputs() -> None:
    notebooks = [
        p
        for p in ROOT.rglob("*.ipynb")
        if not any(part.startswith(".") for part in p.relative_to(ROOT).parts)
        and not SKIP_PARTS & set(p.relative_to(ROOT).parts)
    ]
    dirty = {str(p.relative_to(ROOT)): notebook_problems(p) for p in notebooks}
    dirty = {k: v for k, v in dirty.items() if v}
    assert not dirty, (
        "store notebooks without outputs (Jupyter: Edit > Clear Outputs of All Cells, or "
        f"`jupyter nbconvert --clear-output --inplace <nb>`): {dirty}"
    )


def run_cached_stages(dvc: dict) -> set[str]:
    """Stages DVC may restore from its run cache instead of running: those whose every
    plain out (not a metric or plot) is cached."""
    cached = set()
    for name, stage in (dvc.get("stages") or {}).items():
        outs = [
            next(iter(o.values())) if isinstance(o, dict) else {} for o in stage.get("outs", [])
        ]
        if all((o or {}).get("cache", True) for o in outs):
            cached.add(name)
    return cached


def test_run_cached_stages_sees_an_uncached_out() -> None:
    dvc = {"stages": {"a": {"outs": ["x", {"y": {"cache": False}}]}, "b": {"outs": ["z"]}}}
    assert run_cached_stages(dvc) == {"b"}


def test_stages_writing_to_mlflow_always_really_run() -> None:
    """A stage restored from the run cache skips its command: no MLflow run, no registry
    version. After `make clean` the serving step would then find no champion."""
    cached = run_cached_stages(yaml.safe_load((ROOT / "dvc.yaml").read_text()))
    assert not cached & {"train", "register", "monitor"}, cached


@pytest.mark.skipif(not (ROOT / "dvc.yaml").exists(), reason="dvc.yaml not written yet")
def test_dvc_params_exist_in_params() -> None:
    keys = dvc_param_keys(yaml.safe_load((ROOT / "dvc.yaml").read_text()))
    raw = yaml.safe_load(paths.PARAMS_PATH.read_text())
    params = load_params()
    missing = [k for k in keys if not (has_key(params, k) and has_key(raw, k))]
    assert not missing, f"dvc.yaml names params missing from Params/params.yaml: {missing}"

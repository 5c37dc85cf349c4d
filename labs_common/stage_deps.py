"""The code each pipeline stage runs, found from its imports: the stage's code deps.

Why it matters: DVC re-runs a stage when one of its ``deps`` changes. A Python file the
stage imports but ``dvc.yaml`` does not list is a silent hole: edit it, and ``dvc repro``
says "up to date" over stale outputs (the ``monitor`` stage missed
``module05_business/slices.py``, ``train`` missed ``module07_experiments/tracking.py``).
So the code deps are not listed by hand: :func:`code_deps` follows the imports of the
stage's module through the course's own packages (imports inside functions and
``importlib.import_module("...")`` with a literal name included), and
``python -m labs_common.stage_deps --write`` puts them into ``dvc.yaml``; a test fails
when the two disagree.

Example:
    >>> "labs_common/paths.py" in code_deps("module04_ml_fundamentals.split")
    True
"""

from __future__ import annotations

import argparse
import ast
import re
from functools import cache
from pathlib import Path

from labs_common import paths
from labs_common.artifacts import read_dvc_stages

ROOT = paths.ROOT
#: The course's own top-level packages; imports of anything else are third-party.
PACKAGES = re.compile(r"^(labs_common|module\d\d_\w+|capstone|benchmarks)$")
CMD = re.compile(r"^python -m ([\w.]+)")


def module_file(dotted: str) -> Path | None:
    """Return the file of a course module (``a.b`` -> ``a/b.py`` or ``a/b/__init__.py``)."""
    if not PACKAGES.match(dotted.split(".")[0]):
        return None
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_names(path: Path) -> set[str]:
    """Every absolute module name a file imports, anywhere in it (functions included).

    ``from pkg import name`` yields ``pkg`` and ``pkg.name`` (the latter counts only when
    it is a module); relative imports are resolved against the file's package.
    """
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif name := literal_import_call(node):
            names.add(name)
    return names


def literal_import_call(node: ast.AST) -> str | None:
    """The module a call ``importlib.import_module("x")`` or ``__import__("x")`` imports.

    Why it matters: a lazy import is an import all the same; only a literal name can be
    read without running the code, so a computed one gives None.

    Example:
        >>> literal_import_call(ast.parse("importlib.import_module('a.b')").body[0].value)
        'a.b'
    """
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = getattr(node.func, "attr", getattr(node.func, "id", None))
    first = node.args[0]
    if func in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def _parents(dotted: str) -> list[str]:
    parts = dotted.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@cache
def code_deps(module: str) -> frozenset[str]:
    """Return the course files ``python -m module`` can run, as repo-relative paths.

    Importing ``a.b.c`` also runs ``a/__init__.py`` and ``a/b/__init__.py``: those count.
    """
    seen: set[Path] = set()
    todo = [module]
    while todo:
        for name in _parents(todo.pop()):
            path = module_file(name)
            if path is None or path in seen:
                continue
            seen.add(path)
            todo.extend(imported_names(path))
    return frozenset(p.relative_to(ROOT).as_posix() for p in seen)


def stage_modules(dvc_yaml: Path = ROOT / "dvc.yaml") -> dict[str, str]:
    """Map each stage of ``dvc.yaml`` whose command is ``python -m X`` to ``X``."""
    stages = read_dvc_stages(dvc_yaml)
    return {
        name: match.group(1)
        for name, stage in stages.items()
        if (match := CMD.match(str(stage["cmd"]).split("&&")[-1].strip()))
    }


def declared_code_deps(stage: dict) -> set[str]:
    """The ``.py`` files a stage lists under ``deps``."""
    return {d for d in stage.get("deps", []) if isinstance(d, str) and d.endswith(".py")}


def mismatches(dvc_yaml: Path = ROOT / "dvc.yaml") -> dict[str, tuple[list[str], list[str]]]:
    """For each stage: (files it runs but does not list, files it lists but never runs)."""
    stages = read_dvc_stages(dvc_yaml)
    out = {}
    for name, module in stage_modules(dvc_yaml).items():
        need, have = set(code_deps(module)), declared_code_deps(stages[name])
        if need != have:
            out[name] = (sorted(need - have), sorted(have - need))
    return out


def rewrite(dvc_yaml: Path = ROOT / "dvc.yaml") -> list[str]:
    """Replace each stage's ``.py`` deps in ``dvc.yaml`` by its imports; keep everything else.

    The file is edited as text, so its comments and layout survive: the ``.py`` lines of a
    stage's ``deps`` block are removed and the derived ones written after its data deps.
    """
    lines = dvc_yaml.read_text().splitlines(keepends=True)
    modules = stage_modules(dvc_yaml)
    out, stage, in_deps, changed = [], None, False, []
    for line in lines:
        top = re.match(r"^  (\w+):", line)
        if top:
            stage, in_deps = top.group(1), False
        if re.match(r"^    deps:\s*$", line):
            in_deps = True
            out.append(line)
            continue
        if in_deps and not re.match(r"^      - ", line):
            in_deps = False
            if stage in modules:
                out.extend(f"      - {f}\n" for f in sorted(code_deps(modules[stage])))
                changed.append(stage)
        if in_deps and re.match(r"^      - \S+\.py\s*$", line):
            continue
        out.append(line)
    dvc_yaml.write_text("".join(out))
    return changed


def main() -> None:
    """``python -m labs_common.stage_deps [--write]``: list the stages whose deps are off."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite dvc.yaml's code deps")
    if parser.parse_args().write:
        rewrite()
    for stage, (missing, extra) in mismatches().items():
        print(f"{stage}: missing {missing}; not imported {extra}")  # noqa: T201
        raise SystemExit(1)


if __name__ == "__main__":
    main()
